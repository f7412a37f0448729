/**
 * Policy as data (issue 13, DESIGN §10): which changes to a user are sensitive, what a caller needs
 * to make each one, and on which users. `operations.ts` only says whether a caller may call
 * `PATCH`/`DELETE /users/{id}` at all; this file decides per change and per target.
 *
 * Source: Microsoft Learn, "Privileged roles and permissions in Microsoft Entra ID", sections
 * "Who can reset passwords" and "Who can perform sensitive actions". Targets are classified by the
 * directory roles THEY hold: a caller's role reaches a target when every role the target holds is
 * in that role's reach (a user with no role at all is reached by every role that has the action).
 *
 * Choices where Entra and this table differ or Learn is silent:
 * - Only sensitive changes are refused. Learn: a User Administrator may "update most user
 *   properties for all users, including all administrators" but "sensitive properties ... for some
 *   users", so a User Administrator may change a Global Administrator's jobTitle, not their password,
 *   accountEnabled, userPrincipalName or authentication contact properties.
 * - Entra's sensitive properties are kept, including the ones self-service password reset relies on
 *   (businessPhones, mobilePhone, otherMails); issue 13 adds userType (turning a member into a guest
 *   or back changes what they may do) and sign-in identities (not writable yet; listed for when they are).
 * - Directory Writers (and every role outside the reach tables) make sensitive changes to users
 *   with no directory role only, and only those their actions allow: as in Entra they may enable,
 *   disable and rename users and change userType, never reset a password (no
 *   `users/password/update`) and never delete (no `users/delete`).
 * - License Administrator is not among the limited roles a User Administrator reaches: Learn's
 *   tables list it nowhere, so it falls under "all other built-in and custom roles" (only Privileged
 *   Authentication Administrators and Global Administrators).
 * - Apps: Graph's `User-PasswordProfile.ReadWrite.All` is the only application permission that
 *   sets passwords (User.ReadWrite.All and Directory.ReadWrite.All do not, nor does
 *   Directory.ReadWrite.All delete users: "Does not allow user or group deletion"). An app never
 *   reaches a user who holds a privileged role (roles.catalog.ts) unless its service principal
 *   holds a role whose reach covers that user: Global Administrator or Privileged Authentication
 *   Administrator reach anyone, a User Administrator service principal what a User Administrator reaches.
 */
import {
  DIRECTORY_READERS,
  GLOBAL_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  GUEST_INVITER,
  HELPDESK_ADMINISTRATOR,
  PASSWORD_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from './roles.catalog.ts';

/** One kind of change to a user; a PATCH body may make several. */
export type UserChange =
  | 'basic'
  | 'password'
  | 'enable'
  | 'disable'
  | 'userPrincipalName'
  | 'userType'
  | 'identities'
  | 'authenticationContact'
  | 'delete'
  /** `POST /users/{id}/revokeSignInSessions` (issue 15): like a password reset, by the password table */
  | 'revokeSessions'
  /** `POST /invitations` with resetRedemption (graph-reference §1.3): Helpdesk, User, Privileged Authentication and Global Administrators */
  | 'resetRedemption';

/** Which of Learn's two tables says who may make a change on whom; `null`: any user (not sensitive). */
export type ReachTable = 'passwordReset' | 'sensitiveAction';

export interface UserChangePolicy {
  /** delegated scopes, any one of which permits the change */
  delegated: readonly string[];
  /** application permissions (app roles), any one of which permits the change */
  application: readonly string[];
  /** the directory action the signed-in user's roles must allow (Entra's names) */
  action: string;
  targets: ReachTable | null;
  /**
   * Apps: whether the change may reach a target who holds a non-privileged directory role. Graph
   * §1.3: "App-only calls cannot reset a target that holds directory roles" (resetRedemption), so
   * there any role held keeps an app out unless its own roles reach the target.
   */
  appsReachRoleHolders?: boolean;
}

const WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'];
const APP_WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];

const policy = (action: string, targets: ReachTable | null, application: readonly string[] = APP_WRITE_USERS, delegated: readonly string[] = WRITE_USERS): UserChangePolicy => ({
  delegated,
  application,
  action: `microsoft.directory/users/${action}`,
  targets,
});

