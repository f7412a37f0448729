/**
 * Issue 14 (pages that read only their rows): a startswith page on displayName without $orderby is
 * read in (lower(displayName), id) order (storage/odata-sql.ts pageSortKeys), so the index range is
 * read in order and the page stops after its rows. On SQLite `users_display_name` and
 * `groups_display_name` are already (tenant_id, lower(display_name), id) in binary order. On
 * PostgreSQL the range is compared in the "C" collation, whose indexes (2026_12_02_100000_prefix_indexes)
 * end at lower(display_name): they are rebuilt under the same names with the id as last column (a
 * superset, so they serve everything they served before).
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

const INDEXES = [
  ['users_display_name_prefix', 'users'],
  ['groups_display_name_prefix', 'groups'],
] as const;

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const [name, table] of INDEXES) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
    await sql`create index ${sql.id(name)} on ${sql.table(table)} (tenant_id, (lower(display_name) collate "C"), id)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const [name, table] of INDEXES) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
    await sql`create index ${sql.id(name)} on ${sql.table(table)} (tenant_id, (lower(display_name) collate "C"))`.execute(db);
  }
}
