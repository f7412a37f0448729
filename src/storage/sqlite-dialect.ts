import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type TransactionSettings } from 'kysely';
import { databaseUnavailable, isSqliteBusy } from './database-faults.ts';

/** Attempts of one statement outside a transaction that meets SQLITE_BUSY (each already waited busy_timeout). */
const STATEMENT_ATTEMPTS = 3;

/**
 * Kysely's SQLite dialect, made safe for more than one process on the same file (the server and
 * a `tessera` CLI command, say):
 *
 * - Transactions start with `BEGIN IMMEDIATE`. Kysely's plain `begin` is DEFERRED: the transaction
 *   reads under a shared lock and must upgrade to a write lock at its first write, and when another
 *   connection has written meanwhile SQLite refuses the upgrade at once with SQLITE_BUSY(_SNAPSHOT),
 *   without calling the busy handler (waiting could deadlock). IMMEDIATE takes the write lock at
 *   `begin`, where busy_timeout does apply, so a write transaction waits its turn instead of failing.
 *   A transaction opened with `setAccessMode('read only')` keeps the deferred `begin`.
 * - A statement outside any transaction that still meets SQLITE_BUSY had no effect, so it is run
 *   again a bounded number of times (this includes `BEGIN IMMEDIATE` itself); when the lock never
 *   comes, the caller gets the `unavailable` error (503), not a driver error.
 *
 * Whole transactions that meet SQLITE_BUSY after `begin` are retried by `inTransaction` (scoped.ts).
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #inTransaction: () => boolean;

  /** `inTransaction` tells whether the connection has a transaction open (better-sqlite3's `inTransaction`). */
  constructor(config: SqliteDialectConfig, inTransaction: () => boolean) {
    super(config);
    this.#config = config;
    this.#inTransaction = inTransaction;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#inTransaction);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #inTransaction: () => boolean;
  #connection: DatabaseConnection | undefined;

  constructor(config: SqliteDialectConfig, inTransaction: () => boolean) {
    super(config);
    this.#inTransaction = inTransaction;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // SqliteDriver has one connection (Kysely serializes its use), so one wrapper serves every acquire.
    this.#connection ??= retryingBusyStatements(await super.acquireConnection(), this.#inTransaction);
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin deferred' : 'begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite rolls some failed transactions back by itself; a second rollback would then fail and
    // hide the error that caused it.
    if (this.#inTransaction()) await super.rollbackTransaction(connection);
  }
}

function retryingBusyStatements(connection: DatabaseConnection, inTransaction: () => boolean): DatabaseConnection {
  return {
    async executeQuery(query, options) {
      for (let attempt = 1; ; attempt++) {
        const autocommit = !inTransaction();
        try {
          return await connection.executeQuery(query, options);
        } catch (error) {
          if (!autocommit || !isSqliteBusy(error)) throw error;
          if (attempt >= STATEMENT_ATTEMPTS) throw databaseUnavailable(error);
          await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
        }
      }
    },
    streamQuery: (query, chunkSize, options) => connection.streamQuery(query, chunkSize, options),
  };
}
