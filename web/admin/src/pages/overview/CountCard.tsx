import { describeError } from '../../graph/errors.ts';
import { useResource } from '../../hooks/useResource.ts';
import { Link } from '../../router/Router.tsx';

interface CountCardProps {
  label: string;
  to: string;
  count(signal: AbortSignal): Promise<number>;
  /** for errors: "count users" */
  doing: string;
  testId: string;
}

/** One headline number; each card loads and fails on its own so one refusal doesn't blank the page. */
export function CountCard({ label, to, count, doing, testId }: CountCardProps) {
  const { state } = useResource(count, []);
  return (
    <Link to={to} className="stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      {state.status === 'ready' && <span className="stat-value">{state.data.toLocaleString()}</span>}
      {state.status === 'loading' && (
        <span className="stat-value stat-pending" aria-label="Loading">
          …
        </span>
      )}
      {state.status === 'error' && <span className="stat-error">{describeError(state.error, doing)}</span>}
    </Link>
  );
}
