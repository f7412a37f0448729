/**
 * Home sign-in for B2B guests (issue 15, items 3-6):
 * - `identity_providers`: per inviting tenant, an OpenID Connect provider its partners sign in with
 *   (issuer, client id, the client secret sealed under TESSERA_SECRET, scope), and
 *   `identity_provider_domains`, the e-mail domains it serves (one provider per domain per tenant:
 *   the primary key makes a second claim on a domain fail, also when two requests race).
 * - `email_codes`: one-time codes mailed to an address (creating a personal account; e-mail
 *   one-time passcode sign-in for guests): only a keyed hash of the code, its expiry and the
 *   tries used; `(tenant_id, email, created_at)` serves the per-address rate limit.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

function types(db: Kysely<any>): { ts: string } {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { ts: 'timestamptz' } : { ts: 'text' };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);

  await db.schema
    .createTable('identity_providers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_providers_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('identity_provider_domains')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_provider_domains_pk', ['tenant_id', 'domain'])
    .addForeignKeyConstraint('identity_provider_domains_provider_fk', ['tenant_id', 'provider_id'], 'identity_providers', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('identity_provider_domains_provider').on('identity_provider_domains').columns(['tenant_id', 'provider_id']).execute();

  await db.schema
    .createTable('email_codes')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('expires_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('verified_at', sql.raw(t.ts))
    .addColumn('consumed_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('email_codes_pk', ['tenant_id', 'id'])
    .addCheckConstraint('email_codes_purpose', sql`purpose in ('signup', 'guestOtp')`)
    .execute();
  await db.schema.createIndex('email_codes_email').on('email_codes').columns(['tenant_id', 'email', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_codes').execute();
  await db.schema.dropTable('identity_provider_domains').execute();
  await db.schema.dropTable('identity_providers').execute();
}
