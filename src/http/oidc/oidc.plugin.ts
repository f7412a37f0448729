import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Container } from '../../container.ts';
import { AccessTokenVerifier, kPublicUrl, ScopeError, translateEntraParams, type OidcPageRenderer, type OidcPageRequest } from '../../oidc/index.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';
import type { Branding } from '../pages/index.ts';
import { oidcPageRenderer } from './oidc-pages.tsx';

const PURGE_INTERVAL_MS = 10 * 60 * 1000;

type RawRequest = IncomingMessage & { originalUrl?: string; body?: unknown; [kPublicUrl]?: string };

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

  async function oauthError(request: FastifyRequest, reply: FastifyReply, error: string, description: string, pageFor?: TenantScope) {
    if (pageFor) {
      const page = await pages.error({ tenantId: pageFor.tenantId, request: pageRequest(request), error, description, flow: 'signIn' });
      return reply.code(400).headers(page.headers).send(page.html);
    }
    const code = Number(/^AADSTS(\d+)/.exec(description)?.[1] ?? 90000);
    const id = request.id;
    return reply
      .code(400)
      .header('cache-control', 'no-store')
      .send({ error, error_description: description, error_codes: [code], timestamp: new Date().toISOString(), trace_id: id, correlation_id: id });
  }

  const translate = (scope: TenantScope, params: URLSearchParams, endpoint: 'authorize' | 'token') =>
    translateEntraParams(params, endpoint, {
      baseUrl: config.baseUrl,
      consentedScopes: (clientId, resourceAppId) => container.applications.consentedScopes(scope, clientId, resourceAppId, null),
    });

  const handleOAuth = async (request: FastifyRequest, reply: FastifyReply, providerPath: string, resolved?: TenantScope) => {
    const scope = resolved ?? (await tenantOr404(request, reply));
    if (!scope) return;
    const url = new URL(request.raw.url ?? '/', 'http://x');
    const isAuthorize = providerPath === '/oauth2/v2.0/authorize';
    const isToken = providerPath === '/oauth2/v2.0/token';
    let search = url.search;
    let body = typeof request.body === 'string' ? request.body : undefined;
    try {
      if (isAuthorize && request.method === 'GET') {
        await translate(scope, url.searchParams, 'authorize');
        search = url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '';
      } else if ((isAuthorize || isToken) && body !== undefined && request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        const params = new URLSearchParams(body);
        await translate(scope, params, isAuthorize ? 'authorize' : 'token');
        body = params.toString();
      }
    } catch (error) {
      if (error instanceof ScopeError) return oauthError(request, reply, error.error, error.message, isAuthorize ? scope : undefined);
      throw error;
    }
    return dispatch(request, reply, scope, providerPath, search, body);
  };

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
    const scope = await tenantOr404(request, reply);
    if (scope) return dispatch(request, reply, scope, '/.well-known/openid-configuration', '');
  });
  app.get('/:tenant/discovery/v2.0/keys', async (request, reply) => {
    const scope = await tenantOr404(request, reply);
    if (scope) return dispatch(request, reply, scope, '/discovery/v2.0/keys', '');
  });
  app.post('/:tenant/oauth2/v2.0/token', { config: { rateLimit: { max: config.rateLimits.token, timeWindow: '1 minute' } } }, (request, reply) =>
    handleOAuth(request, reply, '/oauth2/v2.0/token'),
  );
  app.route({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/:tenant/oauth2/v2.0/*',
    handler: (request, reply) => handleOAuth(request, reply, `/oauth2/v2.0/${(request.params as { '*': string })['*']}`),
  });

  // `organizations` and `common` name no tenant: their discovery document has Entra's `{tenantid}`
  // issuer template, and their token endpoint finds the tenant from the code or refresh token
  // (the authorization endpoint is the home-realm discovery page, in http/interactions).
  for (const realm of ['organizations', 'common']) {
    app.get(`/${realm}/v2.0/.well-known/openid-configuration`, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').send(homeRealmMetadata(config.baseUrl, realm)),
    );
    app.get(`/${realm}/discovery/v2.0/keys`, async (_request, reply) => {
      const keys = [];
      for (const id of await container.tenants.listIds()) keys.push(...(await container.signingKeys.publicJwks(tenantScope(id))));
      return reply.header('cache-control', 'public, max-age=300').send({ keys });
    });
    app.post(`/${realm}/oauth2/v2.0/token`, { config: { rateLimit: { max: config.rateLimits.token, timeWindow: '1 minute' } } }, async (request, reply) => {
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
      return handleOAuth(request, reply, '/oauth2/v2.0/token', tenantScope(tenantId));
    });
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
