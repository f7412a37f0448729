/**
 * Issue 14 (prefix search): `startswith` becomes a range on lower(column) (storage/odata-sql.ts),
 * so every string property Graph lets clients filter with startswith on a large collection gets an
 * index on (tenant_id, lower(column)) that can serve the range.
 *
 * SQLite compares text in binary (code point) order, so the indexes on lower(column) that already
 * exist (users: user_principal_name, display_name, mail; groups: display_name, mail_nickname) serve
 * the range there, and only the missing ones are added. PostgreSQL sorts text in the database's
 * collation, which may be linguistic; the range is compared in the "C" collation, so every one of
 * these columns gets an index in that collation (the existing ones stay: they serve equality and
 * $orderby in the database's collation).
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

/** [index name, table, column] */
type PrefixIndex = readonly [string, string, string];

const SQLITE: readonly PrefixIndex[] = [
  ['users_given_name', 'users', 'given_name'],
  ['users_surname', 'users', 'surname'],
  ['users_mail_nickname', 'users', 'mail_nickname'],
  ['groups_mail', 'groups', 'mail'],
];

const POSTGRES: readonly PrefixIndex[] = [
  ['users_upn_prefix', 'users', 'user_principal_name'],
  ['users_display_name_prefix', 'users', 'display_name'],
  ['users_mail_prefix', 'users', 'mail'],
  ['users_given_name_prefix', 'users', 'given_name'],
  ['users_surname_prefix', 'users', 'surname'],
  ['users_mail_nickname_prefix', 'users', 'mail_nickname'],
  ['groups_display_name_prefix', 'groups', 'display_name'],
  ['groups_mail_nickname_prefix', 'groups', 'mail_nickname'],
  ['groups_mail_prefix', 'groups', 'mail'],
];

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  for (const [name, table, column] of pg ? POSTGRES : SQLITE) {
    const key = pg ? sql`(lower(${sql.ref(column)}) collate "C")` : sql`lower(${sql.ref(column)})`;
    await sql`create index if not exists ${sql.id(name)} on ${sql.table(table)} (tenant_id, ${key})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of isPostgres(db) ? POSTGRES : SQLITE) await sql`drop index if exists ${sql.id(name)}`.execute(db);
}
