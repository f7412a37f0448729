import type { Executor } from '../../storage/database.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { iso, json, toJson } from '../../storage/values.ts';
import type { Job, Lease } from './queue.types.ts';

type JobRow = {
  tenant_id: string;
  id: string;
  kind: string;
  payload: unknown;
  progress: unknown;
  state: Job['state'];
  attempts: number;
  max_attempts: number;
  run_after: string | Date;
  last_error: string | null;
  created_at: string | Date;
  finished_at: string | Date | null;
};

export const queueRepo = Object.freeze({
  async insert(tdb: TenantDb, job: { id: string; kind: string; payload: unknown; maxAttempts: number; runAfter: string; now: string }): Promise<void> {
    await tdb
      .insertInto('jobs', {
        id: job.id,
        kind: job.kind,
        payload: toJson(job.payload),
        progress: null,
        state: 'queued',
        attempts: 0,
        max_attempts: job.maxAttempts,
        run_after: job.runAfter,
        lease_owner: null,
        lease_expires_at: null,
        last_error: null,
        created_at: job.now,
        updated_at: job.now,
        finished_at: null,
      })
      .execute();
  },

  async get(tdb: TenantDb, id: string): Promise<Job | undefined> {
    const row = await tdb.selectFrom('jobs').selectAll().where('jobs.id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  },

  /**
   * Takes the lease on a runnable job: queued and due, or running with an expired lease (its
   * node died). One conditional UPDATE, so of several nodes racing for a job exactly one wins.
   */
  async claim(tdb: TenantDb, id: string, owner: string, now: string, leaseUntil: string): Promise<boolean> {
    const result = await tdb
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', lease_owner: owner, lease_expires_at: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('jobs.id', '=', id)
      .where((eb) => eb.or([eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]), eb.and([eb('state', '=', 'running'), eb('lease_expires_at', '<', now)])]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /**
   * Writes by a lease holder; a claim whose lease was taken over (by another node, or by this node
   * claiming the job again) changes nothing. With `unexpired`, also nothing once the lease has run
   * out, even if no one has taken it yet: another node may do so at any moment.
   */
  async update(
    tdb: TenantDb,
    id: string,
    lease: Lease,
    patch: { progress?: unknown; leaseUntil?: string; state?: Job['state']; runAfter?: string; lastError?: string | null; finishedAt?: string; now: string },
    options: { unexpired?: boolean } = {},
  ): Promise<boolean> {
    const set: Record<string, unknown> = { updated_at: patch.now };
    if (patch.progress !== undefined) set.progress = toJson(patch.progress);
    if (patch.leaseUntil !== undefined) set.lease_expires_at = patch.leaseUntil;
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.runAfter !== undefined) set.run_after = patch.runAfter;
    if (patch.lastError !== undefined) set.last_error = patch.lastError;
    if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
    if (patch.state && patch.state !== 'running') {
      set.lease_owner = null;
      set.lease_expires_at = null;
    }
    let query = tdb.updateTable('jobs').set(set as never).where('jobs.id', '=', id).where('lease_owner', '=', lease.owner).where('attempts', '=', lease.attempt).where('state', '=', 'running');
    if (options.unexpired) query = query.where('lease_expires_at', '>=', patch.now);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
});

/** The runner's one cross-tenant read: which jobs, of any tenant, could run now. */
export const queueRegistry = Object.freeze({
  async runnable(ex: Executor, now: string, limit: number): Promise<{ tenantId: string; id: string }[]> {
    const rows = await ex
      .selectFrom('jobs')
      .select(['tenant_id', 'id'])
      .where((eb) => eb.or([eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]), eb.and([eb('state', '=', 'running'), eb('lease_expires_at', '<', now)])]))
      .orderBy('run_after')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ tenantId: row.tenant_id, id: row.id }));
  },

  /** Jobs per state across all tenants, for the operations metrics (no tenant data leaves). */
  async countsByState(ex: Executor): Promise<Record<string, number>> {
    const rows = await ex.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  },
});

function toJob(row: JobRow): Job {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    kind: row.kind,
    payload: json(row.payload, null),
    progress: json(row.progress, null),
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: iso(row.run_after),
    lastError: row.last_error,
    createdDateTime: iso(row.created_at),
    finishedDateTime: iso(row.finished_at, 'nullable'),
  };
}
