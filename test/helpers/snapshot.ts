import { sql } from 'kysely';
import type { Database, Executor } from '../../src/storage/database.ts';

/** Every row of one tenant in every tenant-owned table, as comparable JSON (plus its registry row). */
export async function isolationTablesSnapshot(database: Database, tenantId: string, executor: Executor = database.db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tenantOwnedTables(database, executor)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(executor);
    out[table] = JSON.stringify(rows.rows.map((r) => JSON.stringify(r)).sort());
  }
  const own = await sql<Record<string, unknown>>`select * from tenants where id = ${tenantId}`.execute(executor);
  out.tenants = JSON.stringify(own.rows);
  return out;
}

async function tenantOwnedTables(database: Database, executor: Executor): Promise<string[]> {
  if (database.dialect === 'postgres') {
    // Only this test database's schema: introspecting every schema races with parallel test files
    // dropping theirs ("schema t_... does not exist").
    const rows = await sql<{ table_name: string }>`
      select distinct table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'tenant_id'`.execute(executor);
    return rows.rows.map((r) => r.table_name).sort();
  }
  return (await executor.introspection.getTables()).filter((t) => t.columns.some((c) => c.name === 'tenant_id')).map((t) => t.name);
}
