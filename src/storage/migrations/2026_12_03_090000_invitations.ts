/**
 * B2B invitations (issue 15). Four tenant-owned tables:
 * - `guest_invitations`: one row per invited user: the address invited, where redemption leads,
 *   who invited, and the current ticket (only its keyed hash; single use; expiry). A re-invite
 *   replaces the ticket, so the old link dies.
 * - `guest_home_links`: who a guest is at home (issuer + subject of the home identity), written at
 *   redemption. Indexed by (issuer, subject) across tenants too: My Account's "Organizations" is
 *   the one deliberate cross-tenant read (every tenant where this home identity is a guest).
 * - `external_collaboration_policies`: authorizationPolicy, externalIdentitiesPolicy,
 *   b2bManagementPolicy and the e-mail OTP setting; no row means Entra's defaults.
 * - `invitation_throttle`: invitations counted per tenant per 5-second window, in the database so
 *   the limit holds across nodes.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

function types(db: Kysely<any>) {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { ts: 'timestamptz', bool: 'boolean', json: 'jsonb' } : { ts: 'text', bool: 'integer', json: 'text' };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  await db.schema
    .createTable('guest_invitations')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('invited_email', 'text', (c) => c.notNull())
    .addColumn('redirect_url', 'text', (c) => c.notNull())
    .addColumn('invited_by_id', 'text')
    .addColumn('invited_by_type', 'text', (c) => c.notNull())
    .addColumn('ticket_hash', 'text')
    .addColumn('ticket_expires_at', sql.raw(t.ts))
    .addColumn('ticket_used_at', sql.raw(t.ts))
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('guest_invitations_pk', ['tenant_id', 'user_id'])
    .addForeignKeyConstraint('guest_invitations_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('guest_home_links')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('home_tenant_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('guest_home_links_pk', ['tenant_id', 'user_id'])
    .addForeignKeyConstraint('guest_home_links_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('guest_home_links_kind', sql`kind in ('tenant', 'oidc', 'personal', 'emailOtp')`)
    .execute();
  // one guest per home identity in a tenant; and the cross-tenant lookup of "Organizations"
  await db.schema.createIndex('guest_home_links_identity').unique().on('guest_home_links').columns(['tenant_id', 'issuer', 'subject']).execute();
  await db.schema.createIndex('guest_home_links_home').on('guest_home_links').columns(['issuer', 'subject']).execute();

  await db.schema
    .createTable('external_collaboration_policies')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // one row per tenant: the id is always 'default' (primary keys are (tenant_id, ...) everywhere)
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('allow_invites_from', 'text', (c) => c.notNull())
    .addColumn('guest_user_role_id', 'text', (c) => c.notNull())
    .addColumn('allow_external_identities_to_leave', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('allowed_domains', sql.raw(t.json), (c) => c.notNull())
    .addColumn('blocked_domains', sql.raw(t.json), (c) => c.notNull())
    .addColumn('allow_consumer_domains', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('email_method_state', 'text', (c) => c.notNull())
    .addColumn('email_otp_for_external', 'text', (c) => c.notNull())
    .addColumn('authorization_policy', sql.raw(t.json), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('external_collaboration_policies_pk', ['tenant_id', 'id'])
    .addCheckConstraint(
      'external_collaboration_policies_invites',
      sql`allow_invites_from in ('none', 'adminsAndGuestInviters', 'adminsGuestInvitersAndAllMembers', 'everyone')`,
    )
    .execute();

  await db.schema
    .createTable('invitation_throttle')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('invitation_throttle_pk', ['tenant_id', 'window_start'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['invitation_throttle', 'external_collaboration_policies', 'guest_home_links', 'guest_invitations']) {
    await db.schema.dropTable(table).execute();
  }
}
