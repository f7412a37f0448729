import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../kernel/logger.ts';
import type { Clock } from '../kernel/clock.ts';
import { QueueService } from '../modules/queue/index.ts';
import { inTransaction } from '../storage/scoped.ts';
import { tenantScope } from '../tenancy/scope.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/databases.ts';
import { JobRunner } from './runner.ts';
import { sql } from 'kysely';

/** A clock the test moves by hand, so leases and backoff are tested without sleeping. */
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
  describe(`durable jobs (${dialect})`, () => {
    let db: TestDatabase;
    const tenantId = '11111111-2222-4333-8444-555555555555';
    const scope = tenantScope(tenantId);
    const logger = createLogger('silent');
    before(async () => {
      db = await createTestDatabase(dialect);
      await sql`insert into tenants (id, display_name, initial_domain, cloud_type, technical_notification_mails, branding, settings, created_at) values (${tenantId}, 'Jobs', 'jobs.example', 'commercial', '[]', '{}', '{}', '2026-11-23T12:00:00.000Z')`.execute(db.db);
    });
    after(() => db.close());

    test('a job enqueued in a rolled-back transaction never exists', async () => {
      const queue = new QueueService(db, new TestClock());
      let id = '';
      await assert.rejects(
        inTransaction(db, scope, async (tdb) => {
          id = await queue.enqueue(tdb, 'noop', {});
          throw new Error('abort');
        }),
      );
      assert.equal(await queue.get(scope, id), undefined);
    });

    test('runs a job once, records progress, settles it as succeeded', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const runner = new JobRunner(queue, logger);
      const seen: unknown[] = [];
      runner.register('count', async ({ job, saveProgress }) => {
        seen.push(job.payload);
        assert.equal(await saveProgress({ done: 1 }), true);
      });
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'count', { n: 1 }));
      assert.equal(await runner.runDue(), 1);
      assert.equal(await runner.runDue(), 0);
      const job = await queue.get(scope, id);
      assert.deepEqual(seen, [{ n: 1 }]);
      assert.equal(job?.state, 'succeeded');
      assert.deepEqual(job?.progress, { done: 1 });
    });

    test('a failing job is retried with backoff, resumes from its progress, then fails for good', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const runner = new JobRunner(queue, logger);
      const progressSeen: unknown[] = [];
      runner.register('flaky', async ({ job, saveProgress }) => {
        progressSeen.push(job.progress);
        await saveProgress({ step: job.attempts });
        throw new Error(`attempt ${job.attempts} failed`);
      });
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'flaky', {}, { maxAttempts: 3 }));
      assert.equal(await runner.runDue(), 1);
      let job = await queue.get(scope, id);
      assert.equal(job?.state, 'queued');
      assert.equal(job?.lastError, 'attempt 1 failed');
      assert.equal(await runner.runDue(), 0, 'not before the backoff has passed');
      clock.advance(5_000);
      assert.equal(await runner.runDue(), 1);
      clock.advance(10_000);
      assert.equal(await runner.runDue(), 1);
      job = await queue.get(scope, id);
      assert.equal(job?.state, 'failed');
      assert.equal(job?.attempts, 3);
      assert.deepEqual(progressSeen, [null, { step: 1 }, { step: 2 }]);
    });

    test('a lease held by a dead node is taken over after it expires; the old owner can no longer write', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'takeover', {}));
      const [claimed] = await queue.claim('dead-node', 10, 30_000);
      assert.equal(claimed?.id, id);
      assert.deepEqual(await queue.claim('other-node', 10, 30_000), [], 'still leased');
      clock.advance(31_000);
      const [again] = await queue.claim('other-node', 10, 30_000);
      assert.equal(again?.id, id);
      assert.equal(again?.attempts, 2);
      assert.equal(await queue.complete(claimed!, 'dead-node'), false);
      assert.equal(await queue.complete(again!, 'other-node'), true);
    });

    test('two nodes racing for the same jobs never both get one', async () => {
      const clock = new TestClock();
      const queue = new QueueService(db, clock);
      await inTransaction(db, scope, async (tdb) => {
        for (let i = 0; i < 20; i++) await queue.enqueue(tdb, 'race', { i });
      });
      const [a, b] = await Promise.all([queue.claim('node-a', 20, 60_000), queue.claim('node-b', 20, 60_000)]);
      const ids = [...a, ...b].map((job) => job.id);
      assert.equal(ids.length, 20);
      assert.equal(new Set(ids).size, 20);
    });

    test('a job kind without a handler fails instead of looping', async () => {
      const queue = new QueueService(db, new TestClock());
      const runner = new JobRunner(queue, logger);
      const id = await inTransaction(db, scope, (tdb) => queue.enqueue(tdb, 'unknown-kind', {}, { maxAttempts: 1 }));
      await runner.runDue();
      const job = await queue.get(scope, id);
      assert.equal(job?.state, 'failed');
      assert.match(job?.lastError ?? '', /no handler/);
    });
  });
}
