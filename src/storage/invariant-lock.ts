import { sql } from 'kysely';
import type { TenantDb } from './scoped.ts';

/**
 * Invariants that span rows ("a tenant keeps an enabled Global Administrator", "assigned licenses
 * never exceed the seats bought") are check-then-write rules: count, then change. Under PostgreSQL's
 * READ COMMITTED two transactions can both count before either writes, and both write, breaking the
 * invariant (issue 13: two nodes removing each other's Global Administrator left none). Every
 * transaction that could break an invariant takes that invariant's lock for its tenant FIRST, then
 * counts and writes; the lock is held until commit or rollback, so the next one counts only after
 * the previous change is committed (each READ COMMITTED statement sees what was committed before it).
 *
 * - PostgreSQL: a transaction-level advisory lock on a 64-bit hash of (invariant, tenant). It
 *   serializes only the transactions that take the same lock: other writes of the tenant, and the
 *   same invariant in other tenants, go on. A hash collision only makes two unrelated lock holders
 *   wait for each other, never breaks an invariant.
 * - SQLite: nothing to take. A database has one writer at a time: within a process the driver runs
 *   one transaction at a time on its one connection, and write transactions begin IMMEDIATE (they
 *   take the write lock before their first read). Even a deferred transaction could not break an
 *   invariant: if it counted from a snapshot that another process has since changed, SQLite refuses
 *   its first write (SQLITE_BUSY_SNAPSHOT) instead of committing it.
 *
 * Must be called inside `inTransaction` (outside one, the PostgreSQL lock would be released as soon
 * as the statement ends). Take it before reading the rows the check depends on, and only in
 * transactions that can make the counted quantity worse (adding a Global Administrator needs no lock).
 *
 * `invariant` names the rule, not the rows: 'enabledGlobalAdministrators', 'licenseSeats:{skuId}'.
 */
export async function lockInvariant(tdb: TenantDb, invariant: string): Promise<void> {
  if (tdb.dialect !== 'postgres') return;
  await tdb.raw(sql`select pg_advisory_xact_lock(hashtextextended(${`tessera.invariant:${invariant}:${tdb.tenantId}`}, 0))`);
}
