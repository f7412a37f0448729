import type { AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal } from '../../graph/applicationTypes.ts';
import type { DirectoryObject } from '../../graph/types.ts';
import { scopesOf } from '../applications/appRules.ts';

/** One granted permission as the Permissions tab lists it (Entra shows a row per permission). */
export type PermissionRow =
  | { kind: 'admin' | 'user'; key: string; api: string; permission: string; description: string; grantedBy: string; grant: OAuth2PermissionGrant }
  | { kind: 'application'; key: string; api: string; permission: string; description: string; grantedBy: string; assignmentId: string };

/**
 * Delegated grants become a row per scope (tenant-wide ones "An administrator", a user's own under
 * their name); application permissions a row per app role assignment. Pure: unit-tested.
 */
export function permissionRows(facts: {
  grants: readonly OAuth2PermissionGrant[];
  assignments: readonly AppRoleAssignment[];
  resources: ReadonlyMap<string, ServicePrincipal>;
  users: ReadonlyMap<string, DirectoryObject>;
}): PermissionRow[] {
  const rows: PermissionRow[] = [];
  for (const grant of facts.grants) {
    const resource = facts.resources.get(grant.resourceId);
    const user = grant.principalId ? facts.users.get(grant.principalId.toLowerCase()) : undefined;
    const kind = grant.consentType === 'AllPrincipals' ? 'admin' : 'user';
    const grantedBy = kind === 'admin' ? 'An administrator (for all users)' : (user?.displayName || user?.userPrincipalName || grant.principalId || 'A user');
    for (const value of scopesOf(grant.scope)) {
      const scope = resource?.oauth2PermissionScopes?.find((s) => s.value.toLowerCase() === value.toLowerCase());
      rows.push({
        kind,
        key: `${grant.id}/${value}`,
        api: resource?.displayName ?? grant.resourceId,
        permission: value,
        description: (kind === 'admin' ? scope?.adminConsentDisplayName : (scope?.userConsentDisplayName ?? scope?.adminConsentDisplayName)) ?? '',
        grantedBy,
        grant,
      });
    }
  }
  for (const assignment of facts.assignments) {
    const resource = facts.resources.get(assignment.resourceId);
    const role = resource?.appRoles?.find((r) => r.id === assignment.appRoleId);
    rows.push({
      kind: 'application',
      key: `role/${assignment.id}`,
      api: resource?.displayName ?? assignment.resourceDisplayName ?? assignment.resourceId,
      permission: role?.value ?? assignment.appRoleId,
      description: role?.displayName ?? '',
      grantedBy: 'An administrator',
      assignmentId: assignment.id,
    });
  }
  return rows.sort((a, b) => a.api.localeCompare(b.api) || a.permission.localeCompare(b.permission));
}
