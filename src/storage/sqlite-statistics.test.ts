import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.ts';

/**
 * The planner's statistics are gathered without anyone running ANALYZE: a SQLite connection runs
 * `PRAGMA optimize=0x10002` when it opens (and `PRAGMA optimize` hourly and on close), so a
 * database that grew since its last statistics is analyzed by the next server start.
 */
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('opening a SQLite database analyzes tables that have no statistics yet', async () => {
  const file = join(dir, 'stats.db');
  const first = openDatabase(file);
  await sql`create table t (id integer primary key, k text not null)`.execute(first.db);
  await sql`create index t_k on t (k)`.execute(first.db);
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into t (k) select 'k' || (i % 50) from n`.execute(first.db);
  await first.close();

  const second = openDatabase(file);
  try {
    const rows = (await sql<{ idx: string; stat: string }>`select idx, stat from sqlite_stat1 where tbl = 't'`.execute(second.db)).rows;
    const index = rows.find((row) => row.idx === 't_k');
    assert.ok(index, JSON.stringify(rows));
    // "rows, rows per distinct k": 2,000 rows (the second figure is estimated from a sample: analysis_limit)
    assert.match(index.stat, /^2000 \d+$/);
  } finally {
    await second.close();
  }
});

test('a database that is closed and opened again with current statistics is not analyzed again', async () => {
  const file = join(dir, 'stats.db');
  const database = openDatabase(file);
  try {
    const pending = (await sql<{ optimize: string }>`pragma optimize = -1`.execute(database.db)).rows;
    assert.deepEqual(pending, []);
  } finally {
    await database.close();
  }
});
