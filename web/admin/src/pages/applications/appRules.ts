import type {
  AppRole,
  AppRoleAssignment,
  Application,
  OAuth2PermissionGrant,
  PermissionScope,
  Platform,
  RequiredResourceAccess,
  ServicePrincipal,
  SignInAudience,
} from '../../graph/applicationTypes.ts';

/**
 * The rules and wording of App registrations and Enterprise applications, apart from the pages so
 * they can be unit-tested (test/admin/): account types, redirect URIs per platform, what "Granted
 * for {tenant}" means for a requested permission, certificate files, exposed scopes and app roles.
 * Pure: no DOM, no requests. The API checks everything again.
 */

export const audienceChoices: readonly { value: Extract<SignInAudience, 'AzureADMyOrg' | 'AzureADMultipleOrgs'>; label: string }[] = [
  { value: 'AzureADMyOrg', label: 'Accounts in this organizational directory only (single tenant)' },
  { value: 'AzureADMultipleOrgs', label: 'Accounts in any organizational directory (multitenant)' },
];

export function audienceLabel(audience: string | null | undefined): string {
  return audienceChoices.find((choice) => choice.value === audience)?.label ?? audience ?? 'Unknown';
}

export const redirectUrisOf = (application: Application, platform: Platform): string[] => [...(application[platform]?.redirectUris ?? [])];

/**
 * A redirect URI the platform accepts: https (http only to this machine) for web and single-page
 * apps; public clients may also use a custom scheme (`msal{appId}://auth`). Never a fragment.
 */
export function checkRedirectUri(value: string, platform: Platform): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter a redirect URI.';
  if (trimmed.length > 256) return 'A redirect URI has at most 256 characters.';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'Enter an absolute URI such as https://app.contoso.com/signin-oidc.';
  }
  if (url.hash || trimmed.includes('#')) return 'A redirect URI cannot contain a fragment (#).';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ? null : 'Use https:// (http:// only for localhost).';
  if (platform === 'publicClient' && /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && url.protocol !== 'javascript:' && url.protocol !== 'data:') return null;
  return 'Use https:// (http:// only for localhost).';
}

/** Adds a checked URI to a platform's list; a URI already there (any platform) is refused. */
export function addRedirectUri(application: Application, platform: Platform, value: string): { uris: string[] } | { problem: string } {
  const problem = checkRedirectUri(value, platform);
  if (problem) return { problem };
  const uri = value.trim();
  const everywhere = (['web', 'spa', 'publicClient'] as const).flatMap((p) => redirectUrisOf(application, p));
  if (everywhere.includes(uri)) return { problem: 'This redirect URI is already registered.' };
  return { uris: [...redirectUrisOf(application, platform), uri] };
}

/** Where a requested permission stands in this tenant. */
export type GrantStatus = 'granted' | 'notGranted';

/**
 * Whether the app's permission on a resource is "Granted for {tenant}": a delegated scope is in
 * the tenant-wide (AllPrincipals) grant of the app on that resource; an application permission is
 * an app role assignment of the app on that resource. User consents do not count, as in Entra.
 */
export function grantStatus(
  access: { id: string; type: 'Scope' | 'Role' },
  resource: Pick<ServicePrincipal, 'id' | 'oauth2PermissionScopes'> | null,
  grants: readonly OAuth2PermissionGrant[],
  assignments: readonly AppRoleAssignment[],
): GrantStatus {
  if (!resource) return 'notGranted';
  if (access.type === 'Role') {
    return assignments.some((a) => a.resourceId === resource.id && a.appRoleId === access.id) ? 'granted' : 'notGranted';
  }
  const value = resource.oauth2PermissionScopes?.find((scope) => scope.id === access.id)?.value;
  if (!value) return 'notGranted';
  const tenantWide = grants.filter((grant) => grant.consentType === 'AllPrincipals' && grant.resourceId === resource.id);
  return tenantWide.some((grant) => scopesOf(grant.scope).some((granted) => granted.toLowerCase() === value.toLowerCase())) ? 'granted' : 'notGranted';
}

export const scopesOf = (scope: string): string[] => scope.split(' ').filter((value) => value !== '');

/** requiredResourceAccess with permissions added for one resource (duplicates skipped). */
export function withPermissions(required: readonly RequiredResourceAccess[], resourceAppId: string, added: readonly { id: string; type: 'Scope' | 'Role' }[]): RequiredResourceAccess[] {
  const next = required.map((entry) => ({ resourceAppId: entry.resourceAppId, resourceAccess: [...entry.resourceAccess] }));
  let entry = next.find((e) => e.resourceAppId === resourceAppId);
  if (!entry) {
    entry = { resourceAppId, resourceAccess: [] };
    next.push(entry);
  }
  for (const access of added) {
    if (!entry.resourceAccess.some((a) => a.id === access.id && a.type === access.type)) entry.resourceAccess.push({ id: access.id, type: access.type });
  }
  return next;
}

/** requiredResourceAccess without one permission; a resource left with none is dropped. */
export function withoutPermission(required: readonly RequiredResourceAccess[], resourceAppId: string, access: { id: string; type: 'Scope' | 'Role' }): RequiredResourceAccess[] {
  return required
    .map((entry) =>
      entry.resourceAppId === resourceAppId ? { resourceAppId, resourceAccess: entry.resourceAccess.filter((a) => !(a.id === access.id && a.type === access.type)) } : entry,
    )
    .filter((entry) => entry.resourceAccess.length > 0);
}

