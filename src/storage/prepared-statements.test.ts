import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase, testDialects } from '../../test/helpers/databases.ts';
import { openDatabase, type Database } from './database.ts';
import { PREPARED_STATEMENTS_PER_CONNECTION } from './postgres-pool.ts';

/**
 * PostgreSQL connections prepare statements by name (postgres-pool.ts). Two nodes on one database:
 * a table one node has prepared statements on is changed by the other, and the first must go on
 * answering with the new columns; and the named statements of a connection stay bounded.
 */
describe('named prepared statements on PostgreSQL', { skip: !testDialects.includes('postgres') }, () => {
  let database: TestDatabase;
  let nodeA: Database;
  let nodeB: Database;
  before(async () => {
    database = await createTestDatabase('postgres', { migrate: false });
    nodeA = openDatabase(database.url, { poolSize: 1 });
    nodeB = openDatabase(database.url, { poolSize: 1 });
    await sql`create table t (n integer primary key)`.execute(nodeB.db);
    await sql`insert into t values (1), (2)`.execute(nodeB.db);
  });
  after(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await database?.close();
  });

  const prepared = async (db: Database) => (await sql<{ n: number }>`select count(*) as n from pg_prepared_statements`.execute(db.db)).rows[0]!.n;

  test('statements are prepared once per connection and reused', async () => {
    for (let i = 0; i < 5; i++) assert.deepEqual((await sql<{ n: number }>`select * from t where n = ${1}`.execute(nodeA.db)).rows, [{ n: 1 }]);
    const names = await sql<{ name: string }>`select name from pg_prepared_statements where statement like 'select * from t where n%'`.execute(nodeA.db);
    assert.equal(names.rows.length, 1);
  });

  test('another node changes the table: the next statement, alone or in a transaction, sees the new columns', async () => {
    const select = (db: Database['db']) => sql<Record<string, unknown>>`select * from t where n = ${2}`.execute(db);
    assert.deepEqual((await select(nodeA.db)).rows, [{ n: 2 }]);
    await sql`alter table t add column note text default 'x'`.execute(nodeB.db);
    assert.deepEqual((await select(nodeA.db)).rows, [{ n: 2, note: 'x' }]);

    assert.deepEqual((await nodeA.db.transaction().execute((trx) => select(trx))).rows, [{ n: 2, note: 'x' }]);
    await sql`alter table t add column more integer default 7`.execute(nodeB.db);
    // inside a transaction the refusal aborts it; it is a transaction conflict, which inTransaction runs again
    const { isTransactionConflict } = await import('./database-faults.ts');
    await assert.rejects(nodeA.db.transaction().execute((trx) => select(trx)), (error) => isTransactionConflict(error));
    assert.deepEqual((await nodeA.db.transaction().execute((trx) => select(trx))).rows, [{ n: 2, note: 'x', more: 7 }]);
  });

  test(`a connection names at most ${PREPARED_STATEMENTS_PER_CONNECTION} statements; the rest run unnamed`, async () => {
    for (let i = 0; i < PREPARED_STATEMENTS_PER_CONNECTION + 50; i++) {
      const rows = (await sql<{ n: number }>`select n from t where n in (${sql.join(Array.from({ length: (i % 30) + 1 }, () => 1))}) and ${sql.lit(i)} >= 0`.execute(nodeA.db)).rows;
      assert.deepEqual(rows, [{ n: 1 }]);
    }
    assert.ok((await prepared(nodeA)) <= PREPARED_STATEMENTS_PER_CONNECTION, `${await prepared(nodeA)} prepared`);
  });
});
