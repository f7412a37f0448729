/**
 * The identity platform: OIDC protocol state (oidc_payloads, shared by every node), per-tenant
 * signing keys, applications and service principals with their permission grants and app role
 * assignments, and smart-lockout state per (account, source). Every table is tenant-owned:
 * tenant_id first, (tenant_id, ...) primary key, composite foreign keys (DESIGN §3).
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

function types(db: Kysely<any>): { ts: string; bool: string; json: string } {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { ts: 'timestamptz', bool: 'boolean', json: 'jsonb' } : { ts: 'text', bool: 'integer', json: 'text' };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);

  await db.schema
    .createTable('oidc_payloads')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('uid', 'text')
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('consumed_at', sql.raw(t.ts))
    .addColumn('expires_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['tenant_id', 'model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').columns(['tenant_id', 'model', 'uid']).execute();
  await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').columns(['tenant_id', 'grant_id']).execute();
  await db.schema.createIndex('oidc_payloads_user_code').on('oidc_payloads').columns(['tenant_id', 'model', 'user_code']).execute();
  await db.schema.createIndex('oidc_payloads_expiry').on('oidc_payloads').columns(['expires_at']).execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('retired_at', sql.raw(t.ts))
    .addColumn('remove_after', sql.raw(t.ts))
    .addPrimaryKeyConstraint('signing_keys_pk', ['tenant_id', 'kid'])
    .addCheckConstraint('signing_keys_status', sql`status in ('active', 'retired')`)
    .execute();

  await db.schema
    .createTable('applications')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('sign_in_audience', 'text', (c) => c.notNull())
    .addColumn('web_redirect_uris', sql.raw(t.json), (c) => c.notNull())
    .addColumn('spa_redirect_uris', sql.raw(t.json), (c) => c.notNull())
    .addColumn('public_client_redirect_uris', sql.raw(t.json), (c) => c.notNull())
    .addColumn('is_fallback_public_client', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('identifier_uris', sql.raw(t.json), (c) => c.notNull())
    .addColumn('required_resource_access', sql.raw(t.json), (c) => c.notNull())
    .addColumn('oauth2_permission_scopes', sql.raw(t.json), (c) => c.notNull())
    .addColumn('app_roles', sql.raw(t.json), (c) => c.notNull())
    .addColumn('password_credentials', sql.raw(t.json), (c) => c.notNull())
    .addColumn('key_credentials', sql.raw(t.json), (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('applications_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('applications_app_id').unique().on('applications').columns(['tenant_id', 'app_id']).execute();

  await db.schema
    .createTable('service_principals')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('app_owner_organization_id', 'text')
    .addColumn('account_enabled', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('app_roles', sql.raw(t.json), (c) => c.notNull())
    .addColumn('oauth2_permission_scopes', sql.raw(t.json), (c) => c.notNull())
    .addColumn('service_principal_names', sql.raw(t.json), (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('service_principals_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('service_principals_object_fk', ['tenant_id', 'id'], 'directory_objects', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('service_principals_app_id').unique().on('service_principals').columns(['tenant_id', 'app_id']).execute();

  await db.schema
    .createTable('oauth2_permission_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('consent_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text')
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('oauth2_permission_grants_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('oauth2_permission_grants_client_fk', ['tenant_id', 'client_id'], 'service_principals', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('oauth2_permission_grants_resource_fk', ['tenant_id', 'resource_id'], 'service_principals', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('oauth2_permission_grants_principal_fk', ['tenant_id', 'principal_id'], 'directory_objects', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('oauth2_permission_grants_type', sql`consent_type in ('AllPrincipals', 'Principal')`)
    .execute();
  await db.schema.createIndex('oauth2_permission_grants_client').on('oauth2_permission_grants').columns(['tenant_id', 'client_id', 'resource_id']).execute();

  await db.schema
    .createTable('app_role_assignments')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_role_id', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('app_role_assignments_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('app_role_assignments_principal_fk', ['tenant_id', 'principal_id'], 'directory_objects', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('app_role_assignments_resource_fk', ['tenant_id', 'resource_id'], 'service_principals', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('app_role_assignments_principal').on('app_role_assignments').columns(['tenant_id', 'principal_id', 'resource_id']).execute();

  await db.schema
    .createTable('sign_in_lockouts')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('lockouts', 'integer', (c) => c.notNull())
    .addColumn('locked_until', sql.raw(t.ts))
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_lockouts_pk', ['tenant_id', 'user_id', 'source'])
    .addForeignKeyConstraint('sign_in_lockouts_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sign_in_lockouts', 'app_role_assignments', 'oauth2_permission_grants', 'service_principals', 'applications', 'signing_keys', 'oidc_payloads']) {
    await db.schema.dropTable(table).execute();
  }
}
