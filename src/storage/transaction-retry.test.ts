import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/databases.ts';
import { testConfig } from '../../test/helpers/server.ts';
import { createContainer } from '../container.ts';
import { isAppError } from '../kernel/errors.ts';
import { createLogger } from '../kernel/logger.ts';
import { tenantScope } from '../tenancy/scope.ts';
import { inTransaction } from './scoped.ts';

/**
 * `inTransaction` runs a transaction again when a concurrent writer got in the way. Two
 * transactions update the same two rows in opposite order; on PostgreSQL that is a deadlock, and
 * the server aborts one of them (40P01). Both must still succeed, the aborted one on its second
 * run. On SQLite, where write transactions take the lock at BEGIN IMMEDIATE, they simply queue.
 */
for (const dialect of testDialects) {
  describe(`inTransaction retries a transaction a concurrent writer broke (${dialect})`, () => {
    let db: TestDatabase;
    let first: string;
    let second: string;

    before(async () => {
      db = await createTestDatabase(dialect);
      const container = await createContainer(testConfig(), { database: db, migrate: false, logger: createLogger('silent') });
      first = (await container.tenants.create({ displayName: 'First', domain: `first${process.pid}.example` })).tenant.id;
      second = (await container.tenants.create({ displayName: 'Second', domain: `second${process.pid}.example` })).tenant.id;
    });
    after(() => db?.close());

    const rename = (id: string, name: string) => sql`update tenants set display_name = ${name} where id = ${id}`;

    test('two transactions locking two rows in opposite order both succeed', async () => {
      // Each transaction waits (on its first run only, and at most briefly: SQLite runs them one
      // after the other) until the other has taken its first row, so on PostgreSQL they deadlock.
      const took: Record<string, () => void> = {};
      const taken = { a: new Promise<void>((resolve) => (took.a = resolve)), b: new Promise<void>((resolve) => (took.b = resolve)) };
      const runs = { a: 0, b: 0 };
      const briefly = (promise: Promise<void>) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, 300))]);

      const a = inTransaction(db, tenantScope(first), async (tdb) => {
        runs.a++;
        await tdb.raw(rename(first, 'A1'));
        took.a!();
        if (runs.a === 1) await briefly(taken.b);
        await tdb.raw(rename(second, 'A2'));
      });
      const b = inTransaction(db, tenantScope(second), async (tdb) => {
        runs.b++;
        await tdb.raw(rename(second, 'B2'));
        took.b!();
        if (runs.b === 1) await briefly(taken.a);
        await tdb.raw(rename(first, 'B1'));
      });
      const results = await Promise.allSettled([a, b]);
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? 'ok' : `${(r.reason as { code?: string }).code}: ${(r.reason as Error).message}`)),
        ['ok', 'ok'],
      );
      if (dialect === 'postgres') assert.equal(runs.a + runs.b, 3, 'exactly one of them ran twice');
      // Whichever ran last wrote both rows: the two transactions never interleaved.
      const names = (await sql<{ id: string; display_name: string }>`select id, display_name from tenants where id in (${first}, ${second})`.execute(db.db)).rows;
      const byId = Object.fromEntries(names.map((row) => [row.id, row.display_name]));
      assert.ok(
        (byId[first] === 'A1' && byId[second] === 'A2') || (byId[first] === 'B1' && byId[second] === 'B2'),
        JSON.stringify(byId),
      );
    });

    test('any other failure is not retried', async () => {
      let runs = 0;
      await assert.rejects(
        inTransaction(db, tenantScope(first), async (tdb) => {
          runs++;
          await tdb.raw(sql`select no_such_column from tenants`);
        }),
        (error) => !isAppError(error),
      );
      assert.equal(runs, 1);
    });
  });
}
