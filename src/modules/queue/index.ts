/** Durable jobs: modules enqueue in their transaction; src/jobs runs them. */
export { QueueService, retryDelaySeconds, type EnqueueOptions } from './queue.service.ts';
export type { Job, JobState, Lease } from './queue.types.ts';
export { queueRepo, queueRegistry } from './queue.repo.ts';
export { QueueErrors, isLeaseLost } from './queue.errors.ts';
