import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../test/helpers/databases.ts';
import { SecretBox } from '../../kernel/secrets.ts';
import { isAppError } from '../../kernel/errors.ts';
import { scoped } from '../../storage/scoped.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { MailService } from '../mail/index.ts';
import { QueueService } from '../queue/index.ts';
import { emailCodesRepo } from './email-codes.repo.ts';
import { EMAIL_CODE_LIMITS, EmailCodesService } from './email-codes.service.ts';

/**
 * One-time codes against the real databases: only a keyed hash is stored, the try limit holds when
 * guesses arrive all at once, a right code works once even when sent twice at the same moment,
 * codes expire, and an address gets at most five codes an hour.
 */
for (const dialect of testDialects) {
  describe(`one-time codes (${dialect})`, () => {
    let db: TestDatabase;
    let now = Date.parse('2026-12-03T10:00:00.000Z');
    const clock = { now: () => new Date(now) };
    const tenantId = '31111111-2222-4333-8444-555555555555';
    const scope = tenantScope(tenantId);
    let codes: EmailCodesService;
    let mail: MailService;

    before(async () => {
      db = await createTestDatabase(dialect);
      await sql`insert into tenants (id, display_name, initial_domain, cloud_type, technical_notification_mails, branding, settings, created_at) values (${tenantId}, 'Codes', 'codes.example', 'commercial', '[]', '{}', '{}', '2026-11-23T12:00:00.000Z')`.execute(db.db);
      mail = new MailService(db, clock, new QueueService(db, clock), null, 'no-reply@codes.example');
      codes = new EmailCodesService(db, clock, new SecretBox('test-secret-0123456789abcdef'), mail);
    });
    after(() => db.close());

    /** Sends a code and reads it back from the outbox (the only place it exists in clear). */
    async function send(email: string, purpose: 'signup' | 'guestOtp' = 'guestOtp'): Promise<{ codeId: string; code: string }> {
      const codeId = await codes.send(scope, { purpose, email, locale: 'en', organization: 'Codes' });
      const sent = (await mail.outbox(scope, 500)).find((m) => m.to.includes(email.toLowerCase()));
      const code = /^(\d{6})$/m.exec(sent?.text ?? '')?.[1];
      assert.ok(code);
      const stored = await emailCodesRepo.get(scoped(db, scope), codeId);
      assert.ok(stored && !stored.codeHash.includes(code), 'only a keyed hash is stored');
      return { codeId, code };
    }

    test('ten wrong guesses at once use up the three tries; the right code is dead afterwards', async () => {
      const email = 'burst@partner.example';
      const { codeId, code } = await send(email);
      const wrong = code === '000000' ? '111111' : '000000';
      const results = await Promise.all(Array.from({ length: 10 }, () => codes.verify(scope, { codeId, purpose: 'guestOtp', email, code: wrong, consume: true })));
      assert.ok(results.every((r) => r === 'wrong' || r === 'exhausted'));
      assert.ok((await emailCodesRepo.get(scoped(db, scope), codeId))!.attempts <= EMAIL_CODE_LIMITS.maxAttempts);
      assert.equal(await codes.verify(scope, { codeId, purpose: 'guestOtp', email, code, consume: true }), 'exhausted');
    });

    test('a right code sent twice at the same moment works once', async () => {
      const email = 'twice@partner.example';
      const { codeId, code } = await send(email);
      const results = await Promise.all([1, 2].map(() => codes.verify(scope, { codeId, purpose: 'guestOtp', email, code, consume: true })));
      assert.deepEqual(results.filter((r) => r === 'ok').length, 1, JSON.stringify(results));
    });

    test('a code is bound to its address and purpose, and expires after ten minutes', async () => {
      const email = 'late@partner.example';
      const { codeId, code } = await send(email, 'signup');
      assert.equal(await codes.verify(scope, { codeId, purpose: 'guestOtp', email, code, consume: true }), 'expired', 'another purpose');
      assert.equal(await codes.verify(scope, { codeId, purpose: 'signup', email: 'other@partner.example', code, consume: false }), 'expired', 'another address');
      now += EMAIL_CODE_LIMITS.validMinutes * 60_000;
      assert.equal(await codes.verify(scope, { codeId, purpose: 'signup', email, code, consume: false }), 'expired');
    });

    test('a verified sign-up code is acted on once, within thirty minutes', async () => {
      const email = 'signup@partner.example';
      const { codeId, code } = await send(email, 'signup');
      assert.equal(await codes.verify(scope, { codeId, purpose: 'signup', email, code, consume: false }), 'ok');
      assert.equal(await codes.isVerified(scope, { codeId, purpose: 'signup', email }), true);
      assert.equal(await codes.consume(scope, { codeId, purpose: 'signup', email }), true);
      assert.equal(await codes.consume(scope, { codeId, purpose: 'signup', email }), false);
      const late = await send('later@partner.example', 'signup');
      assert.equal(await codes.verify(scope, { codeId: late.codeId, purpose: 'signup', email: 'later@partner.example', code: late.code, consume: false }), 'ok');
      now += (EMAIL_CODE_LIMITS.actWithinMinutes + 1) * 60_000;
      assert.equal(await codes.consume(scope, { codeId: late.codeId, purpose: 'signup', email: 'later@partner.example' }), false);
    });

    test('five codes per address an hour, then 429 until the hour has passed', async () => {
      const email = 'flood@partner.example';
      for (let i = 0; i < EMAIL_CODE_LIMITS.perAddressPerHour; i++) await codes.send(scope, { purpose: 'guestOtp', email, locale: 'nl', organization: 'Codes' });
      await assert.rejects(codes.send(scope, { purpose: 'guestOtp', email, locale: 'en', organization: 'Codes' }), (error) => isAppError(error) && error.kind === 'throttled');
      now += 3_600_001;
      await codes.send(scope, { purpose: 'guestOtp', email, locale: 'en', organization: 'Codes' });
      const dutch = (await mail.outbox(scope, 500)).find((m) => m.to.includes(email) && m.locale === 'nl');
      assert.equal(dutch?.subject, 'Verificatiecode voor Codes');
    });
  });
}
