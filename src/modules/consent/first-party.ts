/**
 * First-party applications: the same appId in every tenant (as Microsoft's own apps are), each
 * provisioned with the tenant and pre-consented for what it needs.
 */
export const ADMIN_CENTER_APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
export const MY_ACCOUNT_APP_ID = '8c59ead7-d703-4a27-9e55-c96a0054c8a2';

export const ADMIN_CENTER_SCOPES = 'User.Read Directory.ReadWrite.All RoleManagement.ReadWrite.Directory Organization.ReadWrite.All offline_access openid profile';
export const MY_ACCOUNT_SCOPES = 'User.Read openid profile offline_access';

/** The redirect URIs of the first-party apps, always relative to the server's current base URL. */
export function firstPartyRedirectUris(appId: string, baseUrl: string): string[] | null {
  if (appId === ADMIN_CENTER_APP_ID) return [`${baseUrl}/admin/`];
  if (appId === MY_ACCOUNT_APP_ID) return [`${baseUrl}/myaccount/callback`];
  return null;
}

/** Where the first-party apps may send the browser after sign-out (RP-initiated logout). */
export function firstPartyPostLogoutRedirectUris(appId: string, baseUrl: string): string[] {
  if (appId === ADMIN_CENTER_APP_ID) return [`${baseUrl}/admin/`];
  if (appId === MY_ACCOUNT_APP_ID) return [`${baseUrl}/myaccount/signed-out`];
  return [];
}
