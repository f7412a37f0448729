/**
 * First-party applications: the same appId in every tenant (as Microsoft's own apps are), each
 * provisioned with the tenant and pre-consented for what it needs.
 */
export const ADMIN_CENTER_APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
export const MY_ACCOUNT_APP_ID = '8c59ead7-d703-4a27-9e55-c96a0054c8a2';
/**
 * Home sign-in for B2B guests (modules/federation): the server signs a guest in at their home
 * tenant (or the personal-accounts tenant) as this confidential client, redirect
 * `{base}/federation/callback`, and reads who they are from the ID token.
 */
export const FEDERATION_APP_ID = '5e0a3c1d-8f2b-4d6e-9a17-3b4c5d6e7f80';

/**
 * What the admin center's tenant-wide grant on Microsoft Graph holds. Beside the directory itself,
 * its Enterprise applications, App registrations, Consent and permissions and Admin consent requests
 * pages call the application, grant, policy and consent request APIs, whose Graph permissions
 * Directory.ReadWrite.All does not include. Tenants created before these were added get them from
 * the migration 2026_12_04_130000_admin_center_consent_scopes. The signed-in administrator's roles
 * still decide what each call may do.
 */
export const ADMIN_CENTER_SCOPES = [
  'User.Read',
  'Directory.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory',
  'Organization.ReadWrite.All',
  'Application.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'Policy.ReadWrite.PermissionGrant',
  'Policy.ReadWrite.ConsentRequest',
  'ConsentRequest.ReadWrite.All',
  'offline_access',
  'openid',
  'profile',
].join(' ');
export const MY_ACCOUNT_SCOPES = 'User.Read openid profile offline_access';
export const FEDERATION_SCOPES = 'openid profile email';

/** The redirect URIs of the first-party apps, always relative to the server's current base URL. */
export function firstPartyRedirectUris(appId: string, baseUrl: string): string[] | null {
  if (appId === ADMIN_CENTER_APP_ID) return [`${baseUrl}/admin/`];
  if (appId === MY_ACCOUNT_APP_ID) return [`${baseUrl}/myaccount/callback`];
  if (appId === FEDERATION_APP_ID) return [`${baseUrl}/federation/callback`];
  return null;
}

/** Where the first-party apps may send the browser after sign-out (RP-initiated logout). */
export function firstPartyPostLogoutRedirectUris(appId: string, baseUrl: string): string[] {
  if (appId === ADMIN_CENTER_APP_ID) return [`${baseUrl}/admin/`];
  if (appId === MY_ACCOUNT_APP_ID) return [`${baseUrl}/myaccount/signed-out`];
  return [];
}
