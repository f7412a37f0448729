import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';
import { queueRegistry, queueRepo } from './queue.repo.ts';
import { QueueErrors } from './queue.errors.ts';
import type { Job, Lease } from './queue.types.ts';

export interface EnqueueOptions {
  /** earliest start; default now */
  runAfter?: Date;
  /** default 5 */
  maxAttempts?: number;
}

/** Retry backoff after a failed attempt: 5 s, 10 s, 20 s, ... at most 15 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempt - 1), 15 * 60);
}

/**
 * The durable job queue (DESIGN §6). Modules enqueue inside their own transaction, so a job exists
 * exactly when the change that needs it was committed; the runner (src/jobs) claims, runs and
 * settles jobs through the methods below.
 */
export class QueueService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async enqueue(tdb: TenantDb, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const id = newId();
    const now = this.clock.now();
    await queueRepo.insert(tdb, {
      id,
      kind,
      payload,
      maxAttempts: options.maxAttempts ?? 5,
      runAfter: (options.runAfter ?? now).toISOString(),
      now: now.toISOString(),
    });
    return id;
  }

  readonly #nudged = new Set<() => void>();

  /**
   * Says that work was committed just now (call it after the transaction that enqueued, never
   * inside it): this process's job runner looks at once instead of at its next poll. A bulk upload
   * starts within milliseconds, and its mails go out while its later rows are still being invited.
   */
  nudge(): void {
    for (const listener of this.#nudged) listener();
  }

  /** The job runner's subscription to nudge(); returns the unsubscribe. */
  onNudge(listener: () => void): () => void {
    this.#nudged.add(listener);
    return () => this.#nudged.delete(listener);
  }

  get(scope: TenantScope, id: string): Promise<Job | undefined> {
    return queueRepo.get(scoped(this.database, scope), id);
  }

  /** Claims up to `limit` runnable jobs for `owner`, each with a lease of `leaseMs`. */
  async claim(owner: string, limit: number, leaseMs: number): Promise<Job[]> {
    const now = this.clock.now();
    const candidates = await queueRegistry.runnable(this.database.db, now.toISOString(), limit);
    const claimed: Job[] = [];
    for (const candidate of candidates) {
      const tdb = scoped(this.database, tenantScope(candidate.tenantId));
      if (await queueRepo.claim(tdb, candidate.id, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString())) {
        const job = await queueRepo.get(tdb, candidate.id);
        if (job) claimed.push(job);
      }
    }
    return claimed;
  }

  /**
   * Claims one given job, when it is runnable, with a lease of `leaseMs`: for a process that runs
   * the work it just enqueued itself (`tessera invite`). Null when it is not runnable (a server
   * node took it first, or it is done): then that process watches rather than runs it.
   */
  async claimJob(scope: TenantScope, id: string, owner: string, leaseMs: number): Promise<Job | null> {
    const now = this.clock.now();
    const tdb = scoped(this.database, scope);
    if (!(await queueRepo.claim(tdb, id, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()))) return null;
    return (await queueRepo.get(tdb, id)) ?? null;
  }

  /** Records progress and extends the lease; false when the lease was lost (stop working). */
  saveProgress(job: Job, owner: string, progress: unknown, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    return queueRepo.update(this.tdbOf(job), job.id, leaseOf(job, owner), { progress, leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), now: now.toISOString() });
  }

  renewLease(job: Job, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    return queueRepo.update(this.tdbOf(job), job.id, leaseOf(job, owner), { leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), now: now.toISOString() });
  }

  /**
   * Proves, right before a side effect the database cannot undo (sending mail), that this claim
   * still holds its unexpired lease, and extends it; otherwise throws `queue.leaseLost` and the
   * handler must stop without doing or recording anything: the job is another claim's now. This
   * narrows, not closes, the window for a second delivery (a node can still stall after the check),
   * which is why delivery is at least once.
   */
  async assertLease(job: Job, owner: string, leaseMs: number): Promise<void> {
    const now = this.clock.now();
    const held = await queueRepo.update(this.tdbOf(job), job.id, leaseOf(job, owner), { leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), now: now.toISOString() }, { unexpired: true });
    if (!held) throw QueueErrors.leaseLost(job.id);
  }

  complete(job: Job, owner: string): Promise<boolean> {
    const now = this.clock.now().toISOString();
    return queueRepo.update(this.tdbOf(job), job.id, leaseOf(job, owner), { state: 'succeeded', finishedAt: now, lastError: null, now });
  }

  /** A failed attempt: retried with backoff until `maxAttempts`, then the job is failed for good. */
  fail(job: Job, owner: string, error: string): Promise<boolean> {
    const now = this.clock.now();
    const final = job.attempts >= job.maxAttempts;
    return queueRepo.update(this.tdbOf(job), job.id, leaseOf(job, owner), {
      state: final ? 'failed' : 'queued',
      lastError: error.slice(0, 2000),
      now: now.toISOString(),
      ...(final ? { finishedAt: now.toISOString() } : { runAfter: new Date(now.getTime() + retryDelaySeconds(job.attempts) * 1000).toISOString() }),
    });
  }

  countsByState(): Promise<Record<string, number>> {
    return queueRegistry.countsByState(this.database.db);
  }

  private tdbOf(job: Job): TenantDb {
    return scoped(this.database, tenantScope(job.tenantId));
  }
}

/** The claim that produced `job` (claim() returns the job as its claim left it). */
function leaseOf(job: Job, owner: string): Lease {
  return { owner, attempt: job.attempts };
}
