/**
 * The admin consent request workflow (issue 16 item 6). Four tenant-owned tables:
 * - `admin_consent_request_policies`: the tenant's adminConsentRequestPolicy (one row, id
 *   'default'; no row means Entra's defaults: off, 30 days). `version` counts the updates.
 * - `admin_consent_reviewers`: the policy's reviewers, one row per `{query, queryType, queryRoot}`
 *   entry (a user, a group's transitive users, or the holders of a directory role), each with the
 *   time it was added: a reviewer may act only on requests made after their entry was added.
 * - `app_consent_requests`: one per app and round of requests (Graph's appConsentRequest). At most
 *   one `pending` per app (partial unique index); once decided (approved, denied, blocked) or
 *   expired it stays as history and the next request opens a new one.
 * - `user_consent_requests`: one per user per app request (Graph's userConsentRequest): the reason,
 *   the permissions asked for, the status and its own expiry.
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
    .createTable('admin_consent_request_policies')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('is_enabled', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('notify_reviewers', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('reminders_enabled', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('request_duration_days', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('admin_consent_request_policies_pk', ['tenant_id', 'id'])
    .addCheckConstraint('admin_consent_request_policies_duration', sql`request_duration_days between 1 and 30`)
    .execute();

  await db.schema
    .createTable('admin_consent_reviewers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // a user id, a group id or a directory role template id
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('query_type', 'text', (c) => c.notNull())
    .addColumn('query_root', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('added_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('admin_consent_reviewers_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('admin_consent_reviewers_target', ['tenant_id', 'kind', 'target_id'])
    .addCheckConstraint('admin_consent_reviewers_kind', sql`kind in ('user', 'group', 'role')`)
    .execute();

  await db.schema
    .createTable('app_consent_requests')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('app_display_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    // [{ resourceAppId, scopes: string[], appRoles: {id, value}[] }]: what the round asks for
    .addColumn('permissions', sql.raw(t.json), (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('reviewed_by_id', 'text')
    .addColumn('reviewed_by_name', 'text')
    .addColumn('reviewed_at', sql.raw(t.ts))
    .addColumn('justification', 'text')
    .addPrimaryKeyConstraint('app_consent_requests_pk', ['tenant_id', 'id'])
    .addCheckConstraint('app_consent_requests_state', sql`state in ('pending', 'approved', 'denied', 'blocked', 'expired')`)
    .execute();
  // one open round per app (two users asking at once meet here, and one joins the other's)
  await sql`create unique index app_consent_requests_open on app_consent_requests (tenant_id, app_id) where state = 'pending'`.execute(db);
  await db.schema.createIndex('app_consent_requests_app').on('app_consent_requests').columns(['tenant_id', 'app_id', 'created_at']).execute();

  await db.schema
    .createTable('user_consent_requests')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_request_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('permissions', sql.raw(t.json), (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('expires_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('completed_at', sql.raw(t.ts))
    .addColumn('reminded_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('user_consent_requests_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('user_consent_requests_app_fk', ['tenant_id', 'app_request_id'], 'app_consent_requests', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('user_consent_requests_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addUniqueConstraint('user_consent_requests_one_per_user', ['tenant_id', 'app_request_id', 'user_id'])
    .addCheckConstraint('user_consent_requests_status', sql`status in ('InProgress', 'Completed', 'Expired')`)
    .execute();
  await db.schema.createIndex('user_consent_requests_user').on('user_consent_requests').columns(['tenant_id', 'user_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_consent_requests').execute();
  await db.schema.dropTable('app_consent_requests').execute();
  await db.schema.dropTable('admin_consent_reviewers').execute();
  await db.schema.dropTable('admin_consent_request_policies').execute();
}
