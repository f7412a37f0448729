/**
 * The directory core: tenants and their domains, and the directory objects of a tenant (users,
 * groups, directory roles) with memberships. Every tenant-owned table starts with tenant_id, has a
 * (tenant_id, ...) primary key and composite foreign keys, so a row can never point into another
 * tenant (DESIGN §3). `directory_objects` is the supertype of everything a membership can point at,
 * so members, owners and role members cascade away with the object they name.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

type Types = { ts: string; bool: string; json: string };

function types(db: Kysely<any>): Types {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { ts: 'timestamptz', bool: 'boolean', json: 'jsonb' } : { ts: 'text', bool: 'integer', json: 'text' };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('initial_domain', 'text', (c) => c.notNull())
    .addColumn('country_letter_code', 'text')
    .addColumn('preferred_language', 'text')
    .addColumn('city', 'text')
    .addColumn('state', 'text')
    .addColumn('street', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('cloud_type', 'text', (c) => c.notNull().defaultTo('commercial'))
    .addColumn('privacy_contact_email', 'text')
    .addColumn('privacy_statement_url', 'text')
    .addColumn('technical_notification_mails', sql.raw(t.json), (c) => c.notNull())
    .addColumn('branding', sql.raw(t.json), (c) => c.notNull())
    .addColumn('settings', sql.raw(t.json), (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addCheckConstraint('tenants_cloud_type', sql`cloud_type in ('commercial', 'government', 'sovereign')`)
    .execute();

  await db.schema
    .createTable('tenant_domains')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_initial', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('is_default', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('is_verified', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('Managed'))
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_domains_pk', ['tenant_id', 'name'])
    .execute();
  // A domain names exactly one tenant, across the whole installation: it is how sign-in finds the tenant.
  await sql`create unique index tenant_domains_name_unique on tenant_domains (lower(name))`.execute(db);

  await db.schema
    .createTable('directory_objects')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_objects_pk', ['tenant_id', 'id'])
    .addCheckConstraint('directory_objects_type', sql`object_type in ('user', 'group', 'directoryRole', 'servicePrincipal')`)
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_principal_name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text')
    .addColumn('surname', 'text')
    .addColumn('mail', 'text')
    .addColumn('mail_nickname', 'text', (c) => c.notNull())
    .addColumn('other_mails', sql.raw(t.json), (c) => c.notNull())
    .addColumn('proxy_addresses', sql.raw(t.json), (c) => c.notNull())
    .addColumn('identities', sql.raw(t.json), (c) => c.notNull())
    .addColumn('business_phones', sql.raw(t.json), (c) => c.notNull())
    .addColumn('account_enabled', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('user_type', 'text', (c) => c.notNull())
    .addColumn('usage_location', 'text')
    .addColumn('job_title', 'text')
    .addColumn('department', 'text')
    .addColumn('company_name', 'text')
    .addColumn('office_location', 'text')
    .addColumn('mobile_phone', 'text')
    .addColumn('preferred_language', 'text')
    .addColumn('city', 'text')
    .addColumn('state', 'text')
    .addColumn('country', 'text')
    .addColumn('street_address', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('employee_id', 'text')
    .addColumn('external_user_state', 'text')
    .addColumn('external_user_state_change_at', sql.raw(t.ts))
    .addColumn('creation_type', 'text')
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('users_object_fk', ['tenant_id', 'id'], 'directory_objects', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('users_user_type', sql`user_type in ('Member', 'Guest')`)
    .execute();
  await sql`create unique index users_upn_unique on users (tenant_id, lower(user_principal_name))`.execute(db);
  await sql`create index users_display_name on users (tenant_id, lower(display_name), id)`.execute(db);
  await sql`create index users_mail on users (tenant_id, lower(mail))`.execute(db);

  await db.schema
    .createTable('user_credentials')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_changed_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('user_credentials_pk', ['tenant_id', 'user_id'])
    .addForeignKeyConstraint('user_credentials_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('mail_nickname', 'text', (c) => c.notNull())
    .addColumn('mail_enabled', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('security_enabled', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('group_types', sql.raw(t.json), (c) => c.notNull())
    .addColumn('visibility', 'text')
    .addColumn('is_assignable_to_role', sql.raw(t.bool), (c) => c.notNull())
    .addColumn('mail', 'text')
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('groups_object_fk', ['tenant_id', 'id'], 'directory_objects', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await sql`create unique index groups_mail_nickname_unique on groups (tenant_id, lower(mail_nickname))`.execute(db);
  await sql`create index groups_display_name on groups (tenant_id, lower(display_name), id)`.execute(db);

  for (const relation of ['group_members', 'group_owners'] as const) {
    await db.schema
      .createTable(relation)
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
      .addPrimaryKeyConstraint(`${relation}_pk`, ['tenant_id', 'group_id', 'member_id'])
      .addForeignKeyConstraint(`${relation}_group_fk`, ['tenant_id', 'group_id'], 'groups', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
      .addForeignKeyConstraint(`${relation}_member_fk`, ['tenant_id', 'member_id'], 'directory_objects', ['tenant_id', 'id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    await db.schema.createIndex(`${relation}_member`).on(relation).columns(['tenant_id', 'member_id']).execute();
  }

  await db.schema
    .createTable('directory_roles')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('role_template_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_roles_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('directory_roles_object_fk', ['tenant_id', 'id'], 'directory_objects', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addUniqueConstraint('directory_roles_template_unique', ['tenant_id', 'role_template_id'])
    .execute();

  await db.schema
    .createTable('directory_role_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_role_members_pk', ['tenant_id', 'role_id', 'member_id'])
    .addForeignKeyConstraint('directory_role_members_role_fk', ['tenant_id', 'role_id'], 'directory_roles', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('directory_role_members_member_fk', ['tenant_id', 'member_id'], 'directory_objects', ['tenant_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('directory_role_members_member').on('directory_role_members').columns(['tenant_id', 'member_id']).execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('details', sql.raw(t.json), (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_events_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('audit_events_time').on('audit_events').columns(['tenant_id', 'occurred_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_events',
    'directory_role_members',
    'directory_roles',
    'group_owners',
    'group_members',
    'groups',
    'user_credentials',
    'users',
    'directory_objects',
    'tenant_domains',
    'tenants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
