import type { Container } from '../container.ts';
import { migrateToLatest } from '../storage/migrate.ts';

export async function migrateCommand(container: Container): Promise<unknown> {
  const results = await migrateToLatest(container.database);
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
