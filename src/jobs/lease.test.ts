import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createLogger } from '../kernel/logger.ts';
import type { Clock } from '../kernel/clock.ts';
import { QueueService, isLeaseLost } from '../modules/queue/index.ts';
import { inTransaction } from '../storage/scoped.ts';
import { tenantScope } from '../tenancy/scope.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/databases.ts';
import { JobRunner } from './runner.ts';

/**
 * Issue 13 item 9, fourth bullet: handlers prove they still hold their job's lease immediately
 * before side effects (`assertLease`), and a claim that lost it stops without doing or recording
 * anything. A lease is one claim (owner and attempt), so a node that claims its own job again after
 * its lease ran out has two claims, and only the newer one holds.
 */
class TestClock implements Clock {
  #now = new Date('2026-11-23T12:00:00.000Z');
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

for (const dialect of testDialects) {
  describe(`job leases before side effects (${dialect})`, () => {
    let db: TestDatabase;
    const tenantId = '31111111-2222-4333-8444-555555555555';
    const scope = tenantScope(tenantId);
    const logger = createLogger('silent');
    const leaseOf = (id: string) => db.db.selectFrom('jobs').select(['lease_owner', 'lease_expires_at', 'state', 'last_error', 'attempts']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
    before(async () => {
      db = await createTestDatabase(dialect);
      await sql`insert into tenants (id, display_name, initial_domain, cloud_type, technical_notification_mails, branding, settings, created_at) values (${tenantId}, 'Leases', 'leases.example', 'commercial', '[]', '{}', '{}', '2026-11-23T12:00:00.000Z')`.execute(db.db);
    });
    after(() => db.close());

    test('assertLease passes while the lease is held, and extends it', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const runner = new JobRunner(queue, logger, { leaseMs: 60_000 });
      let effects = 0;
      runner.register('held', async ({ assertLease }) => {
        clock.advance(50_000);
        await assertLease();
        effects++;
        const { lease_expires_at } = await leaseOf(id);
        assert.equal(new Date(lease_expires_at as string | Date).toISOString(), '2026-11-23T12:01:50.000Z', 'extended to now + leaseMs');
      });
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'held', {}));
      assert.equal(await runner.runDue(), 1);
      assert.equal(effects, 1);
      assert.equal((await queue.get(scope, id))?.state, 'succeeded');
    });

    test('a handler whose lease was taken over stops at assertLease, and the runner records nothing', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const runner = new JobRunner(queue, logger, { leaseMs: 60_000 });
      let effects = 0;
      let lost: unknown;
      runner.register('stolen', async ({ assertLease }) => {
        // this node stalls past its lease; another node takes the job over
        clock.advance(60_001);
        assert.ok((await queue.claim('other-node', 10, 60_000)).some((job) => job.id === id));
        try {
          await assertLease();
        } catch (error) {
          lost = error;
          throw error;
        }
        effects++;
      });
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'stolen', {}));
      assert.equal(await runner.runDue(), 1);
      assert.equal(effects, 0, 'no side effect after the lease was lost');
      assert.ok(isLeaseLost(lost), String(lost));
      const row = await leaseOf(id);
      assert.equal(row.state, 'running');
      assert.equal(row.lease_owner, 'other-node');
      assert.equal(row.last_error, null, 'the lost claim recorded no failure');
      assert.equal(row.attempts, 2);
    });

    test('an expired lease no one has taken yet no longer passes', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'expired', {}));
      const job = (await queue.claim('node-a', 10, 30_000)).find((claimed) => claimed.id === id);
      assert.ok(job);
      await queue.assertLease(job!, 'node-a', 30_000);
      clock.advance(30_001);
      await assert.rejects(queue.assertLease(job!, 'node-a', 30_000), (error) => isLeaseLost(error));
      await assert.rejects(queue.assertLease(job!, 'node-b', 30_000), (error) => isLeaseLost(error), 'another owner never holds it');
    });

    test('a node claiming its own job again: only the newer claim holds the lease', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'reclaimed', {}));
      const first = (await queue.claim('node-a', 10, 30_000)).find((claimed) => claimed.id === id);
      clock.advance(30_001); // renewals failed for a while (database hiccup): the lease ran out
      const second = (await queue.claim('node-a', 10, 30_000)).find((claimed) => claimed.id === id);
      assert.ok(first && second);
      assert.equal(second.attempts, first.attempts + 1);
      await assert.rejects(queue.assertLease(first!, 'node-a', 30_000), (error) => isLeaseLost(error));
      await queue.assertLease(second!, 'node-a', 30_000);
      assert.equal(await queue.complete(first!, 'node-a'), false, 'the stale claim cannot settle the job');
      assert.equal(await queue.fail(first!, 'node-a', 'stale'), false);
      assert.equal(await queue.complete(second!, 'node-a'), true);
      assert.equal((await queue.get(scope, id))?.state, 'succeeded');
    });
  });
}
