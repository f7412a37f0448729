import type { BodySpec, FieldSpec } from '../../kernel/body.ts';
import { isGuid } from '../../kernel/ids.ts';
import type { AppRole, PermissionScope } from './graph-permissions.ts';

/**
 * Request bodies of `/applications` and `/servicePrincipals` as field tables (kernel/body.ts):
 * Graph's property names, the limits Entra documents (or sensible ones where it is silent), and
 * the read-only properties (ids, verifiedPublisher, publisherDomain, credentials) refused.
 */
export const APPLICATION_LIMITS = Object.freeze({
  displayName: 256,
  description: 1024,
  redirectUris: 256,
  uri: 1000,
  identifierUris: 50,
  scopes: 100,
  appRoles: 100,
  /** Graph: a permissionScope's value is at most 120 characters */
  value: 120,
  text: 1024,
  requiredResourceAccess: 50,
  resourceAccess: 400,
  tags: 50,
  tag: 256,
  /** client secrets and certificates per application */
  passwordCredentials: 20,
  keyCredentials: 20,
  /** a base64 DER certificate (a 4096-bit RSA certificate with a long chain of names is about 2 KB) */
  certificateBase64: 16_384,
});

const L = APPLICATION_LIMITS;
const urls: FieldSpec = { type: 'stringArray', maxItems: L.redirectUris, itemMaxLength: L.uri };
const text = (max: number, nullable = true): FieldSpec => ({ type: 'string', maxLength: max, nullable });
const guid: FieldSpec = { type: 'string', maxLength: 36, check: (v: string) => (isGuid(v) ? null : 'expected a GUID') };

const permissionScopeSpec: BodySpec = {
  id: guid,
  value: text(L.value, true),
  type: { type: 'string', maxLength: 5, check: (v: string) => (v === 'User' || v === 'Admin' ? null : "expected 'User' or 'Admin'") },
  isEnabled: { type: 'boolean' },
  adminConsentDisplayName: text(L.text),
  adminConsentDescription: text(L.text),
  userConsentDisplayName: text(L.text),
  userConsentDescription: text(L.text),
  origin: text(64),
};

const appRoleSpec: BodySpec = {
  id: guid,
  value: text(L.value, true),
  allowedMemberTypes: { type: 'stringArray', maxItems: 2, itemMaxLength: 11, check: (v: string[]) => (v.length > 0 && v.every((t) => t === 'User' || t === 'Application') ? null : "expected 'User' and/or 'Application'") },
  displayName: text(L.text),
  description: text(L.text),
  isEnabled: { type: 'boolean' },
  origin: text(64),
};

const requiredResourceAccessSpec: BodySpec = {
  resourceAppId: guid,
  resourceAccess: {
    type: 'objectArray',
    maxItems: L.resourceAccess,
    typeName: 'microsoft.graph.resourceAccess',
    fields: { id: guid, type: { type: 'string', maxLength: 5, check: (v: string) => (v === 'Scope' || v === 'Role' ? null : "expected 'Scope' or 'Role'") } },
  },
};

const infoSpec: BodySpec = {
  termsOfServiceUrl: text(L.uri),
  privacyStatementUrl: text(L.uri),
  marketingUrl: text(L.uri),
  supportUrl: text(L.uri),
  // Graph: set by uploading a logo (not supported here), read-only in the object
  logoUrl: { type: 'string', writable: false },
};

export const keyCredentialSpec: BodySpec = {
  keyId: guid,
  type: { type: 'string', maxLength: 32 },
  usage: { type: 'string', maxLength: 16 },
  key: text(L.certificateBase64, true),
  displayName: text(256),
  startDateTime: text(40),
  endDateTime: text(40),
  customKeyIdentifier: text(128),
};

