import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Dialect } from './benchmark.ts';
import type { Settings } from './settings.ts';

/**
 * The database a run benchmarks on, created for the run and dropped after it: a SQLite file in a
 * temporary folder, or a PostgreSQL database (BENCH_PG_DATABASE) on the server BENCH_DATABASE_URL
 * names. Nothing else on that server is touched.
 */
export interface BenchDatabase {
  dialect: Dialect;
  /** TESSERA_DATABASE_URL for Tessera and the references */
  url: string;
  /** the folder Tessera may use as TESSERA_DATA_DIR */
  dataDir: string;
  /** pids of the PostgreSQL backends serving this database (their CPU is reported beside the server's); empty for SQLite */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** Temporary folders of this run, removed even when the run is interrupted. */
const folders = new Set<string>();
process.once('exit', () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Null when the PostgreSQL server answers; otherwise why not, in one line. */
export async function postgresUnreachable(serverUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(dialect: Dialect, settings: Settings): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `tessera-bench-${dialect}-`));
  folders.add(dataDir);
  if (dialect === 'sqlite') {
    return {
      dialect,
      url: join(dataDir, 'tessera.db'),
      dataDir,
      backendPids: async () => [],
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = settings.pgDatabase;
  await onServer(settings.databaseUrl, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  return {
    dialect,
    url: databaseUrlFor(settings.databaseUrl, name),
    dataDir,
    backendPids: () =>
      onServer(settings.databaseUrl, async (client) => {
        const rows = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name]);
        return rows.rows.map((r) => Number(r.pid));
      }),
    drop: async () => {
      await onServer(settings.databaseUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
