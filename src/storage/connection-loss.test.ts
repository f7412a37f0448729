import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/databases.ts';
import { isAppError } from '../kernel/errors.ts';
import { tenantScope } from '../tenancy/scope.ts';
import { openDatabase } from './database.ts';
import { inTransaction } from './scoped.ts';

/**
 * The storage boundary turns a lost or impossible PostgreSQL connection into the `unavailable`
 * AppError (503 on every surface), survives a pooled connection being killed, and recovers by
 * itself. Real connections only: a port nothing listens on, and pg_terminate_backend on this
 * test's own backend (by pid, so no one else's connection is touched).
 */
const isUnavailable = (error: unknown) => isAppError(error) && error.kind === 'unavailable' && error.code === 'storage.unavailable';

describe('PostgreSQL connection faults at the storage boundary', () => {
  test('no server to connect to: unavailable, with the driver error kept as the cause only', async () => {
    const database = openDatabase('postgres://tessera@127.0.0.1:1/nowhere');
    try {
      await assert.rejects(sql`select 1`.execute(database.db), (error: unknown) => {
        assert.ok(isUnavailable(error), String(error));
        assert.equal(((error as Error).cause as { code?: string }).code, 'ECONNREFUSED');
        assert.doesNotMatch((error as Error).message, /ECONNREFUSED|127\.0\.0\.1/, 'the message shown to clients names no host');
        return true;
      });
    } finally {
      await database.close();
    }
  });

  describe('a pooled connection killed by the server', { skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set (needs PostgreSQL)' }, () => {
    let db: TestDatabase;
    let admin: pg.Client;
    const backendPid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.db)).rows[0]!.pid;
    const kill = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);

    before(async () => {
      db = await createTestDatabase('postgres', { migrate: false });
      admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
    });
    after(async () => {
      await admin?.end();
      await db?.close();
    });

    test('while idle: the process keeps running and the next query gets a new connection', async () => {
      const pid = await backendPid();
      await kill(pid);
      // pg reports the dead idle client on the pool; without a listener that would end this process.
      // A query racing the report may still meet the dead connection: that one is unavailable.
      let next: number | undefined;
      for (let attempt = 0; attempt < 50 && next === undefined; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        next = await backendPid().catch((error: unknown) => {
          assert.ok(isUnavailable(error), String(error));
          return undefined;
        });
      }
      assert.ok(next !== undefined && next !== pid, `a new connection (${pid} -> ${next})`);
    });

    test('inside a transaction: unavailable, and the pool recovers', async () => {
      await assert.rejects(
        inTransaction(db, tenantScope('00000000-0000-0000-0000-000000000001'), async (tdb) => {
          const { rows } = await tdb.raw(sql<{ pid: number }>`select pg_backend_pid() as pid`);
          await kill(rows[0]!.pid);
          await tdb.raw(sql`select 1`);
        }),
        isUnavailable,
      );
      assert.equal(typeof (await backendPid()), 'number');
    });
  });
});
