/**
 * Policy as data: each Graph operation names the delegated scopes and application roles that
 * permit it (any one suffices, as in Graph's permission tables) and the directory action the
 * signed-in user's roles must allow. A delegated call needs both (DESIGN §4).
 */
const READ_DIR = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const WRITE_DIR = ['Directory.ReadWrite.All'];

export interface OperationPolicy {
  delegated: readonly string[];
  application: readonly string[];
  /** the directory action, or several of which any one suffices */
  action: string | readonly string[];
}

function op(delegated: string[], application: string[], action: string | readonly string[]): OperationPolicy {
  return { delegated: [...delegated, 'Directory.AccessAsUser.All'], application, action };
}

export const operations = {
  'users.read': op(['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', ...READ_DIR], ['User.Read.All', 'User.ReadWrite.All', ...READ_DIR], 'microsoft.directory/users/read'),
  'users.create': op(['User.ReadWrite.All', ...WRITE_DIR], ['User.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/users/create'),
  /**
   * Any of the user-changing permissions lets a caller in; which properties of which users they may
   * then change is decided per change and per target by sensitive-actions.ts (a Helpdesk
   * Administrator may only reset passwords, an app with only User-PasswordProfile.ReadWrite.All too).
   */
  'users.update': op(['User.ReadWrite.All', 'User-PasswordProfile.ReadWrite.All', ...WRITE_DIR], ['User.ReadWrite.All', 'User-PasswordProfile.ReadWrite.All', ...WRITE_DIR], [
    'microsoft.directory/users/basic/update',
    'microsoft.directory/users/password/update',
    'microsoft.directory/users/enable',
    'microsoft.directory/users/disable',
    'microsoft.directory/users/userPrincipalName/update',
  ]),
  /** Graph's application Directory.ReadWrite.All "does not allow user or group deletion" */
  'users.delete': op(['User.ReadWrite.All', ...WRITE_DIR], ['User.ReadWrite.All'], 'microsoft.directory/users/delete'),
  /** any directory object by id (`/directoryObjects`): Graph's Directory.Read.All family */
  'directoryObjects.read': op(['User.Read.All', 'User.ReadWrite.All', ...READ_DIR], ['User.Read.All', 'User.ReadWrite.All', ...READ_DIR], 'microsoft.directory/users/read'),
  'groups.read': op(['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...READ_DIR], ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...READ_DIR], 'microsoft.directory/groups/read'),
  'groups.create': op(['Group.ReadWrite.All', ...WRITE_DIR], ['Group.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/groups/create'),
  'groups.update': op(['Group.ReadWrite.All', ...WRITE_DIR], ['Group.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/groups/basic/update'),
  'groups.delete': op(['Group.ReadWrite.All', ...WRITE_DIR], ['Group.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/groups/delete'),
  'groups.members.update': op(['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', ...WRITE_DIR], ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/groups/members/update'),
  'groups.owners.update': op(['Group.ReadWrite.All', ...WRITE_DIR], ['Group.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/groups/owners/update'),
  'organization.read': op(['User.Read', 'Organization.Read.All', 'Organization.ReadWrite.All', ...READ_DIR], ['Organization.Read.All', 'Organization.ReadWrite.All', ...READ_DIR], 'microsoft.directory/organization/read'),
  'organization.update': op(['Organization.ReadWrite.All', ...WRITE_DIR], ['Organization.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/organization/basic/update'),
  'directoryRoles.read': op(['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', ...READ_DIR], ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', ...READ_DIR], 'microsoft.directory/directoryRoles/read'),
  'directoryRoles.members.update': op(['RoleManagement.ReadWrite.Directory'], ['RoleManagement.ReadWrite.Directory'], 'microsoft.directory/directoryRoles/members/update'),
  /**
   * Listing (enumerating) users and groups, apart from reading one by id: the same permissions as
   * reading, but a guest at Entra's default "Guest User" access level may read objects by id and
   * never list them (access/guest-access.ts).
   */
  'users.list': op(['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', ...READ_DIR], ['User.Read.All', 'User.ReadWrite.All', ...READ_DIR], 'microsoft.directory/users/read'),
  'groups.list': op(['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...READ_DIR], ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...READ_DIR], 'microsoft.directory/groups/read'),
  /**
   * `POST /invitations` (graph-reference §1.4): the permission side only. Which signed-in users may
   * invite depends on the tenant's authorizationPolicy.allowInvitesFrom (and the Guest Inviter role),
   * so the directory-role side is decided by InvitationsService.assertMayInvite, not by a fixed action.
   */
  'invitations.create': op(['User.Invite.All', 'User.ReadWrite.All', ...WRITE_DIR], ['User.Invite.All', 'User.ReadWrite.All', ...WRITE_DIR], 'self'),
  /** `POST /users/{id}/revokeSignInSessions`: who may act on which target is sensitive-actions.ts's `revokeSessions` */
  'users.revokeSessions': op(['User.RevokeSessions.All', 'User.ReadWrite.All', ...WRITE_DIR], ['User.RevokeSessions.All', 'User.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/users/invalidateAllRefreshTokens'),
  /** the policies of external collaboration (graph-reference §6, §9): any administrator reader role may read them */
  'policies.read': op(['Policy.Read.All', 'Policy.ReadWrite.Authorization', 'Policy.ReadWrite.AuthenticationMethod', ...READ_DIR], ['Policy.Read.All', 'Policy.ReadWrite.Authorization', 'Policy.ReadWrite.AuthenticationMethod'], 'microsoft.directory/policies/read'),
  /**
   * Changing them: Global Administrator (authorizationPolicy also Privileged Role Administrator).
   * Delegated Directory.ReadWrite.All is accepted beside Graph's Policy.* scopes (Tessera's choice:
   * the admin center's token carries it), always together with the directory role.
   */
  'policies.authorization.update': op(['Policy.ReadWrite.Authorization', ...WRITE_DIR], ['Policy.ReadWrite.Authorization'], 'microsoft.directory/authorizationPolicy/standard/update'),
  'policies.externalCollaboration.update': op(['Policy.ReadWrite.Authorization', ...WRITE_DIR], ['Policy.ReadWrite.Authorization'], 'microsoft.directory/externalCollaborationPolicy/update'),
  'policies.authenticationMethods.update': op(['Policy.ReadWrite.AuthenticationMethod', ...WRITE_DIR], ['Policy.ReadWrite.AuthenticationMethod'], 'microsoft.directory/authenticationMethodsPolicy/update'),
  /**
   * Applications and service principals (issue 16; graph-reference §8.3-§8.4). Writes accept
   * Directory.ReadWrite.All beside Application.ReadWrite.All (Tessera's choice, as for policies: the
   * admin center's token carries it), always together with the directory role. Member users read
   * registrations and enterprise apps by default, as in Entra.
   */
  'applications.read': op(['Application.Read.All', 'Application.ReadWrite.All', ...READ_DIR], ['Application.Read.All', 'Application.ReadWrite.All', ...READ_DIR], 'microsoft.directory/applications/read'),
  'applications.create': op(['Application.ReadWrite.All', ...WRITE_DIR], ['Application.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/applications/create'),
  'applications.update': op(['Application.ReadWrite.All', ...WRITE_DIR], ['Application.ReadWrite.All', ...WRITE_DIR], ['microsoft.directory/applications/allProperties/update', 'microsoft.directory/applications/credentials/update']),
  'applications.delete': op(['Application.ReadWrite.All', ...WRITE_DIR], ['Application.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/applications/delete'),
  'servicePrincipals.read': op(['Application.Read.All', 'Application.ReadWrite.All', ...READ_DIR], ['Application.Read.All', 'Application.ReadWrite.All', ...READ_DIR], 'microsoft.directory/servicePrincipals/read'),
  'servicePrincipals.create': op(['Application.ReadWrite.All', ...WRITE_DIR], ['Application.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/servicePrincipals/create'),
  'servicePrincipals.update': op(['Application.ReadWrite.All', ...WRITE_DIR], ['Application.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/servicePrincipals/allProperties/update'),
  'servicePrincipals.delete': op(['Application.ReadWrite.All', ...WRITE_DIR], ['Application.ReadWrite.All', ...WRITE_DIR], 'microsoft.directory/servicePrincipals/delete'),
  /** delegatedPermissionClassifications: Graph's Policy.ReadWrite.PermissionGrant; Application and Cloud Application Administrators (servicePrincipals/*) and Global Administrators */
  'permissionClassifications.update': op(['Policy.ReadWrite.PermissionGrant'], ['Policy.ReadWrite.PermissionGrant'], 'microsoft.directory/servicePrincipals/policies/update'),
  /**
   * Delegated permission grants and app role assignments (issue 16; graph-reference §8.1-§8.2). Writes
   * accept Directory.ReadWrite.All beside Graph's own permissions (Tessera's choice, as above).
   * Granting Microsoft Graph's application permissions additionally needs a Global Administrator or
   * Privileged Role Administrator (PermissionGrantsService, Entra's rule).
   */
  'permissionGrants.read': op(['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', ...READ_DIR], ['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', ...READ_DIR], 'microsoft.directory/oAuth2PermissionGrants/allProperties/read'),
  /** `/me/oauth2PermissionGrants`: one's own grants, with the same permissions but no directory role */
  'permissionGrants.readOwn': op(['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', ...READ_DIR], [], 'self'),
  'permissionGrants.update': op(['DelegatedPermissionGrant.ReadWrite.All', ...WRITE_DIR], ['DelegatedPermissionGrant.ReadWrite.All', ...WRITE_DIR], ['microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks', 'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-company-admin']),
  'appRoleAssignments.read': op(['Application.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', ...READ_DIR], ['Application.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', ...READ_DIR], 'microsoft.directory/servicePrincipals/appRoleAssignedTo/read'),
  'appRoleAssignments.update': op(['AppRoleAssignment.ReadWrite.All', ...WRITE_DIR], ['AppRoleAssignment.ReadWrite.All', ...WRITE_DIR], ['microsoft.directory/servicePrincipals/appRoleAssignedTo/update', 'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-company-admin']),
  /**
   * The admin consent request workflow (issue 16 item 6; graph-reference §7). The policy: read by
   * directory readers; changed with Policy.ReadWrite.ConsentRequest by Application, Cloud
   * Application and Global Administrators (appConsent/*), and only a Global Administrator may turn
   * it on (ConsentRequestsService). Requests: listed by the roles that read app consent requests;
   * `filterByCurrentUser(on='reviewer')` and decisions by any user the policy names as reviewer
   * (the service checks that, per request), so their directory action is 'self'; approving also
   * needs an administrator role that grants tenant-wide consent (consent-rules.ts adminConsentLevel).
   */
  'policies.consentRequest.read': op(['Policy.Read.All', 'Policy.ReadWrite.ConsentRequest'], ['Policy.Read.All', 'Policy.ReadWrite.ConsentRequest'], 'microsoft.directory/policies/read'),
  'policies.consentRequest.update': op(['Policy.ReadWrite.ConsentRequest'], ['Policy.ReadWrite.ConsentRequest'], 'microsoft.directory/appConsent/appConsentRequestPolicy/update'),
  'consentRequests.read': op(['ConsentRequest.Read.All', 'ConsentRequest.ReadWrite.All'], ['ConsentRequest.Read.All', 'ConsentRequest.ReadWrite.All'], 'microsoft.directory/appConsent/appConsentRequests/allProperties/read'),
  'consentRequests.readAssigned': op(['ConsentRequest.Read.All', 'ConsentRequest.ReadWrite.All'], [], 'self'),
  'consentRequests.decide': op(['ConsentRequest.ReadWrite.All'], [], 'self'),
  /**
   * Tenant-wide admin consent (`POST /beta/servicePrincipals/{id}/grantAdminConsent`, issue 16): the
   * permission side only. Which users may grant what is decided by the consent service from their
   * roles (modules/consent/consent-rules.ts: Global, Privileged Role, Cloud Application and
   * Application Administrators; Graph application permissions only the first two), and an app
   * needs DelegatedPermissionGrant.ReadWrite.All for scopes and AppRoleAssignment.ReadWrite.All for app roles.
   */
  /** the built-in permission grant policies (`GET /policies/permissionGrantPolicies`, read-only): any administrator reader role */
  'permissionGrantPolicies.read': op(['Policy.Read.PermissionGrant', 'Policy.ReadWrite.PermissionGrant', 'Policy.Read.All', ...READ_DIR], ['Policy.Read.PermissionGrant', 'Policy.ReadWrite.PermissionGrant', 'Policy.Read.All'], 'microsoft.directory/permissionGrantPolicies/standard/read'),
  'adminConsent.grant': op(['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All', ...WRITE_DIR], ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'], 'self'),
  /** reading one's own profile (`/me`): User.Read and nothing else */
  'me.read': op(['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', ...READ_DIR], [], 'self'),
} as const satisfies Record<string, OperationPolicy>;

export type Operation = keyof typeof operations;
