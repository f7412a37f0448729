import { sql } from 'kysely';
import type { Database, Executor } from '../../src/storage/database.ts';

/** Every row of one tenant in every tenant-owned table, as comparable JSON (plus its registry row). */
export async function isolationTablesSnapshot(database: Database, tenantId: string, executor: Executor = database.db): Promise<Record<string, string>> {
  const tables = (await executor.introspection.getTables()).filter((t) => t.columns.some((c) => c.name === 'tenant_id'));
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)} where tenant_id = ${tenantId}`.execute(executor);
    out[table.name] = JSON.stringify(rows.rows.map((r) => JSON.stringify(r)).sort());
  }
  const own = await sql<Record<string, unknown>>`select * from tenants where id = ${tenantId}`.execute(executor);
  out.tenants = JSON.stringify(own.rows);
  return out;
}
