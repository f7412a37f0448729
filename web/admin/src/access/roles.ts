/** Entra's Global Administrator role template id. */
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/**
 * What each Entra built-in directory role lets its holder do, written as Entra's directory actions
 * (`microsoft.directory/users/create`; a trailing `*` covers everything below it). The admin center
 * uses this only to hide or disable controls; the API decides, and its 403s are shown as such.
 */
const ROLE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  [GLOBAL_ADMINISTRATOR]: ['microsoft.directory/*'],
  // Global Reader
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': ['microsoft.directory/*/read'],
  // Privileged Role Administrator
  'e8611ab8-c189-46e8-94e1-60213ab1f814': ['microsoft.directory/directoryRoles/*', 'microsoft.directory/*/read'],
  // User Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1': ['microsoft.directory/users/*', 'microsoft.directory/groups/*', 'microsoft.directory/invitations/*', 'microsoft.directory/*/read'],
  // Groups Administrator
  'fdd7a751-b60b-444a-984c-02652fe8fa1c': ['microsoft.directory/groups/*', 'microsoft.directory/*/read'],
  // License Administrator
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': [
    'microsoft.directory/users/assignLicense',
    'microsoft.directory/users/usageLocation/update',
    'microsoft.directory/groups/assignLicense',
    'microsoft.directory/*/read',
  ],
  // Guest Inviter
  '95e79109-95c0-4d8e-aee3-d01accf2d47b': ['microsoft.directory/invitations/create', 'microsoft.directory/users/read'],
  // Cloud Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7': ['microsoft.directory/applications/*', 'microsoft.directory/servicePrincipals/*', 'microsoft.directory/*/read'],
  // Application Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': ['microsoft.directory/applications/*', 'microsoft.directory/servicePrincipals/*', 'microsoft.directory/*/read'],
  // Helpdesk Administrator
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': ['microsoft.directory/users/password/update', 'microsoft.directory/users/invalidateAllRefreshTokens', 'microsoft.directory/*/read'],
  // Privileged Authentication Administrator
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': [
    'microsoft.directory/users/basic/update',
    'microsoft.directory/users/delete',
    'microsoft.directory/users/disable',
    'microsoft.directory/users/enable',
    'microsoft.directory/users/invalidateAllRefreshTokens',
    'microsoft.directory/users/password/update',
    'microsoft.directory/users/userPrincipalName/update',
  ],
  // Password Administrator
  '966707d0-3269-4727-9be2-8c3a10f19b9d': ['microsoft.directory/users/password/update'],
  // Directory Writers
  '9360feb5-f418-4baa-8175-e2a00bac4301': [
    'microsoft.directory/users/basic/update',
    'microsoft.directory/users/disable',
    'microsoft.directory/users/enable',
    'microsoft.directory/users/userPrincipalName/update',
    'microsoft.directory/users/invalidateAllRefreshTokens',
    'microsoft.directory/groups/*',
    'microsoft.directory/*/read',
  ],
  // Directory Readers
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': ['microsoft.directory/*/read'],
};

/** Entra's default user permissions: members may read the directory basics, guests may not. */
const MEMBER_DEFAULT_ACTIONS = [
  'microsoft.directory/users/read',
  'microsoft.directory/groups/read',
  'microsoft.directory/organization/read',
  'microsoft.directory/directoryRoles/read',
];

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
} as const;

export type Action = (typeof Actions)[keyof typeof Actions];

/** Whether any of the roles is one this admin center knows, i.e. whether the user may use it at all. */
export function holdsAdminRole(roleTemplateIds: Iterable<string>): boolean {
  for (const id of roleTemplateIds) if (id in ROLE_ACTIONS) return true;
  return false;
}

export function grantedActions(userType: string | null | undefined, roleTemplateIds: Iterable<string>): string[] {
  const granted = userType === 'Guest' ? [] : [...MEMBER_DEFAULT_ACTIONS];
  for (const id of roleTemplateIds) granted.push(...(ROLE_ACTIONS[id] ?? []));
  return granted;
}

export function allows(granted: readonly string[], action: string): boolean {
  return granted.some((pattern) => patternMatches(pattern, action));
}

function patternMatches(pattern: string, action: string): boolean {
  if (pattern === action) return true;
  const parts = pattern.split('/');
  // `microsoft.directory/*/read` covers every read; `microsoft.directory/users/*` covers anything on users.
  if (parts.at(-1) === 'read' && parts.includes('*')) return action.endsWith('/read') && action.startsWith(`${parts[0]}/`);
  if (parts.at(-1) === '*') return action.startsWith(`${parts.slice(0, -1).join('/')}/`);
  return false;
}
