/**
 * Entra's built-in directory roles (their real role template ids, so scripts that look roles up by
 * template id work unchanged) and the directory actions each allows, written as Entra writes them
 * (`microsoft.directory/users/create`). A trailing `*` grants everything below it.
 */
export interface RoleTemplate {
  id: string;
  displayName: string;
  description: string;
  actions: readonly string[];
  /**
   * Entra's PRIVILEGED label (Microsoft Learn, "Microsoft Entra built-in roles"): roles that can
   * lead to elevation of privilege. An app without a privileged role of its own never makes a
   * sensitive change to a user who holds one (see sensitive-actions.ts).
   */
  privileged: boolean;
}

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
export const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const PASSWORD_ADMINISTRATOR = '966707d0-3269-4727-9be2-8c3a10f19b9d';
export const GROUPS_ADMINISTRATOR = 'fdd7a751-b60b-444a-984c-02652fe8fa1c';
export const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b';
export const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
export const EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR = 'be2f45a1-457d-42af-a067-6ec1fa63bc45';

export const roleTemplates: readonly RoleTemplate[] = [
  {
    id: GLOBAL_ADMINISTRATOR,
    displayName: 'Global Administrator',
    description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
    actions: ['microsoft.directory/*'],
    privileged: true,
  },
  {
    id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
    displayName: 'Global Reader',
    description: 'Can read everything that a Global Administrator can, but not update anything.',
    actions: ['microsoft.directory/*/read'],
    privileged: true,
  },
  {
    id: PRIVILEGED_ROLE_ADMINISTRATOR,
    displayName: 'Privileged Role Administrator',
    description: 'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
    // authorizationPolicy: Graph names this role as the least privileged one that may update it
    actions: ['microsoft.directory/directoryRoles/*', 'microsoft.directory/authorizationPolicy/standard/update', 'microsoft.directory/*/read'],
    privileged: true,
  },
  {
    // Passwords and sensitive properties of every user, Global Administrators included; it is not
    // itself a Global Administrator (no role, group or policy management).
    id: PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    displayName: 'Privileged Authentication Administrator',
    description: 'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
    actions: [
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/delete',
      'microsoft.directory/users/disable',
      'microsoft.directory/users/enable',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/invitations/resetRedemption',
      'microsoft.directory/users/manager/update',
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/restore',
      'microsoft.directory/users/userPrincipalName/update',
    ],
    privileged: true,
  },
  {
    id: USER_ADMINISTRATOR,
    displayName: 'User Administrator',
    description: 'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
    actions: ['microsoft.directory/users/*', 'microsoft.directory/groups/*', 'microsoft.directory/invitations/*', 'microsoft.directory/*/read'],
    privileged: true,
  },
  {
    id: GROUPS_ADMINISTRATOR,
    displayName: 'Groups Administrator',
    description: 'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies.',
    actions: ['microsoft.directory/groups/*', 'microsoft.directory/*/read'],
    privileged: false,
  },
  {
    id: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
    displayName: 'License Administrator',
    description: 'Can manage product licenses on users and groups.',
    actions: ['microsoft.directory/users/assignLicense', 'microsoft.directory/users/usageLocation/update', 'microsoft.directory/groups/assignLicense', 'microsoft.directory/subscribedSkus/read', 'microsoft.directory/*/read'],
    privileged: false,
  },
  {
    id: GUEST_INVITER,
    displayName: 'Guest Inviter',
    description: 'Can invite guest users independent of the members can invite guests setting.',
    actions: ['microsoft.directory/invitations/create', 'microsoft.directory/users/read'],
    privileged: false,
  },
  {
    // B2B (issue 15): the organization's identity providers (/beta/identity/identityProviders, whose
    // access table in modules/federation names this role); Entra's actions, and its PRIVILEGED label.
    id: EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR,
    displayName: 'External Identity Provider Administrator',
    description: 'Can configure identity providers for use in direct federation.',
    actions: ['microsoft.directory/domains/federation/update', 'microsoft.directory/identityProviders/allProperties/allTasks'],
    privileged: true,
  },
  {
    id: '158c047a-c907-4556-b7ef-446551a6b5f7',
    displayName: 'Cloud Application Administrator',
    description: 'Can create and manage all aspects of app registrations and enterprise apps except App Proxy.',
    actions: ['microsoft.directory/applications/*', 'microsoft.directory/servicePrincipals/*', 'microsoft.directory/oAuth2PermissionGrants/*', 'microsoft.directory/appConsent/*', 'microsoft.directory/*/read'],
    privileged: true,
  },
  {
    id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    displayName: 'Application Administrator',
    description: 'Can create and manage all aspects of app registrations and enterprise apps.',
    // servicePrincipals/* includes Entra's managePermissionGrantsForAll.microsoft-application-admin (admin consent
    // except app roles of Microsoft Graph); Global Administrator's microsoft.directory/* its ...microsoft-company-admin
    actions: ['microsoft.directory/applications/*', 'microsoft.directory/servicePrincipals/*', 'microsoft.directory/oAuth2PermissionGrants/*', 'microsoft.directory/appConsent/*', 'microsoft.directory/*/read'],
    privileged: true,
  },
  {
    id: HELPDESK_ADMINISTRATOR,
    displayName: 'Helpdesk Administrator',
    description: 'Can reset passwords for non-administrators and Helpdesk Administrators.',
    actions: ['microsoft.directory/users/password/update', 'microsoft.directory/users/invalidateAllRefreshTokens', 'microsoft.directory/invitations/resetRedemption', 'microsoft.directory/*/read'],
    privileged: true,
  },
  {
    id: PASSWORD_ADMINISTRATOR,
    displayName: 'Password Administrator',
    description: 'Can reset passwords for non-administrators and Password Administrators.',
    actions: ['microsoft.directory/users/password/update'],
    privileged: true,
  },
  {
    id: '9360feb5-f418-4baa-8175-e2a00bac4301',
    displayName: 'Directory Writers',
    description: 'Can read and write basic directory information. For granting access to applications, not intended for users.',
    // As in Entra: enable, disable and rename users (of non-administrators only, sensitive-actions.ts),
    // but no password resets and no deletes.
    actions: [
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/disable',
      'microsoft.directory/users/enable',
      'microsoft.directory/users/userPrincipalName/update',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/groups/*',
      'microsoft.directory/*/read',
    ],
    privileged: true,
  },
  {
    id: DIRECTORY_READERS,
    displayName: 'Directory Readers',
    description: 'Can read basic directory information. Commonly used to grant directory read access to applications and guests.',
    actions: ['microsoft.directory/*/read'],
    privileged: false,
  },
];

