import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';

export type CodePurpose = 'signup' | 'guestOtp';

export interface EmailCode {
  id: string;
  purpose: CodePurpose;
  email: string;
  codeHash: string;
  attempts: number;
  createdAt: string;
  expiresAt: string;
  verifiedAt: string | null;
  consumedAt: string | null;
}

/**
 * One-time codes mailed to an address: only their keyed hash is stored. The writes that decide
 * (verify, consume, count a wrong try) are single conditional UPDATEs, so two requests with the
 * same code cannot both succeed and the try limit holds under concurrency.
 */
export const emailCodesRepo = Object.freeze({
  async insert(tdb: TenantDb, code: EmailCode): Promise<void> {
    await tdb
      .insertInto('email_codes', {
        id: code.id,
        purpose: code.purpose,
        email: code.email,
        code_hash: code.codeHash,
        attempts: code.attempts,
        created_at: code.createdAt,
        expires_at: code.expiresAt,
        verified_at: code.verifiedAt,
        consumed_at: code.consumedAt,
      })
      .execute();
  },

  async get(tdb: TenantDb, id: string): Promise<EmailCode | undefined> {
    const row = await tdb.selectFrom('email_codes').selectAll().where('email_codes.id', '=', id).executeTakeFirst();
    return row
      ? {
          id: row.id,
          purpose: row.purpose,
          email: row.email,
          codeHash: row.code_hash,
          attempts: row.attempts,
          createdAt: iso(row.created_at),
          expiresAt: iso(row.expires_at),
          verifiedAt: iso(row.verified_at, 'nullable'),
          consumedAt: iso(row.consumed_at, 'nullable'),
        }
      : undefined;
  },

  /** Codes of one purpose sent to `email` since `since` (the per-address rate limit). */
  async countSince(tdb: TenantDb, email: string, purpose: CodePurpose, since: string): Promise<number> {
    const row = await tdb
      .selectFrom('email_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', email)
      .where('purpose', '=', purpose)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /**
   * Marks the code verified when it is the right one (`codeHash`), still open, unexpired and under
   * the try limit; with `consume`, also used up in the same statement. False when nothing matched.
   */
  async verify(tdb: TenantDb, id: string, codeHash: string, now: string, maxAttempts: number, consume: boolean): Promise<boolean> {
    const result = await tdb
      .updateTable('email_codes')
      .set({ verified_at: now, ...(consume ? { consumed_at: now } : {}) })
      .where('email_codes.id', '=', id)
      .where('code_hash', '=', codeHash)
      .where('verified_at', 'is', null)
      .where('consumed_at', 'is', null)
      .where('attempts', '<', maxAttempts)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Counts a wrong try (only while the code is open and under the limit); returns whether one was counted. */
  async recordFailure(tdb: TenantDb, id: string, maxAttempts: number): Promise<boolean> {
    const result = await tdb
      .updateTable('email_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('email_codes.id', '=', id)
      .where('verified_at', 'is', null)
      .where('attempts', '<', maxAttempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Uses up a verified code (once): what it proved may be acted on only one time. */
  async consume(tdb: TenantDb, id: string, now: string, verifiedSince: string): Promise<boolean> {
    const result = await tdb
      .updateTable('email_codes')
      .set({ consumed_at: now })
      .where('email_codes.id', '=', id)
      .where('consumed_at', 'is', null)
      .where('verified_at', '>=', verifiedSince)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Deletes codes that expired before `before` (kept a while for the rate limit's count). */
  async purgeExpired(tdb: TenantDb, before: string): Promise<number> {
    const result = await tdb.deleteFrom('email_codes').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
