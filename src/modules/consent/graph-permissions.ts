/**
 * The Microsoft Graph permissions Tessera knows, with Microsoft's own ids, so apps written for
 * Entra (and their requiredResourceAccess) work unchanged. Each is a delegated scope
 * (`type` User: users may consent; Admin: needs an administrator) and, where Graph has one, an
 * application role for app-only tokens.
 */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_DISPLAY_NAME = 'Microsoft Graph';
export const GRAPH_ALIAS = 'https://graph.microsoft.com';

export interface GraphPermission {
  value: string;
  /** delegated scope id, when the permission exists as a scope */
  scopeId: string | null;
  type: 'User' | 'Admin';
  /** application role id, when the permission exists for app-only use */
  roleId: string | null;
  /** the administrator-facing name (Graph's adminConsentDisplayName, also the app role's displayName) */
  description: string;
  /** what the consent prompt shows a user (Graph's userConsentDisplayName / userConsentDescription) */
  userConsentDisplayName: string;
  userConsentDescription: string;
  adminConsentDescription: string;
}

interface Texts {
  /** Graph's adminConsentDescription */
  admin?: string;
  /** Graph's userConsentDisplayName */
  userName?: string;
  /** Graph's userConsentDescription */
  user?: string;
}

/**
 * Graph's own wording where a user may see it; for the rest the prompt text follows Graph's pattern
 * ("Allows the app to <name> on behalf of the signed-in user").
 */
const p = (value: string, scopeId: string | null, type: 'User' | 'Admin', roleId: string | null, description: string, texts: Texts = {}): GraphPermission => {
  const sentence = description.charAt(0).toLowerCase() + description.slice(1);
  const admin = texts.admin ?? `Allows the app to ${sentence} on behalf of the signed-in user.`;
  return { value, scopeId, type, roleId, description, adminConsentDescription: admin, userConsentDisplayName: texts.userName ?? description, userConsentDescription: texts.user ?? admin };
};

