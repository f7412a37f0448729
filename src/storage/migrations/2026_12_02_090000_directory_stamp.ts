/**
 * `tenants.directory_stamp`: a counter bumped in the same transaction as every change to a tenant's
 * applications, service principals, permission grants, app role assignments and verified domains.
 * Each node keeps parsed copies of those per tenant and re-reads this one integer (at most every
 * few seconds) to know whether its copies are still current (modules/consent/stamped-cache.ts).
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('directory_stamp', 'integer', (c) => c.notNull().defaultTo(sql.raw('0')))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('directory_stamp').execute();
}
