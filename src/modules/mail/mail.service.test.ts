import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '../../kernel/clock.ts';
import { createLogger } from '../../kernel/logger.ts';
import { inTransaction } from '../../storage/scoped.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { JobRunner } from '../../jobs/runner.ts';
import { registerJobHandlers } from '../../jobs/handlers.ts';
import { QueueService } from '../queue/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/helpers/databases.ts';
import { testConfig } from '../../../test/helpers/server.ts';
import { createContainer } from '../../container.ts';
import { startSmtpServer } from '../../../test/helpers/smtp.ts';
import { MailService } from './mail.service.ts';
import { smtpTransport } from './smtp.transport.ts';
import type { MailTransport } from './mail.types.ts';

const mail = (to: string) => ({ template: 'test', locale: 'nl', to: [to], subject: 'Welkom bij Contoso', text: 'Hallo!', html: '<p>Hallo!</p>' });

for (const dialect of testDialects) {
  describe(`mail outbox and delivery (${dialect})`, () => {
    let db: TestDatabase;
    const tenantId = '21111111-2222-4333-8444-555555555555';
    const scope = tenantScope(tenantId);
    before(async () => {
      db = await createTestDatabase(dialect);
      await sql`insert into tenants (id, display_name, initial_domain, cloud_type, technical_notification_mails, branding, settings, created_at) values (${tenantId}, 'Mail', 'mail.example', 'commercial', '[]', '{}', '{}', '2026-11-23T12:00:00.000Z')`.execute(db.db);
    });
    after(() => db.close());

    test('a mail written in a transaction is delivered over SMTP by a job', async () => {
      const smtp = await startSmtpServer();
      const queue = new QueueService(db, systemClock);
      const service = new MailService(db, systemClock, queue, smtpTransport(smtp.url), 'Tessera <no-reply@tessera.example>');
      const runner = new JobRunner(queue, createLogger('silent'));
      registerJobHandlers(runner, { mail: service });
      try {
        const id = await inTransaction(db, scope, (tdb) => service.send(tdb, mail('lee@partner.example')));
        assert.equal((await service.outbox(scope))[0]?.state, 'pending');
        assert.equal(await runner.runDue(), 1);
        assert.equal(smtp.received.length, 1);
        assert.deepEqual(smtp.received[0]?.to, ['lee@partner.example']);
        assert.equal(smtp.received[0]?.from, 'no-reply@tessera.example');
        assert.match(smtp.received[0]?.raw ?? '', /Subject: Welkom bij Contoso/);
        const sent = (await service.outbox(scope)).find((m) => m.id === id);
        assert.equal(sent?.state, 'sent');
        assert.ok(sent?.messageId);
      } finally {
        await smtp.close();
      }
    });

    test('a temporary SMTP failure is retried by the job', async () => {
      const smtp = await startSmtpServer({ rejectFirst: 1 });
      let now = Date.now();
      const clock = { now: () => new Date(now) };
      const queue = new QueueService(db, clock);
      const service = new MailService(db, clock, queue, smtpTransport(smtp.url), 'no-reply@tessera.example');
      const runner = new JobRunner(queue, createLogger('silent'));
      registerJobHandlers(runner, { mail: service });
      try {
        const id = await inTransaction(db, scope, (tdb) => service.send(tdb, mail('retry@partner.example')));
        await runner.runDue();
        assert.equal(smtp.received.length, 0);
        now += 6_000;
        await runner.runDue();
        assert.equal(smtp.received.length, 1);
        assert.equal((await service.outbox(scope)).find((m) => m.id === id)?.state, 'sent');
      } finally {
        await smtp.close();
      }
    });

    test('each message carries a stable Message-ID: a redelivery after a crash is the same message', async () => {
      const smtp = await startSmtpServer();
      let now = Date.now();
      const clock = { now: () => new Date(now) };
      const queue = new QueueService(db, clock);
      const real = smtpTransport(smtp.url);
      // Node A hands the mail to the SMTP server and then dies before it can mark the row sent:
      // its send never returns (released at the end so the test process can exit).
      let release: (error: Error) => void = () => {};
      const dying: MailTransport = {
        async send(message) {
          await real.send(message);
          return new Promise((_, reject) => (release = reject));
        },
      };
      const nodeA = new JobRunner(queue, createLogger('silent'), { leaseMs: 600_000 });
      registerJobHandlers(nodeA, { mail: new MailService(db, clock, queue, dying, 'no-reply@tessera.example', 'tessera.example') });
      const service = new MailService(db, clock, queue, real, 'no-reply@tessera.example', 'tessera.example');
      const nodeB = new JobRunner(queue, createLogger('silent'));
      registerJobHandlers(nodeB, { mail: service });
      let running: Promise<number> | undefined;
      try {
        const id = await inTransaction(db, scope, (tdb) => service.send(tdb, mail('twice@partner.example')));
        running = nodeA.runDue();
        for (let i = 0; i < 200 && smtp.received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        assert.equal(smtp.received.length, 1, 'node A handed the mail over');
        assert.equal((await service.outbox(scope)).find((m) => m.id === id)?.state, 'pending', 'and died before marking it sent');
        now += 600_001; // node A's lease expires; node B takes the job over and delivers again (at least once)
        assert.equal(await nodeB.runDue(), 1);
        assert.equal(smtp.received.length, 2);
        const ids = smtp.received.map((m) => /^Message-ID: *(.+)$/im.exec(m.raw)?.[1]?.trim());
        assert.equal(ids[0], `<${id}@tessera.example>`);
        assert.equal(ids[1], ids[0], 'the redelivery carries the same Message-ID, so receivers can tell it is the same message');
        const sent = (await service.outbox(scope)).find((m) => m.id === id);
        assert.equal(sent?.state, 'sent');
        assert.equal(sent?.messageId, `<${id}@tessera.example>`);
      } finally {
        release(new Error('node A is gone'));
        await running;
        await smtp.close();
      }
    });

    test('a handler whose lease was taken over between claim and send does not send, and marks nothing', async () => {
      const smtp = await startSmtpServer();
      let now = Date.now();
      const clock = { now: () => new Date(now) };
      const leaseMs = 60_000;
      /** node A's queue: right after A's claim, A stalls past its lease and node "thief" claims the job */
      class StalledQueue extends QueueService {
        override async claim(owner: string, limit: number, ms: number) {
          const claimed = await super.claim(owner, limit, ms);
          now += ms + 1;
          assert.equal((await new QueueService(db, clock).claim('thief', limit, leaseMs)).length, claimed.length);
          return claimed;
        }
      }
      const service = new MailService(db, clock, new QueueService(db, clock), smtpTransport(smtp.url), 'no-reply@tessera.example', 'tessera.example');
      const nodeA = new JobRunner(new StalledQueue(db, clock), createLogger('silent'), { leaseMs });
      registerJobHandlers(nodeA, { mail: service });
      try {
        const id = await inTransaction(db, scope, (tdb) => service.send(tdb, mail('once@partner.example')));
        const jobId = (await db.db.selectFrom('jobs').select('id').where('tenant_id', '=', tenantId).where('state', '=', 'queued').executeTakeFirstOrThrow()).id;
        assert.equal(await nodeA.runDue(), 1);
        assert.equal(smtp.received.length, 0, 'node A lost its lease before sending: it must not send');
        assert.equal((await service.outbox(scope)).find((m) => m.id === id)?.state, 'pending');
        const job = await new QueueService(db, clock).get(scope, jobId);
        assert.equal(job?.state, 'running', 'the job is still the thief\'s to run');
        assert.equal(job?.lastError, null, 'node A recorded no failure');
        const lease = await db.db.selectFrom('jobs').select('lease_owner').where('tenant_id', '=', tenantId).where('id', '=', jobId).executeTakeFirstOrThrow();
        assert.equal(lease.lease_owner, 'thief');
        // the thief dies too; its lease expires and node B delivers, once
        now += leaseMs + 1;
        const nodeB = new JobRunner(new QueueService(db, clock), createLogger('silent'));
        registerJobHandlers(nodeB, { mail: service });
        assert.equal(await nodeB.runDue(), 1);
        assert.equal(smtp.received.length, 1);
        assert.equal((await service.outbox(scope)).find((m) => m.id === id)?.state, 'sent');
      } finally {
        await smtp.close();
      }
    });

    test('without SMTP the mail stays in the outbox for /dev/mail and no job is queued', async () => {
      const queue = new QueueService(db, systemClock);
      const service = new MailService(db, systemClock, queue, null, 'no-reply@tessera.example');
      const id = await inTransaction(db, scope, (tdb) => service.send(tdb, mail('held@partner.example')));
      assert.equal(await new JobRunner(queue, createLogger('silent')).runDue(), 0);
      const held = (await service.recentForDevMailbox()).find((m) => m.id === id);
      assert.equal(held?.state, 'pending');
      assert.equal(held?.html, '<p>Hallo!</p>');
    });

    test('bad recipients are refused and nothing is written', async () => {
      const queue = new QueueService(db, systemClock);
      const service = new MailService(db, systemClock, queue, null, 'no-reply@tessera.example');
      const before = (await service.outbox(scope, 1000)).length;
      await assert.rejects(inTransaction(db, scope, (tdb) => service.send(tdb, mail('not an address'))), /not a valid e-mail address/);
      await assert.rejects(inTransaction(db, scope, (tdb) => service.send(tdb, { ...mail('a@b.example'), to: [] })), /at least one recipient/);
      assert.equal((await service.outbox(scope, 1000)).length, before);
    });
  });
}

test('the server names Message-IDs after its base URL host, not the From address', async () => {
  const db = await createTestDatabase('sqlite');
  const container = await createContainer(testConfig({ baseUrl: 'https://id.contoso.example:8443', mailFrom: 'Contoso <no-reply@mail.contoso.example>' }), { database: db, migrate: false, logger: createLogger('silent') });
  try {
    assert.equal(container.mail.messageIdOf('0f0e0d0c-0b0a-4900-8800-070605040302'), '<0f0e0d0c-0b0a-4900-8800-070605040302@id.contoso.example>');
  } finally {
    await container.close();
  }
});
