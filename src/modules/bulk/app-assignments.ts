import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { recordAudit } from '../audit/index.ts';
import { applicationsRepo, grantsRepo, type ServicePrincipal } from '../consent/index.ts';
import { actorOf, GLOBAL_ADMINISTRATOR, type Principal } from '../directory/index.ts';
import { BulkErrors } from './bulk.errors.ts';

/**
 * The legacy template's `InvitedToApplications`: the guest is assigned to each listed app, as an
 * appRoleAssignment of the app's default role (Graph's `00000000-...` id for apps that define no
 * roles) on its service principal in this tenant. Who may assign users to apps, as data: the
 * directory roles that manage service principals, or an app with one of these permissions.
 */
export const DEFAULT_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';
const APP_ASSIGNER_ROLES: ReadonlySet<string> = new Set([
  GLOBAL_ADMINISTRATOR,
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
]);
const APP_ASSIGNER_PERMISSIONS = ['AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All'];

export function mayAssignApplications(principal: Principal): boolean {
  switch (principal.kind) {
    case 'system':
      return true;
    case 'app':
      return APP_ASSIGNER_PERMISSIONS.some((permission) => principal.roles.has(permission));
    case 'user':
      return [...principal.roleTemplateIds].some((id) => APP_ASSIGNER_ROLES.has(id));
  }
}

/** The app's service principal, when it exists and the principal may assign users to it. */
async function checkApplication(tdb: TenantDb, principal: Principal, appId: string): Promise<ServicePrincipal> {
  if (!mayAssignApplications(principal)) throw BulkErrors.rowApplicationForbidden();
  const servicePrincipal = await applicationsRepo.findServicePrincipalByAppId(tdb, appId);
  if (!servicePrincipal) throw BulkErrors.rowApplicationNotFound(appId);
  return servicePrincipal;
}

/** Assigns `userId` to the app `appId` in the caller's transaction; nothing when already assigned. */
export async function assignApplication(tdb: TenantDb, clock: Clock, principal: Principal, appId: string, userId: string): Promise<void> {
  const servicePrincipal = await checkApplication(tdb, principal, appId);
  const existing = await grantsRepo.appRoleAssignments(tdb, userId, servicePrincipal.id);
  if (existing.some((assignment) => assignment.appRoleId === DEFAULT_APP_ROLE_ID)) return;
  const now = clock.now().toISOString();
  // the repository bumps the tenant's directory stamp in this transaction (cached app data elsewhere)
  await grantsRepo.insertAppRoleAssignment(tdb, { id: newId(), appRoleId: DEFAULT_APP_ROLE_ID, principalId: userId, principalType: 'User', resourceId: servicePrincipal.id, createdDateTime: now });
  await recordAudit(tdb, clock, {
    ...actorOf(principal),
    action: 'Add app role assignment grant to user',
    targetType: 'servicePrincipal',
    targetId: servicePrincipal.id,
    details: { principalId: userId, appRoleId: DEFAULT_APP_ROLE_ID, appId },
  });
}
