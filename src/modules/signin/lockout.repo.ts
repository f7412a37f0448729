import { sql } from 'kysely';
import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';

export interface LockoutState {
  failures: number;
  lockouts: number;
  lockedUntil: string | null;
}

const read = (row: { failures: unknown; lockouts: unknown; locked_until: unknown }): LockoutState => ({
  failures: Number(row.failures),
  lockouts: Number(row.lockouts),
  lockedUntil: iso(row.locked_until, 'nullable'),
});

/**
 * Smart-lockout counters per (user, source), in the database so every node sees the same lock.
 * Failures are counted by one atomic upsert, so concurrent guesses (on any node) are all counted.
 */
export const lockoutRepo = Object.freeze({
  async get(tdb: TenantDb, userId: string, source: string): Promise<LockoutState | undefined> {
    const row = await tdb.selectFrom('sign_in_lockouts').selectAll().where('user_id', '=', userId).where('source', '=', source).executeTakeFirst();
    return row ? read(row) : undefined;
  },

  /** Counts one failure and returns the state after it. */
  async recordFailure(tdb: TenantDb, userId: string, source: string, now: string): Promise<LockoutState> {
    const row = await tdb
      .insertInto('sign_in_lockouts', { user_id: userId, source, failures: 1, lockouts: 0, locked_until: null, updated_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'source']).doUpdateSet({ failures: sql`sign_in_lockouts.failures + 1`, updated_at: now }))
      .returning(['failures', 'lockouts', 'locked_until'])
      .executeTakeFirstOrThrow();
    return read(row);
  },

  /** Locks the pair until `until`: the failure count starts again and the lock count goes up. */
  async lock(tdb: TenantDb, userId: string, source: string, until: string, now: string): Promise<void> {
    await tdb
      .updateTable('sign_in_lockouts')
      .set({ failures: 0, lockouts: sql`lockouts + 1`, locked_until: until, updated_at: now })
      .where('user_id', '=', userId)
      .where('source', '=', source)
      .execute();
  },

  async clear(tdb: TenantDb, userId: string, source: string): Promise<void> {
    await tdb.deleteFrom('sign_in_lockouts').where('user_id', '=', userId).where('source', '=', source).execute();
  },
});