export const applicationBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  appId: { type: 'string', writable: false },
  createdDateTime: { type: 'string', writable: false },
  publisherDomain: { type: 'string', writable: false },
  verifiedPublisher: { type: 'object', writable: false },
  passwordCredentials: { type: 'objectArray', writable: false },
  displayName: text(L.displayName, false),
  description: text(L.description),
  signInAudience: { type: 'string', maxLength: 64 },
  web: {
    type: 'object',
    typeName: 'microsoft.graph.webApplication',
    fields: {
      redirectUris: urls,
      homePageUrl: text(L.uri),
      logoutUrl: text(L.uri),
      implicitGrantSettings: {
        type: 'object',
        typeName: 'microsoft.graph.implicitGrantSettings',
        // the implicit flow is not offered: only false is accepted, so scripts that send the default still work
        fields: {
          enableIdTokenIssuance: { type: 'boolean', check: (v: boolean) => (v ? 'the implicit flow is not supported; use the authorization code flow' : null) },
          enableAccessTokenIssuance: { type: 'boolean', check: (v: boolean) => (v ? 'the implicit flow is not supported; use the authorization code flow' : null) },
        },
      },
    },
  },
  spa: { type: 'object', typeName: 'microsoft.graph.spaApplication', fields: { redirectUris: urls } },
  publicClient: { type: 'object', typeName: 'microsoft.graph.publicClientApplication', fields: { redirectUris: urls } },
  isFallbackPublicClient: { type: 'boolean', nullable: true },
  identifierUris: { type: 'stringArray', maxItems: L.identifierUris, itemMaxLength: L.uri },
  api: {
    type: 'object',
    typeName: 'microsoft.graph.apiApplication',
    fields: {
      oauth2PermissionScopes: { type: 'objectArray', maxItems: L.scopes, typeName: 'microsoft.graph.permissionScope', fields: permissionScopeSpec },
      requestedAccessTokenVersion: { type: 'integer', nullable: true, check: (v: number) => (v === 2 ? null : 'this server issues v2.0 access tokens only (2)') },
    },
  },
  appRoles: { type: 'objectArray', maxItems: L.appRoles, typeName: 'microsoft.graph.appRole', fields: appRoleSpec },
  requiredResourceAccess: { type: 'objectArray', maxItems: L.requiredResourceAccess, typeName: 'microsoft.graph.requiredResourceAccess', fields: requiredResourceAccessSpec },
  info: { type: 'object', typeName: 'microsoft.graph.informationalUrl', fields: infoSpec },
  tags: { type: 'stringArray', maxItems: L.tags, itemMaxLength: L.tag },
  keyCredentials: { type: 'objectArray', maxItems: L.keyCredentials, typeName: 'microsoft.graph.keyCredential', fields: keyCredentialSpec },
};

export const servicePrincipalBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  appId: { type: 'string', maxLength: 36 },
  appDisplayName: { type: 'string', writable: false },
  appOwnerOrganizationId: { type: 'string', writable: false },
  publisherName: { type: 'string', writable: false },
  verifiedPublisher: { type: 'object', writable: false },
  signInAudience: { type: 'string', writable: false },
  servicePrincipalType: { type: 'string', writable: false },
  appRoles: { type: 'objectArray', writable: false },
  oauth2PermissionScopes: { type: 'objectArray', writable: false },
  displayName: text(L.displayName, false),
  description: text(L.description),
  accountEnabled: { type: 'boolean' },
  appRoleAssignmentRequired: { type: 'boolean' },
  homepage: text(L.uri),
  tags: { type: 'stringArray', maxItems: L.tags, itemMaxLength: L.tag },
  // copied from the application (service-principal-copy.ts): change them there
  replyUrls: { type: 'stringArray', writable: false },
  servicePrincipalNames: { type: 'stringArray', writable: false },
  info: { type: 'object', writable: false },
};

export const passwordCredentialBodySpec: BodySpec = {
  passwordCredential: {
    type: 'object',
    typeName: 'microsoft.graph.passwordCredential',
    fields: {
      displayName: text(256),
      endDateTime: text(40),
      startDateTime: text(40),
      keyId: { type: 'string', writable: false },
      hint: { type: 'string', writable: false },
      secretText: { type: 'string', writable: false },
      customKeyIdentifier: { type: 'string', writable: false },
    },
  },
};

export const keyIdBodySpec: BodySpec = { keyId: guid };

export const addKeyBodySpec: BodySpec = {
  keyCredential: { type: 'object', typeName: 'microsoft.graph.keyCredential', fields: keyCredentialSpec },
  // Graph requires a proof-of-possession JWT when the app already has a valid certificate; this
  // server accepts it and relies on the caller's Application.ReadWrite.All instead
  proof: text(16_384),
  passwordCredential: { type: 'object', writable: false },
};

export const classificationBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  permissionId: guid,
  permissionName: text(L.value, false),
  classification: { type: 'string', maxLength: 6, check: (v: string) => (['low', 'medium', 'high'].includes(v) ? null : "expected 'low', 'medium' or 'high'") },
};

/** A scope or role value: no whitespace, at most 120 characters (Graph's rule). */
export function valueProblem(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (/\s/.test(value)) return `the value '${value}' contains whitespace`;
  if (value.startsWith('.')) return `the value '${value}' starts with a dot`;
  return null;
}

