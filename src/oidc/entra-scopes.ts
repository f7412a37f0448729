import { isGuid } from '../kernel/ids.ts';
import { GRAPH_ALIAS, GRAPH_APP_ID, OIDC_SCOPES } from '../modules/consent/index.ts';

/**
 * Entra names the resource inside the scope (`https://graph.microsoft.com/User.Read`,
 * `api://{appId}/.default`, or bare `User.Read` for Graph); oidc-provider expects RFC 8707's
 * `resource` parameter and short scope values. This translates one into the other, before the
 * request reaches oidc-provider, and enforces Entra's rules about mixing resources and `/.default`.
 */
export interface ParsedScopes {
  /** openid, profile, email, offline_access */
  oidc: string[];
  /** the one resource the request is for (canonical identifier), or null when only OIDC scopes were asked for */
  resource: string | null;
  /** scope values on that resource, without the resource prefix */
  values: string[];
  /** `/.default` was requested */
  isDefault: boolean;
}

export class ScopeError extends Error {
  constructor(
    readonly error: 'invalid_scope' | 'invalid_request',
    message: string,
  ) {
    super(message);
  }
}

/** The canonical resource identifier: Graph is `{base}` (also reached as https://graph.microsoft.com or its appId); an app's API is `api://{appId}`. */
export function canonicalResource(identifier: string, baseUrl: string): string {
  const trimmed = identifier.replace(/\/+$/, '');
  const lower = trimmed.toLowerCase();
  if (lower === GRAPH_ALIAS || lower === baseUrl.toLowerCase() || lower === GRAPH_APP_ID || lower === `api://${GRAPH_APP_ID}`) return baseUrl;
  if (isGuid(trimmed)) return `api://${lower}`;
  return trimmed;
}

export function parseScopes(scope: string | undefined, baseUrl: string): ParsedScopes {
  const oidc: string[] = [];
  const byResource = new Map<string, string[]>();
  for (const token of (scope ?? '').split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(token.toLowerCase())) {
      oidc.push(token.toLowerCase());
      continue;
    }
    const slash = token.lastIndexOf('/');
    const prefixed = slash > 0 && (token.includes('://') || isGuid(token.slice(0, slash)));
    const resource = prefixed ? canonicalResource(token.slice(0, slash), baseUrl) : baseUrl;
    const value = prefixed ? token.slice(slash + 1) : token;
    if (!value) throw new ScopeError('invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${token} is not valid.`);
    const values = byResource.get(resource) ?? [];
    values.push(value);
    byResource.set(resource, values);
  }
  if (byResource.size > 1) {
    throw new ScopeError(
      'invalid_scope',
      `AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    );
  }
  const [entry] = [...byResource.entries()];
  const values = entry?.[1] ?? [];
  const isDefault = values.includes('.default');
  if (isDefault && values.length > 1) {
    throw new ScopeError('invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. static scope limit exceeded.`);
  }
  return { oidc, resource: entry?.[0] ?? null, values: isDefault ? [] : values, isDefault };
}

/**
 * Rewrites an authorization or token request's parameters (in place) from Entra's form to
 * oidc-provider's: `resource` from the scope's resource prefix, short scope values, `/.default`
 * expanded to what was consented (authorize) or dropped (client credentials, whose token carries
 * the app roles instead). Throws ScopeError for what Entra refuses.
 */
export async function translateEntraParams(
  params: URLSearchParams,
  endpoint: 'authorize' | 'token',
  options: {
    baseUrl: string;
    consentedScopes: (clientId: string, resourceAppId: string) => Promise<Set<string>>;
    /**
     * The scope values a resource (by appId) publishes, or undefined when the resource is not known
     * here (the provider then answers invalid_target). Given, an authorization request naming a
     * scope the resource lacks is refused with AADSTS70011 before any sign-in or consent prompt,
     * and the values are put in the resource's own spelling (Entra compares them case-insensitively).
     */
    resourceScopes?: (resourceAppId: string) => Promise<readonly string[] | undefined>;
  },
): Promise<void> {
  params.delete('tessera_offline_access'); // only this translation may set it
  if (endpoint === 'authorize' && (params.get('scope') ?? '').split(/\s+/).includes('offline_access')) params.set('tessera_offline_access', '1');
  if (params.has('resource') || !params.has('scope')) return;
  const parsed = parseScopes(params.get('scope') ?? undefined, options.baseUrl);
  const grantType = params.get('grant_type');
  if (endpoint === 'token' && grantType === 'client_credentials') {
    if (!parsed.resource || !parsed.isDefault) {
      throw new ScopeError(
        'invalid_scope',
        `AADSTS1002012: The provided value for scope ${params.get('scope')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    params.set('resource', parsed.resource);
    params.delete('scope');
    return;
  }
  let values = parsed.values;
  if (parsed.isDefault && parsed.resource && endpoint === 'authorize') {
    const resourceAppId = parsed.resource === options.baseUrl ? GRAPH_APP_ID : parsed.resource.replace(/^api:\/\//, '');
    values = [...(await options.consentedScopes(params.get('client_id') ?? '', resourceAppId))].filter((s) => !OIDC_SCOPES.has(s));
  } else if (endpoint === 'authorize' && values.length > 0 && options.resourceScopes) {
    const resource = parsed.resource ?? options.baseUrl;
    const known = await options.resourceScopes(resource === options.baseUrl ? GRAPH_APP_ID : resource.replace(/^api:\/\//, ''));
    if (known) {
      const byLower = new Map(known.map((value) => [value.toLowerCase(), value]));
      values = values.map((value) => {
        const spelled = byLower.get(value.toLowerCase());
        if (!spelled) throw new ScopeError('invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${value} is not valid.`);
        return spelled;
      });
    }
  }
  if (parsed.resource) params.set('resource', parsed.resource);
  // A refresh token's scope never holds offline_access (oidc-provider's rule), so asking for it again is no error.
  const oidc = endpoint === 'token' ? parsed.oidc.filter((s) => s !== 'offline_access') : parsed.oidc;
  if (endpoint === 'token' && grantType === 'authorization_code') params.delete('scope');
  else if (parsed.isDefault && endpoint === 'token') params.set('scope', oidc.join(' '));
  else params.set('scope', [...oidc, ...values].join(' '));
  if (params.get('scope') === '') params.delete('scope');
}
