import { sql, type Expression, type SqlBool } from 'kysely';
import type { TenantDb } from '../../storage/scoped.ts';
import type { User } from './user.types.ts';
import { toUser } from './users.repo.ts';

/**
 * Reads the invitations module needs about users, by address. Every comparison is on lower-cased
 * text; `mail` and the UPN are served by the (tenant_id, lower(...)) indexes.
 */
export const guestsRepo = Object.freeze({
  /** Users whose mail or userPrincipalName is `address` (at most a few: UPNs are unique). */
  async findByMailOrUpn(tdb: TenantDb, address: string): Promise<User[]> {
    const lowered = address.toLowerCase();
    // Two lookups, each served by its (tenant_id, lower(...)) index: an OR of the two makes both
    // databases scan every user of the tenant, once per invitation.
    const byColumn = (expression: ReturnType<typeof sql<SqlBool>>) =>
      tdb.selectFrom('users').selectAll().where(expression).orderBy('created_at').limit(20).execute();
    const [byMail, byUpn] = [await byColumn(sql<SqlBool>`lower(mail) = ${lowered}`), await byColumn(sql<SqlBool>`lower(user_principal_name) = ${lowered}`)];
    const seen = new Set<string>();
    return [...byMail, ...byUpn]
      .filter((row) => !seen.has(row.id) && Boolean(seen.add(row.id)))
      .sort((x, y) => new Date(x.created_at as string).getTime() - new Date(y.created_at as string).getTime())
      .slice(0, 20)
      .map(toUser);
  },

  /**
   * Pending guests that have a mail and whose mail or otherMails is `address` (direct-link
   * redemption). Only guests are scanned, and only those with other mails are unpacked.
   */
  async pendingGuestsWithAddress(tdb: TenantDb, address: string): Promise<User[]> {
    const lowered = address.toLowerCase();
    const rows = await tdb
      .selectFrom('users')
      .selectAll()
      .where('user_type', '=', 'Guest')
      .where('external_user_state', '=', 'PendingAcceptance')
      .where('mail', 'is not', null)
      .where((eb) => eb.or([sql<SqlBool>`lower(mail) = ${lowered}`, otherMailsContain(tdb, lowered)]))
      .orderBy('created_at')
      .limit(20)
      .execute();
    return rows.map(toUser);
  },
});

function otherMailsContain(tdb: TenantDb, lowered: string): Expression<SqlBool> {
  return tdb.dialect === 'sqlite'
    ? sql<SqlBool>`(other_mails <> '[]' and exists (select 1 from json_each(users.other_mails) m where lower(m.value) = ${lowered}))`
    : sql<SqlBool>`(jsonb_array_length(other_mails) > 0 and exists (select 1 from jsonb_array_elements_text(users.other_mails) m(value) where lower(m.value) = ${lowered}))`;
}