/** The application permissions a resource offers (roles apps can hold). */
export const applicationRolesOf = (resource: Pick<ServicePrincipal, 'appRoles'>): AppRole[] =>
  (resource.appRoles ?? []).filter((role) => role.isEnabled && role.allowedMemberTypes.includes('Application'));

/** The roles users and groups can be assigned to; an app without any has Entra's "Default Access". */
export const userRolesOf = (resource: Pick<ServicePrincipal, 'appRoles'>): AppRole[] =>
  (resource.appRoles ?? []).filter((role) => role.isEnabled && role.allowedMemberTypes.includes('User'));

/** Entra's rule for a scope or role value: no spaces, at most 120 characters, not starting with a dot. */
export function checkPermissionValue(value: string, taken: readonly string[]): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'A value is required.';
  if (/\s/.test(trimmed)) return 'The value cannot contain spaces.';
  if (trimmed.length > 120) return 'Use at most 120 characters.';
  if (trimmed.startsWith('.')) return 'The value cannot start with a dot.';
  if (taken.some((existing) => existing.toLowerCase() === trimmed.toLowerCase())) return 'Another scope or app role of this app already has this value.';
  return null;
}

/** The values already used by the app's scopes and app roles (they share one namespace in tokens). */
export function takenValues(application: Application): string[] {
  return [...(application.api?.oauth2PermissionScopes ?? []).map((scope) => scope.value), ...(application.appRoles ?? []).flatMap((role) => (role.value ? [role.value] : []))];
}

/** A scope or role must be disabled before it can be deleted (Graph refuses otherwise). */
export const removable = (item: PermissionScope | AppRole): boolean => !item.isEnabled;

/** `api://{appId}`: the Application ID URI Entra suggests. */
export const defaultIdentifierUri = (appId: string) => `api://${appId}`;

export function checkIdentifierUri(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter an Application ID URI such as api://… or https://….';
  if (trimmed.length > 256) return 'Use at most 256 characters.';
  if (/\s/.test(trimmed)) return 'The URI cannot contain spaces.';
  if (!/^(api|https):\/\/[^/]/.test(trimmed)) return 'Use api://… or https://….';
  if (trimmed.includes('#') || trimmed.includes('?')) return 'The URI cannot contain a query or fragment.';
  return null;
}

/** Client secret lifetimes Entra offers, in months. */
export const secretLifetimes: readonly { months: number; label: string }[] = [
  { months: 6, label: '180 days (6 months)' },
  { months: 12, label: '365 days (12 months)' },
  { months: 24, label: '730 days (24 months)' },
];

export function secretEnd(now: Date, months: number): string {
  const end = new Date(now.getTime());
  end.setUTCMonth(end.getUTCMonth() + months);
  return end.toISOString();
}

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/**
 * A certificate file (.cer, .crt or .pem) as Graph's keyCredential `key`: base64 of the DER bytes.
 * PEM text is unwrapped; anything else must be DER (an ASN.1 SEQUENCE). Only the first certificate
 * of a PEM bundle is taken.
 */
export function certificateKey(bytes: Uint8Array): { key: string } | { problem: string } {
  if (bytes.length === 0) return { problem: 'The file is empty.' };
  if (bytes.length > 64 * 1024) return { problem: 'A certificate file is at most 64 KB.' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('-----BEGIN')) {
    const match = PEM.exec(text);
    if (!match?.[1]) return { problem: 'The file holds no PEM certificate (-----BEGIN CERTIFICATE-----). Private keys are never uploaded.' };
    const base64 = match[1].replace(/\s+/g, '');
    return base64.length > 0 ? { key: base64 } : { problem: 'The PEM certificate is empty.' };
  }
  if (bytes[0] !== 0x30) return { problem: 'The file is not a certificate (.cer, .crt or .pem).' };
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { key: btoa(binary) };
}

/** A new exposed scope, as Graph's permissionScope. */
export function newScope(input: { value: string; type: 'User' | 'Admin'; adminConsentDisplayName: string; adminConsentDescription: string; userConsentDisplayName: string; userConsentDescription: string }, id: string): PermissionScope {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  return {
    id,
    value: input.value.trim(),
    type: input.type,
    isEnabled: true,
    adminConsentDisplayName: input.adminConsentDisplayName.trim(),
    adminConsentDescription: input.adminConsentDescription.trim(),
    userConsentDisplayName: orNull(input.userConsentDisplayName),
    userConsentDescription: orNull(input.userConsentDescription),
  };
}

export type RoleMembers = 'User' | 'Application' | 'both';

export const roleMemberChoices: readonly { value: RoleMembers; label: string }[] = [
  { value: 'User', label: 'Users/Groups' },
  { value: 'Application', label: 'Applications' },
  { value: 'both', label: 'Both (Users/Groups + Applications)' },
];

export function newAppRole(input: { displayName: string; value: string; description: string; members: RoleMembers }, id: string): AppRole {
  return {
    id,
    displayName: input.displayName.trim(),
    value: input.value.trim(),
    description: input.description.trim(),
    allowedMemberTypes: input.members === 'both' ? ['User', 'Application'] : [input.members],
    isEnabled: true,
  };
}

export const memberTypesLabel = (types: readonly string[]): string =>
  types.includes('User') && types.includes('Application') ? 'Users/Groups, Applications' : types.includes('Application') ? 'Applications' : 'Users/Groups';

/** "12 Mar 2026" in the admin's locale; an empty string for no date. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
