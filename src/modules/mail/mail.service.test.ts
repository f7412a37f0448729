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
import { startSmtpServer } from '../../../test/helpers/smtp.ts';
import { MailService } from './mail.service.ts';
import { smtpTransport } from './smtp.transport.ts';

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
