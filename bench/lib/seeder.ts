import { createRequire } from 'node:module';
import pg from 'pg';
import type { Dialect } from './benchmark.ts';
import { benchUserId, POPULATION } from './population.ts';

/**
 * The bench seeder: writes users straight into `directory_objects` and `users` with raw SQL, not
 * through the argon2 path. The rows are generated inside the database (a recursive CTE on SQLite,
 * generate_series on PostgreSQL) from the same lists and formulas as `benchUser` in population.ts,
 * so nothing crosses the driver but the statement. Like any bulk loader (pg_restore does the same)
 * it drops the secondary indexes of `users` and defers the foreign-key checks, then re-creates the
 * indexes from their own stored definitions (sqlite_master / pg_indexes) and checks every foreign
 * key at once: the schema ends exactly as the migrations made it, a broken row fails the seeding,
 * and the reported time includes all of it. Tessera offers no bulk import today, so this lives in bench/ and
 * follows the schema of src/storage/migrations (tenant_id first in every tenant table).
 */
export interface SeedReport {
  users: number;
  /** inserts and index rebuilds, until the last row is committed */
  insertSeconds: number;
  /** of which re-creating the secondary indexes and checking the foreign keys */
  indexSeconds: number;
  /** ANALYZE (and the SQLite WAL checkpoint), so plans and files are what a settled server sees */
  settleSeconds: number;
  seconds: number;
  rowsPerSecond: number;
}

/** Rows per statement (progress is reported between statements). */
const BATCH = 100_000;

const USER_COLUMNS = [
  'tenant_id', 'id', 'user_principal_name', 'display_name', 'given_name', 'surname', 'mail', 'mail_nickname', 'other_mails', 'proxy_addresses',
  'identities', 'business_phones', 'account_enabled', 'user_type', 'usage_location', 'job_title', 'department', 'created_at', 'updated_at',
].join(', ');

const { first, last, jobs, departments, departmentRun, idPrefix } = POPULATION;

export async function seedUsers(dialect: Dialect, url: string, tenantId: string, domain: string, count: number, progress?: (done: number) => void): Promise<SeedReport> {
  const started = performance.now();
  const indexSeconds = dialect === 'sqlite' ? withSqlite(url, (db) => seedSqlite(db, tenantId, domain, count, progress)) : await seedPostgres(url, tenantId, domain, count, progress);
  const inserted = performance.now();
  if (dialect === 'sqlite') {
    withSqlite(url, (db) => {
      db.exec('analyze');
      db.pragma('wal_checkpoint(TRUNCATE)');
    });
  } else {
    await withPostgres(url, (client) => client.query('analyze directory_objects, users'));
  }
  const done = performance.now();
  const seconds = (done - started) / 1000;
  return { users: count, insertSeconds: (inserted - started) / 1000, indexSeconds, settleSeconds: (done - inserted) / 1000, seconds, rowsPerSecond: Math.round(count / seconds) };
}

function withSqlite<T>(url: string, work: (db: import('better-sqlite3').Database) => T): T {
  const require = createRequire(import.meta.url);
  const Sqlite = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Sqlite(url);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // a page cache that holds the indexes being built (the default 2 MB would spill them over and over)
    db.pragma('cache_size = -262144');
    return work(db);
  } finally {
    db.close();
  }
}

async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** SQLite: users i in [from, to) as rows of a recursive CTE, the name lists as temp tables. */
/** Returns the seconds spent re-creating indexes. */
function seedSqlite(db: import('better-sqlite3').Database, tenantId: string, domain: string, count: number, progress?: (done: number) => void): number {
  const lists = { bench_first: first, bench_last: last, bench_jobs: jobs, bench_departments: departments };
  for (const [table, values] of Object.entries(lists)) {
    db.exec(`create temp table ${table} (k integer primary key, v text not null)`);
    const insert = db.prepare(`insert into temp.${table} (k, v) values (?, ?)`);
    values.forEach((v, k) => insert.run(k, v));
  }
  const sequence = 'with recursive seq(i) as (select cast(@from as integer) union all select i + 1 from seq where i + 1 < @to)';
  const objects = db.prepare(`${sequence} insert into directory_objects (tenant_id, id, object_type, created_at) select @tenant, printf('${idPrefix}%012x', i), 'user', @now from seq`);
  const users = db.prepare(
    `${sequence}, person as (
       select i, f.v as gn, l.v as sn, j.v as job, d.v as dept, lower(f.v || '.' || replace(l.v, ' ', '') || '.' || i) as alias
       from seq
       join temp.bench_first f on f.k = i % ${first.length}
       join temp.bench_last l on l.k = (i / ${first.length}) % ${last.length}
       join temp.bench_jobs j on j.k = i % ${jobs.length}
       join temp.bench_departments d on d.k = (i / ${departmentRun}) % ${departments.length})
     insert into users (${USER_COLUMNS})
     select @tenant, printf('${idPrefix}%012x', i), alias || '@' || @domain, gn || ' ' || sn, gn, sn, alias || '@mail.' || @domain, alias,
            '[]', '[]', '[]', '[]', 1, 'Member', 'NL', job, dept, @now, @now
     from person`,
  );
  const now = new Date().toISOString();
  const indexSeconds = bulkLoadSqlite(db, () => {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      db.transaction(() => {
        objects.run({ from, to, tenant: tenantId, now });
        users.run({ from, to, tenant: tenantId, domain, now });
      })();
      progress?.(to);
    }
  });
  for (const table of Object.keys(lists)) db.exec(`drop table temp.${table}`);
  return indexSeconds;
}