/**
 * The implicit role of every member user, and of guests (Entra's "Guest User" default access).
 * Members also read app registrations and enterprise apps, as Entra's default user permissions allow.
 */
export const MEMBER_DEFAULT_ACTIONS = [
  'microsoft.directory/users/read',
  'microsoft.directory/groups/read',
  'microsoft.directory/organization/read',
  'microsoft.directory/directoryRoles/read',
  'microsoft.directory/applications/read',
  'microsoft.directory/servicePrincipals/read',
] as const;
export const GUEST_DEFAULT_ACTIONS = [] as const;

export function roleTemplate(id: string): RoleTemplate | undefined {
  return roleTemplates.find((role) => role.id === id);
}

/** Whether an action (`microsoft.directory/users/create`) is covered by a granted pattern. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === action) return true;
  const parts = pattern.split('/');
  const wanted = action.split('/');
  // `microsoft.directory/*/read` matches any read; `microsoft.directory/users/*` matches anything on users.
  if (parts[parts.length - 1] === 'read' && parts.includes('*')) return wanted[wanted.length - 1] === 'read' && wanted[0] === parts[0];
  if (parts[parts.length - 1] === '*') {
    const prefix = parts.slice(0, -1).join('/');
    return action.startsWith(`${prefix}/`);
  }
  return false;
}
