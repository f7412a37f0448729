import { describeError } from '../graph/errors.ts';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';

/** A failed load, phrased for what the page tried to show ("view users"), with a way to try again. */
export function LoadError({ error, doing, onRetry }: { error: unknown; doing: string; onRetry?: () => void }) {
  return (
    <Alert tone="error">
      <p>{describeError(error, doing)}</p>
      {onRetry && (
        <p>
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </p>
      )}
    </Alert>
  );
}
