import { lockInvariant } from '../../storage/invariant-lock.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { globalAdminsRepo } from './global-admins.repo.ts';

/** The invariant's lock name (storage/invariant-lock.ts). */
export const ENABLED_GLOBAL_ADMINISTRATORS = 'enabledGlobalAdministrators';

/**
 * A tenant always keeps one enabled Global Administrator (DESIGN §10, issue 13): every path that
 * could take `userId` out of that set (deleting the user, disabling the account, removing their
 * Global Administrator role; later, leaving the tenant) calls this inside its transaction, before
 * its write. It takes the invariant's lock first and only then reads who the enabled Global
 * Administrators are, so two such changes at once, from any nodes, are decided one after the other.
 */
export async function keepEnabledGlobalAdministrator(tdb: TenantDb, userId: string, outcome: 'deleted' | 'disabled' | 'removed from the Global Administrator role'): Promise<void> {
  await lockInvariant(tdb, ENABLED_GLOBAL_ADMINISTRATORS);
  const enabled = await globalAdminsRepo.enabledUserIds(tdb);
  if (enabled.includes(userId) && enabled.length === 1) throw DirectoryErrors.lastEnabledGlobalAdmin(outcome);
}