/** Normalized scopes from a body: Graph's defaults for missing texts, `origin` Application. */
export function readScopes(items: readonly Record<string, unknown>[]): PermissionScope[] {
  return items.map((item) => ({
    id: String(item.id ?? '').toLowerCase(),
    value: String(item.value ?? ''),
    type: (item.type as 'User' | 'Admin' | undefined) ?? 'User',
    isEnabled: item.isEnabled !== false,
    adminConsentDisplayName: (item.adminConsentDisplayName as string | null | undefined) ?? '',
    adminConsentDescription: (item.adminConsentDescription as string | null | undefined) ?? '',
    userConsentDisplayName: (item.userConsentDisplayName as string | null | undefined) ?? null,
    userConsentDescription: (item.userConsentDescription as string | null | undefined) ?? null,
  }));
}

export function readAppRoles(items: readonly Record<string, unknown>[]): AppRole[] {
  return items.map((item) => ({
    id: String(item.id ?? '').toLowerCase(),
    value: (item.value as string | null | undefined) ?? '',
    allowedMemberTypes: [...((item.allowedMemberTypes as ('User' | 'Application')[] | undefined) ?? ['User'])],
    displayName: (item.displayName as string | null | undefined) ?? '',
    description: (item.description as string | null | undefined) ?? '',
    isEnabled: item.isEnabled !== false,
    origin: 'Application',
  }));
}

/** Problems with a new list of scopes and roles, against the current ones (removal needs isEnabled false first). */
export function entitlementProblems(
  scopes: readonly PermissionScope[],
  roles: readonly AppRole[],
  current: { scopes: readonly PermissionScope[]; roles: readonly AppRole[] },
): string | null {
  const ids = new Set<string>();
  for (const entry of [...scopes, ...roles]) {
    if (!entry.id) return 'every permission scope and app role needs an id';
    if (ids.has(entry.id)) return `the id '${entry.id}' is used more than once among permission scopes and app roles`;
    ids.add(entry.id);
  }
  const scopeValues = new Set<string>();
  for (const scope of scopes) {
    if (!scope.value) return `permission scope '${scope.id}' needs a value`;
    const problem = valueProblem(scope.value);
    if (problem) return `permission scope: ${problem}`;
    if (!scope.adminConsentDisplayName) return `permission scope '${scope.value}' needs an adminConsentDisplayName`;
    const key = scope.value.toLowerCase();
    if (scopeValues.has(key)) return `the permission scope value '${scope.value}' is used more than once`;
    scopeValues.add(key);
  }
  const roleValues = new Set<string>();
  for (const role of roles) {
    const problem = valueProblem(role.value);
    if (problem) return `app role: ${problem}`;
    if (!role.displayName) return `app role '${role.id}' needs a displayName`;
    if (role.value) {
      const key = role.value.toLowerCase();
      if (roleValues.has(key)) return `the app role value '${role.value}' is used more than once`;
      roleValues.add(key);
    }
  }
  // Graph: CannotDeleteOrUpdateEnabledEntitlement — disable first, then remove or change
  for (const old of current.scopes) {
    const next = scopes.find((s) => s.id === old.id);
    if (old.isEnabled && !next) return `permission scope '${old.value}' must be disabled (isEnabled false) before it can be removed`;
    if (old.isEnabled && next && next.isEnabled && next.value !== old.value) return `permission scope '${old.value}' must be disabled (isEnabled false) before its value can change`;
  }
  for (const old of current.roles) {
    const next = roles.find((r) => r.id === old.id);
    if (old.isEnabled && !next) return `app role '${old.value || old.id}' must be disabled (isEnabled false) before it can be removed`;
    if (old.isEnabled && next && next.isEnabled && next.value !== old.value) return `app role '${old.value || old.id}' must be disabled (isEnabled false) before its value can change`;
  }
  return null;
}

/** An absolute https URL (what informational links and home pages must be). */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && Boolean(url.hostname);
  } catch {
    return false;
  }
}

const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);

/**
 * A public client's redirect URI: what the web and SPA platforms accept, or a custom scheme of a
 * native app (`msal{appId}://auth`, `com.example.app:/callback`), never a script or local file.
 */
export function isPublicClientRedirectUri(value: string, webAcceptable: (uri: string) => boolean): boolean {
  if (webAcceptable(value)) return true;
  try {
    const url = new URL(value);
    if (url.hash || url.protocol === 'http:' || url.protocol === 'https:') return false;
    return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && !FORBIDDEN_SCHEMES.has(url.protocol);
  } catch {
    return false;
  }
}

/** A service principal's homepage: absolute https (or http on loopback, for development). */
export function isAcceptableHomepage(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}
