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

export interface OpenOptions {
  poolSize?: number;
  logger?: Logger;
  /**
   * Called with the text of every statement sent to the database (BEGIN and COMMIT included), before
   * it runs: how tests and `bench/tools/` count the statements of a request or a flow.
   */
  onStatement?: (sql: string) => void;
}

/**
 * Opens the database that TESSERA_DATABASE_URL names: a SQLite file (or `sqlite:` URL, or `:memory:`) or PostgreSQL.
 * Losing the database is not fatal on either: requests that cannot reach it fail with the `unavailable`
 * error, and a pooled PostgreSQL connection that dies is replaced (postgres-pool.ts). `logger` receives
 * those connection losses.
 */
export function openDatabase(url: string, options: OpenOptions = {}): Database {
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
  const maintenance = keepStatisticsCurrent(sqlite, options.logger);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: booleanBindingDatabase(sqlite, options.onStatement, maintenance) }, () => sqlite.inTransaction) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** How often a SQLite connection runs `PRAGMA optimize` (SQLite suggests hourly to daily for long-lived connections). */
export const OPTIMIZE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The query planner's statistics (sqlite_stat1/sqlite_stat4), kept current as SQLite recommends for
 * long-lived connections: `PRAGMA optimize=0x10002` when the connection opens (analyzes every table
 * whose statistics are missing or whose size changed a lot since; a few ms when nothing did),
 * `PRAGMA optimize` every OPTIMIZE_INTERVAL_MS (a timer that never keeps the process alive) and once
 * more before closing. `analysis_limit` bounds each ANALYZE to about 400 rows per index, so even
 * the first one on 1,000,000 users takes about half a second. Without statistics the planner guesses
 * index selectivity. Returns what stops it (on close).
 */
function keepStatisticsCurrent(sqlite: import('better-sqlite3').Database, logger: Logger | undefined): () => void {
  const optimize = (pragma: string) => {
    try {
      sqlite.pragma(pragma);
    } catch (error) {
      // a busy database (another process writing) only postpones it
      logger?.debug({ error: (error as Error).message }, `SQLite ${pragma} did not run`);
    }
  };
  sqlite.pragma('analysis_limit = 400');
  optimize('optimize = 0x10002');
  const timer = setInterval(() => optimize('optimize'), OPTIMIZE_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    optimize('optimize');
  };
}

/** How many compiled statements the SQLite connection keeps (statementCache); the least recently used go first. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 connection as Kysely's SqliteDriver sees it, with two changes:
 *
 * - better-sqlite3 refuses to bind JavaScript booleans. Column values are stored as 0/1, so the
 *   only translation needed is on the way in; repositories read booleans back through `bool()`.
 * - Compiled statements are reused: compiling a statement costs more than running most of ours,
 *   and every statement holds native memory until it is garbage-collected. Statements are kept by
 *   SQL text in a bounded LRU (STATEMENT_CACHE_SIZE), so texts that vary per call (IN lists of
 *   varying length) cannot grow it without bound. Only `all` and `run` use the cached statement:
 *   they run to completion synchronously, so a cached statement is never used by two callers at
 *   once. `iterate` (Kysely's stream()) keeps the statement busy across awaits, so each stream
 *   compiles a statement of its own that nothing else can reach.
 */
function booleanBindingDatabase(sqlite: import('better-sqlite3').Database, onStatement: ((sql: string) => void) | undefined, beforeClose: () => void) {
  const toParam = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
  const cache = statementCache(STATEMENT_CACHE_SIZE, (sql) => sqlite.prepare(sql));
  return {
    close: () => {
      cache.clear();
      if (sqlite.open) beforeClose();
      sqlite.close();
    },
    prepare(sql: string) {
      // Kysely prepares each statement right before running it once
      onStatement?.(sql);
      const statement = cache.get(sql);
      return {
        get reader() {
          return statement.reader;
        },
        all: (parameters: ReadonlyArray<unknown>) => statement.all(...parameters.map(toParam)),
        run: (parameters: ReadonlyArray<unknown>) => statement.run(...parameters.map(toParam)),
        iterate: (parameters: ReadonlyArray<unknown>) => sqlite.prepare(sql).iterate(...parameters.map(toParam)),
      };
    },
  } as unknown as import('kysely').SqliteDatabase;
}

/** A least-recently-used map from SQL text to what `compile` made of it, holding at most `size` entries. */
export function statementCache<T>(size: number, compile: (sql: string) => T): { get(sql: string): T; clear(): void; readonly size: number } {
  // A Map iterates in insertion order; re-inserting on every hit keeps the least recently used first.
  const entries = new Map<string, T>();
  return {
    get(sql) {
      let value = entries.get(sql);
      if (value !== undefined) {
        entries.delete(sql);
      } else {
        value = compile(sql);
        if (entries.size >= size) entries.delete(entries.keys().next().value!);
      }
      entries.set(sql, value);
      return value;
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

export async function pingDatabase(database: Database): Promise<void> {
  await sql`select 1`.execute(database.db);
}
