import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import type { ServicePrincipal } from './application.types.ts';
import { applicationsRepo } from './applications.repo.ts';
import type { ApplicationsService } from './applications.service.ts';
import { GrantsErrors } from './grants.errors.ts';
import { grantsRepo } from './grants.repo.ts';

/** What the grant and assignment services share: their transactions, paging and service principal lookups. */

/** A page of a list: the items and, when more follow, the id the next page starts after. */
export interface GrantPage<T> {
  items: T[];
  last: string | null;
}

/** The first `top` of `rows` (read as top + 1, so the extra one says whether more follow). */
export function pageOf<T extends { id: string }>(rows: T[], top: number): GrantPage<T> {
  const items = rows.slice(0, top);
  return { items, last: rows.length > top ? (items[items.length - 1]?.id ?? null) : null };
}

/**
 * Runs a change to grants or assignments in a transaction. With `uniqueRace`, a lost race on one of
 * their unique indexes (two creates of the same grant at once) becomes the duplicate error the
 * pre-check gives. Every write bumps the directory stamp, so the token path's cached grants and
 * assignments (ApplicationsService) follow within STAMP_RECHECK_MS on every other node, and at once
 * on this one.
 */
export async function changeGrants<T>(database: Database, applications: ApplicationsService, scope: TenantScope, work: (tdb: TenantDb) => Promise<T>, uniqueRace = false): Promise<T> {
  try {
    return await inTransaction(database, scope, work);
  } catch (error) {
    const index = uniqueRace ? uniqueViolation(error) : null;
    if (index?.includes('oauth2_permission_grants')) throw GrantsErrors.duplicateGrant();
    if (index?.includes('app_role_assignments')) throw GrantsErrors.duplicateAssignment();
    throw error;
  } finally {
    applications.invalidate(scope);
  }
}

/** The service principal with this object id, read through `tdb` (inside a change: its roles and scopes decide the write). */
export async function servicePrincipalWithin(tdb: TenantDb, id: string): Promise<ServicePrincipal | undefined> {
  const lower = id.toLowerCase();
  const found = (await grantsRepo.directoryObjects(tdb, [lower])).get(lower);
  if (found?.type !== 'servicePrincipal' || !found.appId) return undefined;
  return applicationsRepo.findServicePrincipalByAppId(tdb, found.appId);
}
