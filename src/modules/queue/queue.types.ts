export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job {
  tenantId: string;
  id: string;
  kind: string;
  payload: unknown;
  /** what the handler recorded as done so far; a retried job resumes from here */
  progress: unknown;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAfter: string;
  lastError: string | null;
  createdDateTime: string;
  finishedDateTime: string | null;
}

/**
 * One claim on a job: the node that took it and the attempt the claim started. Every claim
 * increments `attempts`, so the pair names this claim alone, even when the same node claims the
 * job again after its own lease ran out.
 */
export interface Lease {
  owner: string;
  attempt: number;
}
