import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DialectName } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

/**
 * The databases every storage test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (CI always sets it). Each call gets a database of its own: a fresh in-memory SQLite, or a fresh
 * PostgreSQL schema that is dropped again on close, so test files can run in parallel.
 */
export const testDialects: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

if (!process.env.TEST_DATABASE_URL && !process.env.TESSERA_QUIET_SKIPS) {
  process.env.TESSERA_QUIET_SKIPS = '1';
  console.log('# TEST_DATABASE_URL is not set: PostgreSQL variants of the storage tests are skipped');
}

export interface TestDatabase extends Database {
  /** a URL another process (a second server node) can open to reach the same data */
  url: string;
}

export async function createTestDatabase(dialect: DialectName, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let database: Database;
  let url: string;
  let cleanup = async () => {};
  if (dialect === 'postgres') {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const u = new URL(base);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
    database = openDatabase(url, { poolSize: 5 });
    // Kysely's migrator introspects every schema it can see; a schema dropped by another test
    // process in the middle of that fails it. Creating+migrating and dropping take one advisory
    // lock, so those never overlap (queries inside a schema need no lock).
    await underSchemaLock(base, async (client) => {
      await client.query(`create schema ${schema}`);
      if (options.migrate !== false) await migrateToLatest(database);
    });
    cleanup = () => underSchemaLock(base, (client) => client.query(`drop schema ${schema} cascade`).then(() => undefined));
  } else {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    url = join(mkdtempSync(join(tmpdir(), 'tessera-test-')), 'test.db');
    database = openDatabase(url);
  }
  if (dialect === 'sqlite' && options.migrate !== false) await migrateToLatest(database);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await cleanup();
    },
  };
}

const SCHEMA_LOCK = 727_001;

async function underSchemaLock(connectionString: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await work(client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => {});
    await client.end();
  }
}