/**
 * Runs `work` as a bulk load: the secondary indexes of `users` dropped and foreign keys not checked
 * row by row; then the indexes are re-created and every foreign key is checked at once (a violation
 * fails the seeding). Returns the seconds the re-creation and the check took.
 */
function bulkLoadSqlite(db: import('better-sqlite3').Database, work: () => void): number {
  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'users' and sql is not null`).all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`drop index "${index.name}"`);
  db.pragma('foreign_keys = OFF');
  work();
  const started = performance.now();
  db.pragma('foreign_keys = ON');
  for (const index of indexes) db.exec(index.sql);
  for (const table of ['directory_objects', 'users']) {
    const violations = db.pragma(`foreign_key_check(${table})`) as unknown[];
    if (violations.length > 0) throw new Error(`the seeder broke ${violations.length} foreign keys of ${table}: ${JSON.stringify(violations[0])}`);
  }
  return (performance.now() - started) / 1000;
}

/** PostgreSQL: users i in [from, to) from generate_series, on two connections at once (the server uses both cores). */
async function seedPostgres(url: string, tenantId: string, domain: string, count: number, progress?: (done: number) => void): Promise<number> {
  const id = `'${idPrefix}' || lpad(to_hex(i), 12, '0')`;
  const objects = `insert into directory_objects (tenant_id, id, object_type, created_at) select $1, ${id}, 'user', $4::timestamptz from generate_series($2::bigint, $3::bigint - 1) i`;
  const users = `insert into users (${USER_COLUMNS})
    select $1, ${id}, alias || '@' || $5, gn || ' ' || sn, gn, sn, alias || '@mail.' || $5, alias,
           '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, true, 'Member', 'NL', job, dept, $4::timestamptz, $4::timestamptz
    from (select i, gn, sn, job, dept, lower(gn || '.' || replace(sn, ' ', '') || '.' || i) as alias
          from (select i, ($6::text[])[i % ${first.length} + 1] as gn, ($7::text[])[(i / ${first.length}) % ${last.length} + 1] as sn,
                       ($8::text[])[i % ${jobs.length} + 1] as job, ($9::text[])[(i / ${departmentRun}) % ${departments.length} + 1] as dept
                from generate_series($2::bigint, $3::bigint - 1) i) named) person`;
  const now = new Date().toISOString();
  return bulkLoadPostgres(url, async () => {
    let next = 0;
    let done = 0;
    const worker = () =>
      withPostgres(url, async (client) => {
        while (next < count) {
          const from = next;
          const to = Math.min(count, from + BATCH);
          next = to;
          await client.query('begin');
          await client.query(objects, [tenantId, from, to, now]);
          await client.query(users, [tenantId, from, to, now, domain, first, last, jobs, departments]);
          await client.query('commit');
          done += to - from;
          progress?.(done);
        }
      });
    await Promise.all([worker(), worker()]);
  });
}

/** PostgreSQL's bulkLoad: drops the secondary indexes of `users` and the foreign keys of both tables, re-creates (and so validates) them after. */
async function bulkLoadPostgres(url: string, work: () => Promise<void>): Promise<number> {
  const { indexes, foreignKeys } = await withPostgres(url, async (client) => {
    const found = await client.query<{ name: string; sql: string }>(
      `select indexname as name, indexdef as sql from pg_indexes
        where schemaname = current_schema() and tablename = 'users'
          and indexname not in (select conname from pg_constraint where conrelid = 'users'::regclass)`,
    );
    const keys = await client.query<{ tbl: string; name: string; def: string }>(
      `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def from pg_constraint
        where contype = 'f' and conrelid in ('users'::regclass, 'directory_objects'::regclass)`,
    );
    for (const key of keys.rows) await client.query(`alter table ${key.tbl} drop constraint "${key.name}"`);
    for (const index of found.rows) await client.query(`drop index "${index.name}"`);
    return { indexes: found.rows, foreignKeys: keys.rows };
  });
  await work();
  const started = performance.now();
  // one connection per index: PostgreSQL builds them in parallel
  await Promise.all(
    indexes.map((index) =>
      withPostgres(url, async (client) => {
        await client.query(`set maintenance_work_mem = '256MB'`);
        await client.query(index.sql);
      }),
    ),
  );
  // adding a foreign key checks every existing row in one query
  await withPostgres(url, async (client) => {
    for (const key of foreignKeys) await client.query(`alter table ${key.tbl} add constraint "${key.name}" ${key.def}`);
  });
  return (performance.now() - started) / 1000;
}

/** Gives users a password (one precomputed argon2id hash, Tessera's parameters), for the sign-in benchmark. */
export async function setPasswords(dialect: Dialect, url: string, tenantId: string, userNumbers: readonly number[], hash: string): Promise<void> {
  const now = new Date().toISOString();
  const sql = 'insert into user_credentials (tenant_id, user_id, password_hash, password_changed_at, force_change_password_next_sign_in)';
  if (dialect === 'sqlite') {
    withSqlite(url, (db) => {
      const statement = db.prepare(`${sql} values (?, ?, ?, ?, 0)`);
      db.transaction(() => {
        for (const i of userNumbers) statement.run(tenantId, benchUserId(i), hash, now);
      })();
    });
    return;
  }
  await withPostgres(url, async (client) => {
    for (const i of userNumbers) await client.query(`${sql} values ($1, $2, $3, $4, false)`, [tenantId, benchUserId(i), hash, now]);
  });
}
