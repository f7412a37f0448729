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
