import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase, statementCache } from './database.ts';

describe('statementCache', () => {
  test('compiles each SQL text once while it stays in the cache', () => {
    const compiled: string[] = [];
    const cache = statementCache(3, (text) => {
      compiled.push(text);
      return { text };
    });
    const first = cache.get('a');
    assert.equal(cache.get('a'), first);
    cache.get('b');
    cache.get('a');
    assert.deepEqual(compiled, ['a', 'b']);
  });

  test('holds at most its size, dropping the least recently used', () => {
    const compiled: string[] = [];
    const cache = statementCache(2, (text) => compiled.push(text));
    cache.get('a');
    cache.get('b');
    cache.get('a'); // a is now the most recently used
    cache.get('c'); // evicts b
    assert.equal(cache.size, 2);
    cache.get('a');
    cache.get('b'); // compiled again, evicting c
    assert.deepEqual(compiled, ['a', 'b', 'c', 'b']);
    for (let i = 0; i < 100; i++) cache.get(`select ${i}`);
    assert.equal(cache.size, 2);
    cache.clear();
    assert.equal(cache.size, 0);
  });
});

describe('the SQLite connection reuses statements safely', () => {
  let dir: string;
  let database: Database;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-stmt-'));
    database = openDatabase(join(dir, 'test.db'));
  });
  after(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the same text with other parameters, booleans included', async () => {
    await sql`create table t (n integer primary key, flag integer not null)`.execute(database.db);
    for (let n = 1; n <= 5; n++) await sql`insert into t (n, flag) values (${n}, ${n % 2 === 0})`.execute(database.db);
    const flagged = async (flag: boolean) => (await sql<{ n: number }>`select n from t where flag = ${flag} order by n`.execute(database.db)).rows.map((r) => r.n);
    assert.deepEqual(await flagged(true), [2, 4]);
    assert.deepEqual(await flagged(false), [1, 3, 5]);
    assert.deepEqual(await flagged(true), [2, 4]);
  });

  test('a stream of a text that is also cached, with the cached statement used around it', async () => {
    const query = () => database.db.selectFrom('t' as never).select('n' as never).orderBy('n' as never);
    const before = await query().execute();
    const streamed: unknown[] = [];
    for await (const row of query().stream(1)) streamed.push(row);
    // a second stream of the same text while the first is still open on its own statement
    const outer = query().stream(1)[Symbol.asyncIterator]();
    const firstOfOuter = await outer.next();
    await outer.return?.();
    const afterwards = await query().execute();
    assert.deepEqual(streamed, before);
    assert.deepEqual(firstOfOuter.value, before[0]);
    assert.deepEqual(afterwards, before);
  });

  test('a cached statement follows schema changes', async () => {
    const select = async () => (await sql<Record<string, unknown>>`select * from t order by n limit 1`.execute(database.db)).rows[0];
    assert.deepEqual(await select(), { n: 1, flag: 0 });
    await sql`alter table t add column note text default 'x'`.execute(database.db);
    assert.deepEqual(await select(), { n: 1, flag: 0, note: 'x' });
    await sql`drop table t`.execute(database.db);
    await assert.rejects(select(), /no such table/);
  });
});