export const userChangePolicies: Readonly<Record<UserChange, UserChangePolicy>> = {
  basic: policy('basic/update', null),
  // Any passwordProfile property, a new password or only the "change at next sign-in" flag: Learn's "Update password profile".
  password: policy('password/update', 'passwordReset', ['User-PasswordProfile.ReadWrite.All'], [...WRITE_USERS, 'User-PasswordProfile.ReadWrite.All']),
  enable: policy('enable', 'sensitiveAction'),
  disable: policy('disable', 'sensitiveAction'),
  userPrincipalName: policy('userPrincipalName/update', 'sensitiveAction'),
  // Entra has no separate action for these; they are basic properties that only reach non-admins (above).
  userType: policy('basic/update', 'sensitiveAction'),
  identities: policy('basic/update', 'sensitiveAction'),
  authenticationContact: policy('basic/update', 'sensitiveAction'),
  delete: policy('delete', 'sensitiveAction', ['User.ReadWrite.All']),
  revokeSessions: policy('invalidateAllRefreshTokens', 'passwordReset', ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], [...WRITE_USERS, 'User.RevokeSessions.All']),
  resetRedemption: {
    ...policy('resetRedemption', 'passwordReset', ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], [...WRITE_USERS, 'User.Invite.All']),
    action: 'microsoft.directory/invitations/resetRedemption',
    appsReachRoleHolders: false,
  },
};

/** The sensitive properties of a user body and the change each one makes; every other property is `basic`. */
export const sensitiveUserProperties: Readonly<Record<string, UserChange | ((value: unknown) => UserChange)>> = {
  passwordProfile: 'password',
  accountEnabled: (value) => (value === false ? 'disable' : 'enable'),
  userPrincipalName: 'userPrincipalName',
  userType: 'userType',
  identities: 'identities',
  businessPhones: 'authenticationContact',
  mobilePhone: 'authenticationContact',
  otherMails: 'authenticationContact',
};

/** The changes a PATCH body makes (the keys it sets, sensitive or `basic`). */
export function userChangesOf(body: Readonly<Record<string, unknown>>): Set<UserChange> {
  const changes = new Set<UserChange>();
  for (const [property, value] of Object.entries(body)) {
    if (value === undefined || property.startsWith('@odata.')) continue;
    const rule = Object.hasOwn(sensitiveUserProperties, property) ? sensitiveUserProperties[property] : undefined;
    changes.add(rule === undefined ? 'basic' : typeof rule === 'function' ? rule(value) : rule);
  }
  return changes;
}

/** The roles of the target a caller's role may act on: `anyone`, or these roles only (and no role at all). */
export type Reach = 'anyone' | readonly string[];

/** User Administrator's "limited admin roles" of both Learn tables, limited to the roles Tessera has. */
const USER_ADMINISTRATOR_REACH = [DIRECTORY_READERS, GROUPS_ADMINISTRATOR, GUEST_INVITER, HELPDESK_ADMINISTRATOR, PASSWORD_ADMINISTRATOR, USER_ADMINISTRATOR];

/**
 * Learn's tables, one column per caller role (limited to the roles Tessera has; Message Center
 * Reader, Reports Reader and the like would join the lists when added). A role not listed in a
 * table reaches users without any directory role only.
 */
export const targetReach: Readonly<Record<ReachTable, Readonly<Record<string, Reach>>>> = {
  passwordReset: {
    [PASSWORD_ADMINISTRATOR]: [DIRECTORY_READERS, GUEST_INVITER, PASSWORD_ADMINISTRATOR],
    [HELPDESK_ADMINISTRATOR]: [DIRECTORY_READERS, GUEST_INVITER, HELPDESK_ADMINISTRATOR, PASSWORD_ADMINISTRATOR],
    [USER_ADMINISTRATOR]: USER_ADMINISTRATOR_REACH,
    [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR]: 'anyone',
    [GLOBAL_ADMINISTRATOR]: 'anyone',
  },
  sensitiveAction: {
    [USER_ADMINISTRATOR]: USER_ADMINISTRATOR_REACH,
    [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR]: 'anyone',
    [GLOBAL_ADMINISTRATOR]: 'anyone',
  },
};

/** Whether any of `callerRoles` reaches a user who holds `targetRoles`, by `table`. */
export function rolesReach(table: ReachTable, callerRoles: Iterable<string>, targetRoles: ReadonlySet<string>): boolean {
  if (targetRoles.size === 0) return true;
  for (const role of callerRoles) {
    const reach = targetReach[table][role];
    if (reach === 'anyone') return true;
    if (reach && [...targetRoles].every((held) => reach.includes(held))) return true;
  }
  return false;
}
