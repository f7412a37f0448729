import { useEffect, useState } from 'react';
import { type BulkOperation, getBulkOperation, isFinished } from '../../../graph/bulkOperations.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';

/** How often a running operation is asked for its progress. */
export const POLL_MS = 1000;

export type BulkOperationState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; operation: BulkOperation; pollError: unknown };

/**
 * One bulk operation, polled every second until it is completed or failed. A failed poll keeps
 * the last progress on screen and tries again; only a failed first load is an error.
 */
export function useBulkOperation(id: string): BulkOperationState {
  const graph = useGraph();
  const [state, setState] = useState<BulkOperationState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    let last: BulkOperation | null = null;
    const poll = async () => {
      try {
        const operation = await getBulkOperation(graph, id, controller.signal);
        if (controller.signal.aborted) return;
        last = operation;
        setState({ status: 'ready', operation, pollError: null });
        if (isFinished(operation.status)) return;
      } catch (error) {
        if (controller.signal.aborted) return;
        setState(last ? { status: 'ready', operation: last, pollError: error } : { status: 'error', error });
        if (!last) return;
      }
      timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [graph, id]);

  return state;
}
