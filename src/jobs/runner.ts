import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../kernel/errors.ts';
import type { Logger } from '../kernel/logger.ts';
import { isLeaseLost, type Job, type QueueService } from '../modules/queue/index.ts';
import { tenantScope, type TenantScope } from '../tenancy/scope.ts';

export interface JobContext {
  job: Job;
  scope: TenantScope;
  /** records what is done so a retry after a crash resumes; returns false once the lease is lost */
  saveProgress(progress: unknown): Promise<boolean>;
  /**
   * Call immediately before a side effect outside the database (sending mail): resolves (and
   * extends the lease) while this claim still holds its lease, throws `queue.leaseLost` otherwise.
   * Let that error propagate: the runner then records nothing, the job is another claim's now.
   */
  assertLease(): Promise<void>;
}

/** The longest pause between polls while polling keeps failing (the database is down). */
const MAX_POLL_BACKOFF_MS = 30_000;

export type JobHandler = (context: JobContext) => Promise<void>;

export interface RunnerOptions {
  /** how often to look for work when idle */
  pollMs?: number;
  /** how long a claim holds before another node may take the job over */
  leaseMs?: number;
  /** jobs run at once by this node */
  concurrency?: number;
}

/**
 * Runs durable jobs (DESIGN §6): polls the queue, claims runnable jobs with a lease, runs their
 * handler, renews the lease while it runs, and settles the job (done, retry with backoff, or
 * failed). Any number of nodes can run one; the lease makes each job run on one node at a time.
 */
export class JobRunner {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #running = new Set<Promise<void>>();
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;

  constructor(
    private readonly queue: QueueService,
    private readonly logger: Logger,
    options: RunnerOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? 1000;
    this.#leaseMs = options.leaseMs ?? 60_000;
    // jobs mostly wait on I/O (SMTP): a few at once keep a mail queue draining while a long job runs
    this.#concurrency = options.concurrency ?? 4;
  }

  register(kind: string, handler: JobHandler): void {
    if (this.#handlers.has(kind)) throw new Error(`a handler for job kind '${kind}' is already registered`);
    this.#handlers.set(kind, handler);
  }

  /**
   * Polls until stop(): claims what this node has room for and starts it without waiting for it,
   * so a long job (a bulk invitation) does not hold up the short ones behind it (its mails), and
   * looks again at once whenever a job settles (a queue with work in it drains without pausing
   * `pollMs` between jobs); with nothing to do it polls every `pollMs`.
   */
  start(): void {
    this.#stopped = false;
    this.#failedPolls = 0;
    this.#unsubscribe ??= this.queue.onNudge(() => this.#wake());
    this.#schedule(0);
  }

  #unsubscribe: (() => void) | null = null;

  #failedPolls = 0;
  #polling: Promise<void> | null = null;
  /** a job settled while a poll was under way: poll again right after it */
  #rewake = false;

  #schedule(delay: number): void {
    if (this.#stopped || this.#timer || this.#polling) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#polling = this.#poll().finally(() => {
        this.#polling = null;
        const again = this.#rewake;
        this.#rewake = false;
        this.#schedule(again ? 0 : this.#failedPolls === 0 ? this.#pollMs : Math.min(this.#pollMs * 2 ** this.#failedPolls, MAX_POLL_BACKOFF_MS));
      });
    }, delay);
  }

  async #poll(): Promise<void> {
    try {
      const room = this.#concurrency - this.#running.size;
      if (room > 0) {
        const jobs = await this.queue.claim(this.owner, room, this.#leaseMs);
        for (const job of jobs) {
          // settling a job can fail when the database is gone; the job's lease runs out and it is retried
          this.#track(this.#run(job)).catch((error: unknown) => this.logger.error({ err: error, job: job.id }, 'job could not be settled'));
        }
      }
      this.#failedPolls = 0;
    } catch (error) {
      // Typically the database is unreachable: the node stays up and polls less and less often
      // (up to MAX_POLL_BACKOFF_MS) until the database answers again.
      this.#failedPolls++;
      const unavailable = isAppError(error) && error.kind === 'unavailable';
      this.logger[unavailable ? 'warn' : 'error']({ err: error, failedPolls: this.#failedPolls }, 'job runner poll failed');
    }
  }

  /** A job settled, or work was committed in this process: poll now rather than at the next interval. */
  #wake(): void {
    if (this.#stopped || this.#failedPolls > 0) return;
    if (this.#polling) {
      this.#rewake = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#schedule(0);
  }

  /** Stops polling and waits for the jobs this node is running to settle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // a poll under way may still start the jobs it claimed: wait for it, then for them
    await this.#polling;
    await Promise.allSettled([...this.#running]);
  }

  /** One pass: claims what this node has room for and runs it; resolves when those jobs settle. */
  async runDue(): Promise<number> {
    const room = this.#concurrency - this.#running.size;
    if (room <= 0) return 0;
    const jobs = await this.queue.claim(this.owner, room, this.#leaseMs);
    await Promise.all(jobs.map((job) => this.#track(this.#run(job))));
    return jobs.length;
  }

  #track(work: Promise<void>): Promise<void> {
    this.#running.add(work);
    return work.finally(() => {
      this.#running.delete(work);
      this.#wake();
    });
  }

  async #run(job: Job): Promise<void> {
    const handler = this.#handlers.get(job.kind);
    const log = this.logger.child({ job: job.id, kind: job.kind, tenant: job.tenantId, attempt: job.attempts });
    if (!handler) {
      await this.queue.fail(job, this.owner, `no handler for job kind '${job.kind}'`);
      log.error('no handler for job kind');
      return;
    }
    const renew = setInterval(() => void this.queue.renewLease(job, this.owner, this.#leaseMs).catch(() => {}), Math.max(1000, this.#leaseMs / 3));
    try {
      await handler({
        job,
        scope: tenantScope(job.tenantId),
        saveProgress: (progress) => this.queue.saveProgress(job, this.owner, progress, this.#leaseMs),
        assertLease: () => this.queue.assertLease(job, this.owner, this.#leaseMs),
      });
      await this.queue.complete(job, this.owner);
      log.debug('job succeeded');
    } catch (error) {
      if (isLeaseLost(error)) {
        log.warn('job lease lost; left to the claim that holds it now');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      await this.queue.fail(job, this.owner, message);
      log.warn({ err: error }, 'job attempt failed');
    } finally {
      clearInterval(renew);
    }
  }
}
