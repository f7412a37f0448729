import { defineErrors, isAppError } from '../../kernel/errors.ts';

export const QueueErrors = defineErrors('queue', {
  /** the claim running a job no longer holds its lease: another claim runs (or may run) the job now */
  leaseLost: { kind: 'conflict', message: (jobId: string) => `The lease on job '${jobId}' was lost; another claim runs it now.` },
});

/** Whether a handler stopped because its lease was lost (then nothing about the job may be recorded). */
export function isLeaseLost(error: unknown): boolean {
  return isAppError(error) && error.code === 'queue.leaseLost';
}
