import type { BodySpec } from '../../kernel/body.ts';

/**
 * Limits of `/beta/identity/identityProviders` bodies, as data. Graph documents none for
 * openIdConnectIdentityProvider; ours: displayName 256 like every directory object's name, URLs
 * 2048, client ids 256, secrets 1024, scope 1024 characters in at most 20 values, 50 domains of at
 * most 253 characters (DNS), and 50 providers per organization.
 */
export const IDENTITY_PROVIDER_LIMITS = {
  displayName: 256,
  issuer: 2048,
  clientId: 256,
  clientSecret: 1024,
  scope: 1024,
  scopeValues: 20,
  domains: 50,
  domain: 253,
  providersPerTenant: 50,
} as const;

export const OPENID_CONNECT_TYPE = '#microsoft.graph.openIdConnectIdentityProvider';
export const DEFAULT_SCOPE = 'openid profile email';

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** RFC 6749's scope-token characters */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const PRINTABLE = /^[\x21-\x7E]+$/;

export function isDomainName(value: string): boolean {
  return DOMAIN.test(value);
}

/**
 * An issuer is an absolute https URL without query, fragment or credentials (OpenID Connect
 * Discovery §3); plain http only on loopback, for development and tests, as for redirect URIs.
 */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected an absolute https URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return 'expected an https URL (http only on localhost)';
  if (url.search || url.hash || url.username || url.password || value.includes('?') || value.includes('#')) return 'an issuer has no query, fragment or credentials';
  return null;
}

export function scopeProblem(value: string): string | null {
  const values = value.split(' ').filter(Boolean);
  if (values.length === 0 || values.some((v) => !SCOPE_TOKEN.test(v))) return 'expected space-separated scope values';
  if (values.length > IDENTITY_PROVIDER_LIMITS.scopeValues) return `at most ${IDENTITY_PROVIDER_LIMITS.scopeValues} scope values`;
  if (!values.includes('openid')) return "the scope must include 'openid'";
  return null;
}

const nonEmpty = (v: string) => (v.trim() === '' ? 'cannot be empty' : null);

/** The writable properties, each with its limit; `@odata.type` is checked by the service. */
export const identityProviderBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  displayName: { type: 'string', maxLength: IDENTITY_PROVIDER_LIMITS.displayName, check: nonEmpty },
  issuer: { type: 'string', maxLength: IDENTITY_PROVIDER_LIMITS.issuer, check: issuerProblem },
  clientId: { type: 'string', maxLength: IDENTITY_PROVIDER_LIMITS.clientId, check: (v: string) => (PRINTABLE.test(v) ? null : 'expected a client id without spaces') },
  clientSecret: { type: 'string', maxLength: IDENTITY_PROVIDER_LIMITS.clientSecret, check: nonEmpty },
  scope: { type: 'string', maxLength: IDENTITY_PROVIDER_LIMITS.scope, check: scopeProblem },
  domains: {
    type: 'stringArray',
    maxItems: IDENTITY_PROVIDER_LIMITS.domains,
    itemMaxLength: IDENTITY_PROVIDER_LIMITS.domain,
    check: (v: string[]) => (v.length === 0 ? 'at least one domain is required' : v.every(isDomainName) ? null : 'every entry must be a domain name such as partner.example'),
  },
};
