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
  /** reading one's own profile (`/me`): User.Read and nothing else */
  'me.read': op(['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', ...READ_DIR], [], 'self'),
} as const satisfies Record<string, OperationPolicy>;

export type Operation = keyof typeof operations;
