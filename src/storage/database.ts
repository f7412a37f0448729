import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../kernel/logger.ts';
import { createPostgresPool } from './postgres-pool.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import type { DB } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export type Executor = Kysely<DB> | Transaction<DB>;

// pg returns BIGINT (count(*)) as strings and timestamptz as Date; keep counts numeric.
pg.types.setTypeParser(20, (value) => Number(value));

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/**
 * Opens the database that TESSERA_DATABASE_URL names: a SQLite file (or `sqlite:` URL, or `:memory:`) or PostgreSQL.
 * Losing the database is not fatal on either: requests that cannot reach it fail with the `unavailable`
 * error, and a pooled PostgreSQL connection that dies is replaced (postgres-pool.ts). `logger` receives
 * those connection losses.
 */
export function openDatabase(url: string, options: { poolSize?: number; logger?: Logger } = {}): Database {
  if (dialectOf(url) === 'postgres') {
    const pool = createPostgresPool(url, options);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  // better-sqlite3 is loaded lazily so that importing this module never loads the native addon
  // (it must only ever load under Node 24; see README).
  const require = createRequire(import.meta.url);
  const BetterSqlite3 = require('better-sqlite3') as typeof import('better-sqlite3');
  const sqlite = new BetterSqlite3(file);
  // busy_timeout: another process (a `tessera` CLI command next to the server) may hold the write
  // lock; wait for it rather than fail. Write transactions take that lock at BEGIN IMMEDIATE, where
  // this timeout applies (sqlite-dialect.ts).
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: booleanBindingDatabase(sqlite) }, () => sqlite.inTransaction) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * better-sqlite3 refuses to bind JavaScript booleans. Column values are stored as 0/1, so the
 * only translation needed is on the way in; repositories read booleans back through `bool()`.
 */
function booleanBindingDatabase(sqlite: import('better-sqlite3').Database) {
  const toParam = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const statement = sqlite.prepare(sql);
      return {
        get reader() {
          return statement.reader;
        },
        all: (parameters: ReadonlyArray<unknown>) => statement.all(...parameters.map(toParam)),
        run: (parameters: ReadonlyArray<unknown>) => statement.run(...parameters.map(toParam)),
        iterate: (parameters: ReadonlyArray<unknown>) => statement.iterate(...parameters.map(toParam)),
      };
    },
  } as unknown as import('kysely').SqliteDatabase;
}

export async function pingDatabase(database: Database): Promise<void> {
  await sql`select 1`.execute(database.db);
}
