import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Container } from '../../container.ts';
import { isAppError } from '../../kernel/errors.ts';
import { AccessTokenVerifier, kPublicUrl, OIDC_ROUTES, ScopeError, translateEntraParams, type OidcPageRenderer, type OidcPageRequest } from '../../oidc/index.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';
import type { Branding } from '../pages/index.ts';
import { oidcPageRenderer } from './oidc-pages.tsx';

const PURGE_INTERVAL_MS = 10 * 60 * 1000;

type RawRequest = IncomingMessage & { originalUrl?: string; body?: unknown; [kPublicUrl]?: string };

type EndpointLimit = 'token';

/** One endpoint the tenant's provider serves: method and path after `/{tenant}`, and how it is handed over. */
interface ProviderEndpoint {
  method: 'GET' | 'POST' | 'OPTIONS';
  path: string;
  /** the provider's own path (mounted under `/{tenantId}`), or null when the parameters name nothing */
  provider: (params: Record<string, string>) => string | null;
  /** the rate limit it counts against, before anything else runs */
  limit?: EndpointLimit;
  /** where Entra's scope syntax is translated (authorize: the query; token: the form body) */
  translate?: 'authorize' | 'token';
}

const fixed = (path: string) => () => path;
/** oidc-provider's interaction ids (nanoid); anything else is no resume URL. */
const INTERACTION_UID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Every endpoint of the OIDC surface under `/{tenant}`, and nothing else (DESIGN §10: one
 * canonical route per endpoint). The provider's router is lenient (case-insensitive, trailing
 * slash); Fastify's is exact, and only these paths reach the provider, each past its limiter.
 * Not here, so 404: introspection (disabled in src/oidc/provider.ts), the device code flow (not
 * implemented), pushed authorization requests (not in Entra's layout), `POST` to authorize and
 * logout (oidc-provider's `enableHttpPostMethods` is off).
 */
const TOKEN_ENDPOINT: ProviderEndpoint = { method: 'POST', path: '/oauth2/v2.0/token', provider: fixed(OIDC_ROUTES.token), limit: 'token', translate: 'token' };

const PROVIDER_ENDPOINTS: readonly ProviderEndpoint[] = [
  { method: 'GET', path: '/v2.0/.well-known/openid-configuration', provider: fixed('/.well-known/openid-configuration') },
  { method: 'GET', path: '/discovery/v2.0/keys', provider: fixed(OIDC_ROUTES.jwks) },
  { method: 'GET', path: '/oauth2/v2.0/authorize', provider: fixed(OIDC_ROUTES.authorization), translate: 'authorize' },
  // where the sign-in pages send the browser back to when they are done
  { method: 'GET', path: '/oauth2/v2.0/authorize/:uid', provider: ({ uid = '' }) => (INTERACTION_UID.test(uid) ? `${OIDC_ROUTES.authorization}/${uid}` : null) },
  TOKEN_ENDPOINT,
  // CORS preflights (single-page apps) are the provider's to answer; they issue nothing
  { method: 'OPTIONS', path: '/oauth2/v2.0/token', provider: fixed(OIDC_ROUTES.token) },
  { method: 'POST', path: '/oauth2/v2.0/revoke', provider: fixed(OIDC_ROUTES.revocation), limit: 'token' },
  { method: 'OPTIONS', path: '/oauth2/v2.0/revoke', provider: fixed(OIDC_ROUTES.revocation) },
  { method: 'GET', path: '/oauth2/v2.0/logout', provider: fixed(OIDC_ROUTES.end_session) },
  { method: 'POST', path: '/oauth2/v2.0/logout/confirm', provider: fixed(`${OIDC_ROUTES.end_session}/confirm`) },
  { method: 'GET', path: '/oauth2/v2.0/logout/success', provider: fixed(`${OIDC_ROUTES.end_session}/success`) },
];

/** The methods each endpoint path accepts (for Entra's "only accepts POST requests"), userinfo included. */
const ENDPOINT_METHODS = new Map<string, string[]>([['/oidc/userinfo', ['GET', 'POST']]]);
for (const { method, path } of PROVIDER_ENDPOINTS) if (!path.includes('/:')) ENDPOINT_METHODS.set(path, [...(ENDPOINT_METHODS.get(path) ?? []), method]);

/** The first path segments (after `/{tenant}`) this surface owns: anything unknown below them is an OAuth 404. */
const SURFACE_PREFIXES = ['oauth2', 'discovery', 'v2.0', 'oidc'] as const;

const HOME_REALMS = ['organizations', 'common'] as const;

/**
 * The OpenID Connect surface in Entra's layout. Fastify only routes, rate-limits and has Entra's
 * scope syntax translated into RFC 8707 resource indicators; the protocol itself is oidc-provider's,
 * one provider per tenant, to which each request is handed (raw request, Entra path rewritten to
 * the provider's own, mounted under `/{tenantId}`).
 */
export const oidcPlugin: FastifyPluginAsync<{ container: Container; pages?: OidcPageRenderer }> = async (app, options) => {
  const { container } = options;
  const { config } = container;
  // The pages the providers show themselves (sign-out, signed out, errors) are end-user pages.
  const pages = options.pages ?? oidcPageRenderer({ baseUrl: config.baseUrl, branding: (tenantId) => tenantBranding(container, tenantId), logger: container.logger });
  container.oidc.usePages(pages);
  const callbacks = new WeakMap<Provider, (req: IncomingMessage, res: ServerResponse) => void>();
  const userinfoVerifier = new AccessTokenVerifier(() => config.baseUrl, container.signingKeys, () => container.clock.now());

  // Bodies stay as text: oidc-provider parses them itself, after the scope translation below.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 56 * 1024 }, (_request, body, done) => done(null, String(body)));
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 56 * 1024 }, (_request, body, done) => done(null, String(body)));

  await app.register(fastifyRateLimit, { global: false });
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    if (error.statusCode === 429) {
      return reply.code(429).header('retry-after', '60').send({ error: 'temporarily_unavailable', error_description: 'AADSTS90055: Too many requests from this client. Try again later.' });
    }
    if (isAppError(error) && error.kind === 'unavailable') {
      request.log.warn({ err: error }, 'oidc surface cannot reach the database');
      return reply.code(503).header('retry-after', '5').send({ error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred. Please try again.' });
    }
    request.log.error({ err: error }, 'oidc surface error');
    return reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ error: 'server_error', error_description: 'An unexpected error occurred.' });
  });

  let purgeTimer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    purgeTimer = setInterval(() => {
      void purgeExpired(container).catch((error: unknown) => container.logger.warn({ err: error }, 'purging expired OIDC artifacts failed'));
    }, PURGE_INTERVAL_MS).unref();
  });
  app.addHook('onClose', async () => {
    if (purgeTimer) clearInterval(purgeTimer);
  });

  async function tenantOr404(request: FastifyRequest, reply: FastifyReply): Promise<TenantScope | null> {
    const { tenant } = request.params as { tenant: string };
    const scope = await container.tenants.resolve(tenant);
    if (!scope) {
      await reply
        .code(400)
        .header('cache-control', 'no-store')
        .send({ error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.` });
      return null;
    }
    return scope;
  }

  /** Hands the request to the tenant's provider at `providerPath`, as if mounted under `/{tenantId}`. */
  async function dispatch(request: FastifyRequest, reply: FastifyReply, scope: TenantScope, providerPath: string, search: string, body?: string): Promise<void> {
    const provider = await container.oidc.provider(scope);
    let callback = callbacks.get(provider);
    if (!callback) {
      callback = provider.callback();
      callbacks.set(provider, callback);
    }
    const base = new URL(config.baseUrl);
    const raw = request.raw as RawRequest;
    raw[kPublicUrl] = request.url;
    raw.url = `${providerPath}${search}`;
    raw.originalUrl = `/${scope.tenantId}${providerPath}${search}`;
    raw.headers['x-forwarded-proto'] = base.protocol.slice(0, -1);
    raw.headers['x-forwarded-host'] = base.host;
    raw.headers['x-forwarded-for'] = request.ip;
    if (body !== undefined) {
      // Fastify has read the stream; oidc-provider then takes the (translated) body from `req.body`
      // (its documented fallback for bodies parsed upstream; it logs one warning per process).
      raw.body = body;
      raw.headers['content-length'] = String(Buffer.byteLength(body));
    }
    reply.hijack();
    callback(raw, reply.raw);
  }

  async function oauthError(request: FastifyRequest, reply: FastifyReply, error: string, description: string, pageFor?: TenantScope, status = 400) {
    if (pageFor) {
      const page = await pages.error({ tenantId: pageFor.tenantId, request: pageRequest(request), error, description, flow: 'signIn' });
      return reply.code(400).headers(page.headers).send(page.html);
    }
    const code = Number(/^AADSTS(\d+)/.exec(description)?.[1] ?? 90000);
    const id = request.id;
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .send({ error, error_description: description, error_codes: [code], timestamp: new Date().toISOString(), trace_id: id, correlation_id: id });
  }

  const translate = (scope: TenantScope, params: URLSearchParams, endpoint: 'authorize' | 'token') =>
    translateEntraParams(params, endpoint, {
      baseUrl: config.baseUrl,
      // `/.default`: what the app's registration asks for on the resource, and what is consented tenant-wide
      consentedScopes: (clientId, resourceAppId) => container.consent.defaultScopes(scope, clientId, resourceAppId),
      resourceScopes: async (resourceAppId) => {
        const resource = /^[0-9a-f-]{36}$/i.test(resourceAppId) ? await container.applications.cachedServicePrincipal(scope, resourceAppId.toLowerCase()) : undefined;
        return resource?.oauth2PermissionScopes.filter((s) => s.isEnabled).map((s) => s.value);
      },
    });

  /** Translates Entra's scope syntax where `endpoint` takes scopes, then hands the request to the provider. */
  const handleOAuth = async (request: FastifyRequest, reply: FastifyReply, endpoint: ProviderEndpoint, providerPath: string, resolved?: TenantScope) => {
    const scope = resolved ?? (await tenantOr404(request, reply));
    if (!scope) return;
    const url = new URL(request.raw.url ?? '/', 'http://x');
    let search = url.search;
    let body = typeof request.body === 'string' ? request.body : undefined;
    try {
      if (endpoint.translate === 'authorize') {
        await translate(scope, url.searchParams, 'authorize');
        search = url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '';
      } else if (endpoint.translate === 'token' && body !== undefined && request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        const params = new URLSearchParams(body);
        await translate(scope, params, 'token');
        body = params.toString();
      }
    } catch (error) {
      if (error instanceof ScopeError) return oauthError(request, reply, error.error, error.message, endpoint.translate === 'authorize' ? scope : undefined);
      throw error;
    }
    return dispatch(request, reply, scope, providerPath, search, body);
  };

  // One limiter for the token endpoint wherever it is addressed (every tenant, `organizations`,
  // `common`) and for revocation, which authenticates clients the same way: one budget per IP.
  const limiters: Record<EndpointLimit, ReturnType<typeof app.rateLimit>> = {
    token: app.rateLimit({ max: config.rateLimits.token, timeWindow: '1 minute' }),
  };

  for (const endpoint of PROVIDER_ENDPOINTS) {
    app.route({
      method: endpoint.method,
      url: `/:tenant${endpoint.path}`,
      ...(endpoint.limit ? { onRequest: limiters[endpoint.limit] } : {}),
      handler: async (request, reply) => {
        const providerPath = endpoint.provider(request.params as Record<string, string>);
        if (providerPath === null) return unknownEndpoint(request, reply);
        return handleOAuth(request, reply, endpoint, providerPath);
      },
    });
  }

  // `organizations` and `common` name no tenant: their discovery document has Entra's `{tenantid}`
  // issuer template, and their token endpoint finds the tenant from the code or refresh token
  // (the authorization endpoint is the home-realm discovery page, in http/interactions).
  for (const realm of HOME_REALMS) {
    app.get(`/${realm}/v2.0/.well-known/openid-configuration`, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').send(homeRealmMetadata(config.baseUrl, realm)),
    );
    app.get(`/${realm}/discovery/v2.0/keys`, async (_request, reply) => {
      const keys = [];
      for (const id of await container.tenants.listIds()) keys.push(...(await container.signingKeys.publicJwks(tenantScope(id))));
      return reply.header('cache-control', 'public, max-age=300').send({ keys });
    });
    app.post(`/${realm}/oauth2/v2.0/token`, { onRequest: limiters.token }, async (request, reply) => {
      const params = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
      const grantType = params.get('grant_type');
      const model = grantType === 'authorization_code' ? 'AuthorizationCode' : grantType === 'refresh_token' ? 'RefreshToken' : null;
      if (!model) {
        return oauthError(request, reply, 'invalid_request', `AADSTS900023: Specified tenant identifier '${realm}' is neither a valid DNS name, nor a valid external domain.`);
      }
      const tenantId = await container.oidcPayloads.tenantOf(model, params.get(model === 'AuthorizationCode' ? 'code' : 'refresh_token') ?? '');
      if (!tenantId) {
        return oauthError(request, reply, 'invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity or was revoked.');
      }
      return handleOAuth(request, reply, TOKEN_ENDPOINT, OIDC_ROUTES.token, tenantScope(tenantId));
    });
  }

  // Everything else under the surface's prefixes is no endpoint: an OAuth error, and never the
  // provider (whose own router would accept `/TOKEN` or `/token/`) nor a path past the limiters.
  for (const prefix of SURFACE_PREFIXES) {
    app.all(`/:tenant/${prefix}`, unknownEndpoint);
    app.all(`/:tenant/${prefix}/*`, unknownEndpoint);
  }

  /** 404 with Entra's wording: a known endpoint asked with another method, or no endpoint at all. */
  async function unknownEndpoint(request: FastifyRequest, reply: FastifyReply) {
    // the path as sent, after its first segment (the tenant)
    const path = `/${(request.raw.url ?? '/').split('?')[0]!.split('/').slice(2).join('/')}`;
    const methods = [...new Set(ENDPOINT_METHODS.get(path) ?? [])];
    const description = methods.length > 0
      ? `AADSTS900561: The endpoint only accepts ${methods.join(', ')} requests. Received a ${request.method} request.`
      : `AADSTS90056: BadResourceRequest - The requested endpoint does not exist. The endpoints of a tenant are listed in its OpenID Connect metadata document, /{tenant}/v2.0/.well-known/openid-configuration.`;
    return oauthError(request, reply, 'invalid_request', description, undefined, 404);
  }

  // Entra serves userinfo from Graph and accepts Graph access tokens there; so does Tessera.
  app.route({
    method: ['GET', 'POST'],
    url: '/:tenant/oidc/userinfo',
    handler: async (request, reply) => {
      const scope = await tenantOr404(request, reply);
      if (!scope) return;
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      const deny = () => reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'invalid_token', error_description: 'Access token validation failure.' });
      if (!match?.[1]) return deny();
      let token;
      try {
        token = await userinfoVerifier.verify(match[1]);
      } catch {
        return deny();
      }
      if (token.tenantId !== scope.tenantId || token.kind !== 'user') return deny();
      const user = await container.users.find(scope, token.objectId);
      if (!user || !user.accountEnabled) return deny();
      return reply.header('cache-control', 'no-store').send({
        sub: user.id,
        oid: user.id,
        tid: scope.tenantId,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        given_name: user.givenName ?? undefined,
        family_name: user.surname ?? undefined,
        email: user.mail ?? undefined,
      });
    },
  });
};

/** Entra's discovery document for `organizations`/`common`: endpoints without a tenant, issuer with `{tenantid}`. */
function homeRealmMetadata(baseUrl: string, realm: string): Record<string, unknown> {
  const host = new URL(baseUrl).host;
  return {
    issuer: `${baseUrl}/{tenantid}/v2.0`,
    authorization_endpoint: `${baseUrl}/${realm}/oauth2/v2.0/authorize`,
    token_endpoint: `${baseUrl}/${realm}/oauth2/v2.0/token`,
    jwks_uri: `${baseUrl}/${realm}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'oid', 'tid', 'ver', 'name', 'preferred_username', 'given_name', 'family_name', 'email'],
    code_challenge_methods_supported: ['S256'],
    request_uri_parameter_supported: false,
    tenant_region_scope: null,
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: baseUrl,
  };
}

/** The request as a page rendered outside the pages scope needs it (language, the address to come back to). */
function pageRequest(request: FastifyRequest): OidcPageRequest {
  const body = typeof request.body === 'string' && request.method === 'POST' ? Object.fromEntries(new URLSearchParams(request.body)) : undefined;
  return { method: request.method, url: request.url, headers: request.headers, query: (request.query ?? {}) as Record<string, unknown>, body };
}

async function tenantBranding(container: Container, tenantId: string): Promise<Branding | null> {
  const tenant = await container.tenants.get(tenantScope(tenantId));
  return tenant ? { tenantName: tenant.displayName, logoUrl: tenant.branding.logoUrl, backgroundColor: tenant.branding.backgroundColor } : null;
}

async function purgeExpired(container: Container): Promise<void> {
  const ids = await container.tenants.listIds();
  const removed = await container.oidc.purgeExpired(ids, tenantScope);
  if (removed.payloads + removed.keys > 0) container.logger.info(removed, 'purged expired OIDC artifacts');
}
