/**
 * Graph's `passwordProfile.forceChangePasswordNextSignIn`, stored with the credential it is about:
 * while it is set, a correct password at sign-in leads to the "Update your password" page instead
 * of a session. Existing credentials keep working as before (false).
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

function types(db: Kysely<any>): { bool: string; no: ReturnType<typeof sql.raw> } {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { bool: 'boolean', no: sql.raw('false') } : { bool: 'integer', no: sql.raw('0') };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  await db.schema
    .alterTable('user_credentials')
    .addColumn('force_change_password_next_sign_in', sql.raw(t.bool), (c) => c.notNull().defaultTo(t.no))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_credentials').dropColumn('force_change_password_next_sign_in').execute();
}
