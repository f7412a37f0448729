import type { Selectable } from 'kysely';
import type { Executor } from '../../storage/database.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import type { GuestHomeLinksTable, GuestInvitationsTable } from '../../storage/schema.invitations.ts';
import { iso } from '../../storage/values.ts';
import type { HomeIdentity } from './invitation.types.ts';

/** One invited user's invitation: where redemption leads and the current ticket (hash only). */
export interface InvitationRecord {
  userId: string;
  invitedEmail: string;
  redirectUrl: string;
  invitedById: string | null;
  invitedByType: string;
  ticketHash: string | null;
  ticketExpiresAt: string | null;
  ticketUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface HomeLink {
  userId: string;
  kind: HomeIdentity['kind'];
  issuer: string;
  subject: string;
  homeTenantId: string | null;
  email: string;
  createdAt: string;
}

export const invitationsRepo = Object.freeze({
  async get(tdb: TenantDb, userId: string): Promise<InvitationRecord | undefined> {
    const row = await tdb.selectFrom('guest_invitations').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  },

  /** Writes the invitation of `userId`, replacing an earlier one (a re-invite: the old ticket dies). */
  async save(tdb: TenantDb, record: Omit<InvitationRecord, 'createdAt' | 'updatedAt'>, now: string): Promise<void> {
    const values = {
      invited_email: record.invitedEmail,
      redirect_url: record.redirectUrl,
      invited_by_id: record.invitedById,
      invited_by_type: record.invitedByType,
      ticket_hash: record.ticketHash,
      ticket_expires_at: record.ticketExpiresAt,
      ticket_used_at: record.ticketUsedAt,
      updated_at: now,
    };
    await tdb
      .insertInto('guest_invitations', { user_id: record.userId, created_at: now, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet(values))
      .execute();
  },

  /**
   * Uses the ticket once: marks it used only while it is still this ticket, unused and unexpired.
   * Of two redemptions at once one gets true (the row's write lock orders them on PostgreSQL; SQLite
   * has one writer).
   */
  async consumeTicket(tdb: TenantDb, userId: string, ticketHash: string, now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('guest_invitations')
      .set({ ticket_used_at: now, updated_at: now })
      .where('user_id', '=', userId)
      .where('ticket_hash', '=', ticketHash)
      .where('ticket_used_at', 'is', null)
      .where('ticket_expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Ends the current ticket without it being used (the guest redeemed by a direct link instead). */
  async retireTicket(tdb: TenantDb, userId: string, now: string): Promise<boolean> {
    const result = await tdb
      .updateTable('guest_invitations')
      .set({ ticket_used_at: now, updated_at: now })
      .where('user_id', '=', userId)
      .where('ticket_used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },
});

export const homeLinksRepo = Object.freeze({
  async insert(tdb: TenantDb, link: HomeLink): Promise<void> {
    await tdb
      .insertInto('guest_home_links', {
        user_id: link.userId,
        kind: link.kind,
        issuer: link.issuer,
        subject: link.subject,
        home_tenant_id: link.homeTenantId,
        email: link.email,
        created_at: link.createdAt,
      })
      .execute();
  },

  async findByUser(tdb: TenantDb, userId: string): Promise<HomeLink | undefined> {
    const row = await tdb.selectFrom('guest_home_links').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row ? toLink(row) : undefined;
  },

  async findByIdentity(tdb: TenantDb, issuer: string, subject: string): Promise<HomeLink | undefined> {
    const row = await tdb.selectFrom('guest_home_links').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
    return row ? toLink(row) : undefined;
  },

  async deleteByUser(tdb: TenantDb, userId: string): Promise<boolean> {
    const result = await tdb.deleteFrom('guest_home_links').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
});

/**
 * The one deliberate cross-tenant read of B2B (DESIGN §3): every tenant where a home identity is a
 * guest, for My Account's "Organizations". It returns only ids; everything else about each
 * tenant is then read through that tenant's own scope.
 */
export const homeLinkRegistry = Object.freeze({
  async guestsOf(ex: Executor, issuer: string, subject: string): Promise<{ tenantId: string; userId: string }[]> {
    const rows = await ex
      .selectFrom('guest_home_links')
      .select(['tenant_id', 'user_id'])
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .orderBy('created_at')
      .limit(500)
      .execute();
    return rows.map((row) => ({ tenantId: row.tenant_id, userId: row.user_id }));
  },
});

function toRecord(row: Selectable<GuestInvitationsTable>): InvitationRecord {
  return {
    userId: row.user_id,
    invitedEmail: row.invited_email,
    redirectUrl: row.redirect_url,
    invitedById: row.invited_by_id,
    invitedByType: row.invited_by_type,
    ticketHash: row.ticket_hash,
    ticketExpiresAt: iso(row.ticket_expires_at, 'nullable'),
    ticketUsedAt: iso(row.ticket_used_at, 'nullable'),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toLink(row: Selectable<GuestHomeLinksTable>): HomeLink {
  return {
    userId: row.user_id,
    kind: row.kind,
    issuer: row.issuer,
    subject: row.subject,
    homeTenantId: row.home_tenant_id,
    email: row.email,
    createdAt: iso(row.created_at),
  };
}
