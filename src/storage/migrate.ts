import { sql } from 'kysely';
import { Migrator, type MigrationResult } from 'kysely/migration';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';

export async function migrateToLatest(database: Database): Promise<MigrationResult[]> {
  // Kysely looks for its bookkeeping tables in every schema it can see; name ours explicitly so
  // databases that hold several Tessera schemas (one per test run, say) keep them apart.
  const schema =
    database.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return results ?? [];
    if (attempt < 3 && catalogRace(error)) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Kysely's migrator first lists every table of every schema (PostgresIntrospector.getTables) to see
 * whether its bookkeeping tables exist. When another schema of the same database is created or
 * dropped meanwhile (test runs, side-by-side deployments), that catalog read can fail with
 * "column ... does not exist" or "relation ... does not exist" for a table that is not ours; the
 * next attempt reads a settled catalog. Nothing has been migrated when this happens.
 */
function catalogRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42703' || code === '42P01' || code === 'XX000';
}
