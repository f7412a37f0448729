import type { QueryResult, RawBuilder, Insertable, SelectQueryBuilder, UpdateQueryBuilder, DeleteQueryBuilder, InsertQueryBuilder, InsertResult, UpdateResult, DeleteResult } from 'kysely';
import type { TenantScope } from '../tenancy/scope.ts';
import type { Database, DialectName, Executor } from './database.ts';
import { databaseUnavailable, isSqliteBusy, isTransactionConflict } from './database-faults.ts';
import type { DB, TenantTable } from './schema.ts';

type Stamped<T extends TenantTable> = Omit<Insertable<DB[T]>, 'tenant_id'>;

/**
 * The only database handle a repository gets: every statement it builds is filtered by, or stamped
 * with, the scope's tenant id. Joins and subqueries must add `tenant_id` themselves (composite
 * foreign keys make that natural); the two-tenant isolation suite checks every repository method.
 */
export class TenantDb {
  readonly #executor: Executor;
  readonly scope: TenantScope;
  readonly dialect: DialectName;

  constructor(executor: Executor, scope: TenantScope, dialect: DialectName) {
    this.#executor = executor;
    this.scope = scope;
    this.dialect = dialect;
  }

  get tenantId(): string {
    return this.scope.tenantId;
  }

  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<DB, T, {}> {
    return (this.#executor.selectFrom(table) as SelectQueryBuilder<DB, T, {}>).where(`${table}.tenant_id` as any, '=', this.tenantId);
  }

  insertInto<T extends TenantTable>(table: T, values: Stamped<T> | readonly Stamped<T>[]): InsertQueryBuilder<DB, T, InsertResult> {
    const rows = (Array.isArray(values) ? values : [values]).map((row) => ({ ...row, tenant_id: this.tenantId }));
    return this.#executor.insertInto(table).values(rows as any) as InsertQueryBuilder<DB, T, InsertResult>;
  }

  updateTable<T extends TenantTable>(table: T): UpdateQueryBuilder<DB, T, T, UpdateResult> {
    return (this.#executor.updateTable(table) as UpdateQueryBuilder<DB, T, T, UpdateResult>).where(`${table}.tenant_id` as any, '=', this.tenantId);
  }

  /** Runs a raw query (recursive CTEs and the like), which must filter by `tenantId` itself. */
  raw<R>(query: RawBuilder<R>): Promise<QueryResult<R>> {
    return query.execute(this.#executor);
  }

  /** The scope's own row in the tenant registry (the one table keyed by `id` rather than `tenant_id`). */
  selectOwnTenant(): SelectQueryBuilder<DB, 'tenants', {}> {
    return this.#executor.selectFrom('tenants').where('tenants.id', '=', this.tenantId);
  }

  /** Creates the scope's own registry row (tenant creation is the one writer). */
  insertOwnTenant(values: Omit<Insertable<DB['tenants']>, 'id'>): InsertQueryBuilder<DB, 'tenants', InsertResult> {
    return this.#executor.insertInto('tenants').values({ ...values, id: this.tenantId } as Insertable<DB['tenants']>);
  }

  updateOwnTenant(): UpdateQueryBuilder<DB, 'tenants', 'tenants', UpdateResult> {
    return this.#executor.updateTable('tenants').where('tenants.id', '=', this.tenantId);
  }

  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<DB, T, DeleteResult> {
    return (this.#executor.deleteFrom(table) as DeleteQueryBuilder<DB, T, DeleteResult>).where(`${table}.tenant_id` as any, '=', this.tenantId);
  }
}

/** A scoped handle outside any transaction (single reads). */
export function scoped(database: Database, scope: TenantScope): TenantDb {
  return new TenantDb(database.db, scope, database.dialect);
}

/** Runs of one transaction that a concurrent writer got in the way of, before giving up. */
const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs `work` in one transaction with a scoped handle bound to it; services own their transactions through this.
 *
 * A transaction that fails only because a concurrent writer got in the way (SQLite's SQLITE_BUSY from
 * another process on the same file, PostgreSQL's serialization failure or deadlock) was rolled back
 * whole, so it runs again, a bounded number of times. `work` may therefore run more than once: it
 * must act only through `tdb`, with anything outside the database (hashing a password, sending
 * mail, calling out) done before or after it. When SQLite's lock never comes the caller gets the
 * `unavailable` error (503).
 */
export async function inTransaction<T>(database: Database, scope: TenantScope, work: (tdb: TenantDb) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute((trx) => work(new TenantDb(trx, scope, database.dialect)));
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) throw isSqliteBusy(error) ? databaseUnavailable(error) : error;
      // jittered, growing pauses so that the writers that collided do not collide again in step
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10 + Math.random() * 50));
    }
  }
}
