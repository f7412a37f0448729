import { randomInt } from 'node:crypto';
import { isEmail } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import type { MailService } from '../mail/index.ts';
import { FederationErrors } from './federation.errors.ts';
import { emailCodeMail } from './email-code.mail.ts';
import { type CodePurpose, emailCodesRepo } from './email-codes.repo.ts';

/**
 * One-time codes, as data: 6 digits, valid 10 minutes, 3 tries; at most 5 codes per address and
 * purpose per hour in one tenant (the pages' per-IP limits come on top); a verified code must be
 * acted on (an account created) within 30 minutes; expired codes are deleted a day later.
 */
export const EMAIL_CODE_LIMITS = {
  digits: 6,
  validMinutes: 10,
  maxAttempts: 3,
  perAddressPerHour: 5,
  actWithinMinutes: 30,
  keepExpiredHours: 24,
} as const;

const CODE = new RegExp(`^[0-9]{${EMAIL_CODE_LIMITS.digits}}$`);

export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'exhausted';

/** Sends and checks one-time codes; the mail is written to the outbox in the code's transaction. */
export class EmailCodesService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly mail: MailService,
  ) {}

  /** Mails a fresh code to `email`; returns the code's id (the caller keeps it with the flow, server-side or sealed). */
  async send(scope: TenantScope, input: { purpose: CodePurpose; email: string; locale: string; organization: string }): Promise<string> {
    const email = input.email.trim().toLowerCase();
    if (!isEmail(email)) throw FederationErrors.codeInvalid();
    const now = this.clock.now();
    const id = newId();
    const code = String(randomInt(0, 10 ** EMAIL_CODE_LIMITS.digits)).padStart(EMAIL_CODE_LIMITS.digits, '0');
    await inTransaction(this.database, scope, async (tdb) => {
      const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
      if ((await emailCodesRepo.countSince(tdb, email, input.purpose, hourAgo)) >= EMAIL_CODE_LIMITS.perAddressPerHour) throw FederationErrors.tooManyCodes();
      await emailCodesRepo.purgeExpired(tdb, new Date(now.getTime() - EMAIL_CODE_LIMITS.keepExpiredHours * 3_600_000).toISOString());
      await emailCodesRepo.insert(tdb, {
        id,
        purpose: input.purpose,
        email,
        codeHash: this.#hash(id, code),
        attempts: 0,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + EMAIL_CODE_LIMITS.validMinutes * 60_000).toISOString(),
        verifiedAt: null,
        consumedAt: null,
      });
      await this.mail.send(tdb, emailCodeMail({ purpose: input.purpose, locale: input.locale, to: email, code, organization: input.organization, minutes: EMAIL_CODE_LIMITS.validMinutes }));
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Send one-time code', targetType: 'emailCode', targetId: id, details: { purpose: input.purpose, email } });
    });
    return id;
  }

  /**
   * Checks a code typed for `codeId` (mailed to `email`, for `purpose`). `consume`: used up at once
   * (a sign-in); otherwise only marked verified, to be consumed by what it allows (`consume`).
   */
  async verify(scope: TenantScope, input: { codeId: string; purpose: CodePurpose; email: string; code: string; consume: boolean }): Promise<CodeCheck> {
    const code = input.code.replace(/\s+/g, '');
    const now = this.clock.now().toISOString();
    return inTransaction(this.database, scope, async (tdb) => {
      const stored = await emailCodesRepo.get(tdb, input.codeId);
      if (!stored || stored.purpose !== input.purpose || stored.email !== input.email.toLowerCase()) return 'expired';
      if (stored.verifiedAt || stored.consumedAt || Date.parse(stored.expiresAt) <= Date.parse(now)) return 'expired';
      if (stored.attempts >= EMAIL_CODE_LIMITS.maxAttempts) return 'exhausted';
      if (CODE.test(code) && (await emailCodesRepo.verify(tdb, stored.id, this.#hash(stored.id, code), now, EMAIL_CODE_LIMITS.maxAttempts, input.consume))) return 'ok';
      await emailCodesRepo.recordFailure(tdb, stored.id, EMAIL_CODE_LIMITS.maxAttempts);
      return stored.attempts + 1 >= EMAIL_CODE_LIMITS.maxAttempts ? 'exhausted' : 'wrong';
    });
  }

  /** Uses up a verified code: true once, for a code verified within EMAIL_CODE_LIMITS.actWithinMinutes for this address and purpose. */
  async consume(scope: TenantScope, input: { codeId: string; purpose: CodePurpose; email: string }): Promise<boolean> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - EMAIL_CODE_LIMITS.actWithinMinutes * 60_000).toISOString();
    return inTransaction(this.database, scope, async (tdb) => {
      const stored = await emailCodesRepo.get(tdb, input.codeId);
      if (!stored || stored.purpose !== input.purpose || stored.email !== input.email.toLowerCase()) return false;
      return emailCodesRepo.consume(tdb, stored.id, now.toISOString(), since);
    });
  }

  /** Whether a code was verified (and not yet used) for this address and purpose, recently enough to act on. */
  async isVerified(scope: TenantScope, input: { codeId: string; purpose: CodePurpose; email: string }): Promise<boolean> {
    const since = this.clock.now().getTime() - EMAIL_CODE_LIMITS.actWithinMinutes * 60_000;
    const stored = await emailCodesRepo.get(scoped(this.database, scope), input.codeId);
    return Boolean(stored && stored.purpose === input.purpose && stored.email === input.email.toLowerCase() && stored.verifiedAt && Date.parse(stored.verifiedAt) >= since && !stored.consumedAt);
  }

  #hash(id: string, code: string): string {
    return this.secrets.mac(`tessera/email-code/${id}/${code}`);
  }
}
