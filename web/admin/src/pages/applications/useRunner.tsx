import { useCallback, useState } from 'react';
import { describeError } from '../../graph/errors.ts';
import { Alert } from '../../ui/Alert.tsx';

export interface Outcome {
  tone: 'success' | 'error';
  text: string;
}

/**
 * One-click actions on a page (Revoke, Remove, Grant admin consent): which one is running, and the
 * outcome of the last, phrased for the admin. Only one runs at a time.
 */
export function useRunner() {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = useCallback(async (key: string, doing: string, work: () => Promise<string | void>): Promise<boolean> => {
    setBusy(key);
    setOutcome(null);
    try {
      const message = await work();
      if (message) setOutcome({ tone: 'success', text: message });
      return true;
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error, doing) });
      return false;
    } finally {
      setBusy(null);
    }
  }, []);

  return { busy, outcome, setOutcome, run };
}

export function OutcomeAlert({ outcome, testId }: { outcome: Outcome | null; testId: string }) {
  if (!outcome) return null;
  return (
    <Alert tone={outcome.tone} testId={testId}>
      {outcome.text}
    </Alert>
  );
}
