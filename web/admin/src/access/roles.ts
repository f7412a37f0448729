import { actionMatches, GLOBAL_ADMINISTRATOR, MEMBER_DEFAULT_ACTIONS, roleTemplates } from '../../../../src/modules/directory/access/roles.catalog.ts';

/** Entra's Global Administrator role template id. */
export { GLOBAL_ADMINISTRATOR };

/**
 * What each Entra built-in directory role lets its holder do: the server's own catalog (pure data,
 * no server code), so the admin center's view of a role can never drift from what the API allows.
 * The admin center uses this only to hide or disable controls; the API decides, and its 403s are
 * shown as such.
 */
const ROLE_ACTIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(roleTemplates.map((role) => [role.id, role.actions]));

/** The actions the admin center asks about. */
export const Actions = {
  readUsers: 'microsoft.directory/users/read',
  createUsers: 'microsoft.directory/users/create',
  updateUsers: 'microsoft.directory/users/basic/update',
  updateUsageLocation: 'microsoft.directory/users/usageLocation/update',
  deleteUsers: 'microsoft.directory/users/delete',
  readGroups: 'microsoft.directory/groups/read',
  createGroups: 'microsoft.directory/groups/create',
  updateGroups: 'microsoft.directory/groups/basic/update',
  deleteGroups: 'microsoft.directory/groups/delete',
  updateGroupMembers: 'microsoft.directory/groups/members/update',
  updateGroupOwners: 'microsoft.directory/groups/owners/update',
  readRoles: 'microsoft.directory/directoryRoles/read',
  updateRoleMembers: 'microsoft.directory/directoryRoles/members/update',
  readOrganization: 'microsoft.directory/organization/read',
  updateOrganization: 'microsoft.directory/organization/basic/update',
  updateBranding: 'microsoft.directory/organization/branding/update',
  // External identities (Entra's action names; Global Administrator's `microsoft.directory/*` covers them all)
  inviteGuests: 'microsoft.directory/invitations/create',
  resetRedemption: 'microsoft.directory/invitations/resetRedemption',
  revokeSessions: 'microsoft.directory/users/invalidateAllRefreshTokens',
  disableUsers: 'microsoft.directory/users/disable',
  enableUsers: 'microsoft.directory/users/enable',
  readPolicies: 'microsoft.directory/policies/read',
  updateAuthorizationPolicy: 'microsoft.directory/authorizationPolicy/standard/update',
  /** collaboration restrictions (b2bManagementPolicy) and the leave setting (externalIdentitiesPolicy) */
  updateExternalCollaboration: 'microsoft.directory/externalCollaborationPolicy/update',
  updateAuthenticationMethods: 'microsoft.directory/authenticationMethodsPolicy/update',
  updateIdentityProviders: 'microsoft.directory/identityProviders/allProperties/allTasks',
  // Enterprise applications, App registrations, Consent and permissions (issue 16; operations.ts's actions)
  readApplications: 'microsoft.directory/applications/read',
  createApplications: 'microsoft.directory/applications/create',
  updateApplications: 'microsoft.directory/applications/allProperties/update',
  updateApplicationCredentials: 'microsoft.directory/applications/credentials/update',
  deleteApplications: 'microsoft.directory/applications/delete',
  readServicePrincipals: 'microsoft.directory/servicePrincipals/read',
  createServicePrincipals: 'microsoft.directory/servicePrincipals/create',
  updateServicePrincipals: 'microsoft.directory/servicePrincipals/allProperties/update',
  /** revoking (and changing) delegated permission grants */
  updatePermissionGrants: 'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
  /** application permissions, and users and groups assigned to an app */
  updateAppRoleAssignments: 'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
  /** "Grant admin consent for {tenant}" (Entra's least privileged form: all but Microsoft Graph's app roles) */
  grantAdminConsent: 'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-application-admin',
  updatePermissionClassifications: 'microsoft.directory/servicePrincipals/policies/update',
} as const;

export type Action = (typeof Actions)[keyof typeof Actions];

/** Whether any of the roles is one this admin center knows, i.e. whether the user may use it at all. */
export function holdsAdminRole(roleTemplateIds: Iterable<string>): boolean {
  for (const id of roleTemplateIds) if (id in ROLE_ACTIONS) return true;
  return false;
}

export function grantedActions(userType: string | null | undefined, roleTemplateIds: Iterable<string>): string[] {
  const granted: string[] = userType === 'Guest' ? [] : [...MEMBER_DEFAULT_ACTIONS];
  for (const id of roleTemplateIds) granted.push(...(ROLE_ACTIONS[id] ?? []));
  return granted;
}

export function allows(granted: readonly string[], action: string): boolean {
  return granted.some((pattern) => actionMatches(pattern, action));
}