export const graphPermissions: readonly GraphPermission[] = [
  p('openid', '37f7f235-527c-4136-accd-4a02d197296e', 'User', null, 'Sign users in', {
    admin: 'Allows users to sign in to the app with their work or school accounts and allows the app to see basic user profile information.',
    userName: 'Sign in as you',
    user: 'Allows you to sign in to the app with your work or school account and allows the app to read your basic profile information.',
  }),
  p('profile', '14dad69e-099b-42c9-810b-d002981feec1', 'User', null, "View users' basic profile", {
    admin: "Allows the app to see your users' basic profile (e.g., name, picture, user name, email address).",
    userName: 'View your basic profile',
    user: 'Allows the app to see your basic profile (e.g., name, picture, user name, email address).',
  }),
  p('email', '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', 'User', null, "View users' email address", {
    admin: "Allows the app to read your users' primary email address.",
    userName: 'View your email address',
    user: 'Allows the app to read your primary email address.',
  }),
  p('offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', 'User', null, 'Maintain access to data you have given it access to', {
    admin: 'Allows the app to see and update the data you gave it access to, even when users are not currently using the app. This does not give the app any additional permissions.',
    user: 'Allows the app to see and update the data you gave it access to, even when you are not currently using the app. This does not give the app any additional permissions.',
  }),
  p('User.Read', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'User', null, 'Sign in and read user profile', {
    admin: 'Allows users to sign-in to the app, and allows the app to read the profile of signed-in users. It also allows the app to read basic company information of signed-in users.',
    userName: 'Sign you in and read your profile',
    user: 'Allows you to sign in to the app with your organizational account and let the app read your profile. It also allows the app to read basic company information.',
  }),
  p('User.ReadWrite', 'b4e74841-8e56-480b-be8b-910348b18b4c', 'User', null, 'Read and write access to user profile', {
    admin: "Allows the app to read the signed-in user's full profile. It also allows the app to update the signed-in user's profile information on their behalf.",
    userName: 'Read and update your profile',
    user: 'Allows the app to read your profile, and discover your group membership, reports and manager. It also allows the app to update your profile information on your behalf.',
  }),
  p('User.ReadBasic.All', 'b340eb25-3456-403f-be2f-af7a0d370277', 'User', '97235f07-e226-4f63-ace3-39588e11d3a1', "Read all users' basic profiles", {
    admin: 'Allows the app to read a basic set of profile properties of other users in your organization on behalf of the signed-in user. This includes display name, first and last name, email address and photo.',
    user: 'Allows the app to read a basic set of profile properties of other users in your organization on your behalf. Includes display name, first and last name, email address and photo.',
  }),
  p('User.Read.All', 'a154be20-db9c-4678-8ab7-66f6cc099a59', 'Admin', 'df021288-bdef-4463-88db-98f22de89214', "Read all users' full profiles"),
  p('User.ReadWrite.All', '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4', 'Admin', '741f803b-c850-494e-b5df-cde7c675a1ca', "Read and write all users' full profiles"),
  // The least privileged permission that sets other users' passwords (User.ReadWrite.All does not, for apps); ids as in Graph.
  p('User-PasswordProfile.ReadWrite.All', '56760768-b641-451f-8906-e1b8ab31bca7', 'Admin', 'cc117bb9-00cf-4eb8-b580-ea2a878fe8f7', 'Read and write all password profiles and reset user passwords'),
  p('User.Invite.All', '63dd7cd9-b489-4adf-a28c-ac38b9a0f962', 'Admin', '09850681-111b-4a89-9bed-3f2cae46d706', 'Invite guest users to the organization'),
  p('GroupMember.Read.All', 'bc024368-1153-4739-b217-4326f2e966d0', 'Admin', '98830695-27a2-44f7-8c18-0c3ebc9698f6', 'Read group memberships'),
  p('GroupMember.ReadWrite.All', 'f81125ac-d3b7-4573-a3b2-7099cc39df9e', 'Admin', 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695', 'Read and write group memberships'),
  p('Group.Read.All', '5f8c59db-677d-491f-a6b8-5f174b11ec1d', 'Admin', '5b567255-7703-4780-807c-7be8301ae99b', 'Read all groups'),
  p('Group.ReadWrite.All', '4e46008b-f24c-477d-8fff-7bb4ec7aafe0', 'Admin', '62a82d76-70ea-41e2-9197-370581804d09', 'Read and write all groups'),
  p('Directory.Read.All', '06da0dbc-49e2-44d2-8312-53f166ab848a', 'Admin', '7ab1d382-f21e-4acd-a863-ba3e13f7da61', 'Read directory data'),
  p('Directory.ReadWrite.All', 'c5366453-9fb0-48a5-a156-24f0c49a4b84', 'Admin', '19dbc75e-c2e2-444c-a770-ec69d8559fc7', 'Read and write directory data'),
  p('IdentityProvider.Read.All', '43781733-b5a7-4d1b-98f4-e8edff23e1a9', 'Admin', 'e321f0bb-e7f7-481e-bb28-e3b0b32d4bd0', 'Read identity providers'),
  p('IdentityProvider.ReadWrite.All', 'f13ce604-1677-429f-90bd-8a10b9f01325', 'Admin', '90db2b9a-d928-4d33-a4dd-8442ae3d41e4', 'Read and write identity providers'),
  p('Application.ReadWrite.All', 'bdfbf15f-ee85-4955-8675-146e8e5296b5', 'Admin', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', 'Read and write all applications'),
  p('DelegatedPermissionGrant.ReadWrite.All', '41ce6ca6-6826-4807-84f1-1c82854f7ee5', 'Admin', '8e8e4742-1d95-4f68-9d56-6ee75648c72a', 'Manage all delegated permission grants'),
  p('Policy.ReadWrite.Authorization', 'edd3c878-b384-41fd-95ad-e7407dd775be', 'Admin', 'fb221be6-99f2-473f-bd32-01c6a0e9ca3b', 'Read and write your organization\'s authorization policy'),
  // B2B collaboration (issue 15): the policies, revokeSignInSessions and bulk invites' app assignments; ids as in Graph.
  p('Policy.Read.All', '572fea84-0151-49b2-9301-11cb16974376', 'Admin', '246dd0d5-5bd0-4def-940b-0421030a5b68', "Read your organization's policies"),
  p('Policy.ReadWrite.AuthenticationMethod', '7e823077-d88e-468f-a337-e18f1f0e6c7c', 'Admin', '29c18626-4985-4dcd-85c0-193eef327366', 'Read and write all authentication method policies'),
  p('User.RevokeSessions.All', 'fc30e98b-8810-4501-81f5-c20a3196387b', 'Admin', '77f3a031-c388-4f99-b373-dc68676a979e', 'Revoke all sign in sessions for a user'),
  p('AppRoleAssignment.ReadWrite.All', '84bccea3-f856-4a8a-967b-dbe0a3d53a64', 'Admin', '06b708a9-e830-4db3-a914-8e69da51d44f', 'Manage app permission grants and app role assignments'),
  p('LicenseAssignment.ReadWrite.All', 'f55016cc-149c-447e-8f21-7cf3ec1d6350', 'Admin', '5facf0c1-8979-4e95-abcf-ff3d079771c0', 'Manage all license assignments'),
  p('Organization.Read.All', '4908d5b9-3fb2-4b1e-9336-1888b7937185', 'Admin', '498476ce-e0fe-48b0-b801-37ba7e2685c6', 'Read organization information'),
  p('Organization.ReadWrite.All', '46ca0847-7e6b-426e-9775-ea810a948356', 'Admin', '292d869f-3427-49a8-9dab-8c70152b74e9', 'Read and write organization information'),
  p('RoleManagement.Read.Directory', '741c54c3-0c1e-44a1-818b-3f97ab4e8c83', 'Admin', '483bed4a-2ad3-4361-a73b-c83ccdbdc53c', 'Read your company\'s directory role settings'),
  p('RoleManagement.ReadWrite.Directory', 'd01b97e9-cbc0-49fe-810a-750afd5527a3', 'Admin', '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', 'Read and write directory RBAC settings'),
  // Consent (issue 16): applications, grants, consent policies and admin consent requests; ids as in Graph.
  p('Application.Read.All', 'c79f8feb-a9db-4090-85f9-90d820caa0eb', 'Admin', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', 'Read applications'),
  p('DelegatedPermissionGrant.Read.All', 'a197cdc4-a8e8-4d49-9d35-4ca7c83887b4', 'Admin', '81b4724a-58aa-41c1-8a55-84ef97466587', 'Read delegated permission grants'),
  p('Policy.ReadWrite.ConsentRequest', '4d135e65-66b8-41a8-9f8b-081452c91774', 'Admin', '999f8c63-0a38-4f1b-91fd-ed1947bdd1a9', 'Read and write consent request policy'),
  p('Policy.ReadWrite.PermissionGrant', '2672f8bb-fd5e-42e0-85e1-ec764dd2614e', 'Admin', 'a402ca1c-2696-4531-972d-6e5ee4aa11ea', 'Manage consent and permission grant policies'),
  p('ConsentRequest.Read.All', 'f3bfad56-966e-4590-a536-82ecf548ac1e', 'Admin', '1260ad83-98fb-4785-abbb-d6cc1806fd41', 'Read consent requests'),
  p('ConsentRequest.ReadWrite.All', '497d9dfa-3bd1-481a-baab-90895e54568c', 'Admin', '9f1b81a7-0223-4428-bfa4-0bcb5535f27d', 'Read and write consent requests'),
];

/** The scopes of OpenID Connect itself: they ask for sign-in, not for access to an API. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

export function graphPermission(value: string): GraphPermission | undefined {
  const lower = value.toLowerCase();
  return graphPermissions.find((permission) => permission.value.toLowerCase() === lower);
}

/** Graph's servicePrincipal shapes of the catalog. */
export function graphPermissionScopes(): PermissionScope[] {
  return graphPermissions
    .filter((permission) => permission.scopeId)
    .map((permission) => ({
      id: permission.scopeId!,
      value: permission.value,
      type: permission.type,
      isEnabled: true,
      adminConsentDisplayName: permission.description,
      adminConsentDescription: permission.adminConsentDescription,
      userConsentDisplayName: permission.userConsentDisplayName,
      userConsentDescription: permission.userConsentDescription,
    }));
}

export function graphAppRoles(): AppRole[] {
  return graphPermissions
    .filter((permission) => permission.roleId)
    .map((permission) => ({
      id: permission.roleId!,
      value: permission.value,
      allowedMemberTypes: ['Application'],
      displayName: permission.description,
      description: permission.description,
      isEnabled: true,
      origin: 'Application',
    }));
}

export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
  isEnabled: boolean;
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string | null;
  userConsentDescription: string | null;
}

export interface AppRole {
  id: string;
  value: string;
  allowedMemberTypes: ('User' | 'Application')[];
  displayName: string;
  description: string;
  isEnabled: boolean;
  origin: string;
}
