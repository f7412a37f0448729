import { createHmac, randomUUID } from 'node:crypto';
import Provider, { errors, interactionPolicy } from 'oidc-provider';
import { issuerOf } from './issuer.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import { GRAPH_APP_ID, OIDC_SCOPES, type ApplicationsService, type ClientApp, type PermissionGrantsService } from '../modules/consent/index.ts';
import type { UsersService } from '../modules/directory/index.ts';
import type { OidcPayloadStore, SigningKeysService, TenantKeys } from '../modules/signin/index.ts';
import type { TenantScope } from '../tenancy/scope.ts';
import { sqlAdapter } from './adapter.ts';
import { canonicalResource } from './entra-scopes.ts';
import { kPublicUrl, type OidcPage, type OidcPageRenderer, type OidcPageRequest } from './pages.ts';

export interface OidcDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  users: UsersService;
  applications: ApplicationsService;
  signingKeys: SigningKeysService;
  payloads: OidcPayloadStore;
  /**
   * The home issuer of a guest (B2B), for the `idp` claim of their tokens: Entra names a guest's
   * identity provider there, and leaves it out for members (whose provider is the issuer).
   */
  guestHomeIssuer?: (scope: TenantScope, guestId: string) => Promise<string | null>;
  /**
   * App role assignments (modules/consent PermissionGrantsService): the `roles` of user tokens, and
   * whether a user is assigned to an app that requires assignment (appRoleAssignmentRequired).
   */
  grants?: Pick<PermissionGrantsService, 'userAppRolesOn' | 'isAssigned'>;
}

/** Provider-side paths (mounted under `/{tenantId}`), in Entra's layout. */
export const OIDC_ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  end_session: '/oauth2/v2.0/logout',
  jwks: '/discovery/v2.0/keys',
  revocation: '/oauth2/v2.0/revoke',
  introspection: '/oauth2/v2.0/introspect',
  userinfo: '/oidc/userinfo',
} as const;

const TTL = {
  AccessToken: 3600,
  ClientCredentials: 3600,
  IdToken: 3600,
  AuthorizationCode: 600,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
  Grant: 90 * 24 * 3600,
  RefreshToken: 90 * 24 * 3600,
};

export { issuerOf };

/** `azpacr`/`appidacr`: how the client authenticated (0 public, 1 secret, 2 certificate or key). */
function authenticationStrength(method: string | undefined): '0' | '1' | '2' {
  if (method === 'private_key_jwt') return '2';
  if (method === 'client_secret_basic' || method === 'client_secret_post') return '1';
  return '0';
}

/**
 * oidc-provider client metadata for an application registration. A service principal here that is
 * disabled means no client (sign-in refused). Another tenant's multi-tenant app with no service
 * principal here yet (`servicePrincipal: null`) may sign users in, whose consent creates it, but
 * gets no app-only tokens in this tenant until then. Expired certificates are left out.
 */
export function clientMetadata(client: ClientApp, now: Date = new Date(), presentsAssertion = false): Record<string, unknown> | undefined {
  const { application: app, servicePrincipal: sp } = client;
  if (sp && !sp.accountEnabled) return undefined;
  const redirectUris = [...app.web.redirectUris, ...app.spa.redirectUris, ...app.publicClient.redirectUris];
  const keys = app.keyCredentials.filter((k) => !k.endDateTime || Date.parse(k.endDateTime) > now.getTime());
  const isPublic = app.isFallbackPublicClient || (app.passwordCredentials.length === 0 && app.keyCredentials.length === 0);
  const interactive = redirectUris.length > 0;
  // An app may hold both secrets and certificates (Entra accepts either); oidc-provider holds a
  // client to one method, so a request that presents a client assertion is held to private_key_jwt.
  const method = isPublic ? 'none' : app.passwordCredentials.length > 0 && !(presentsAssertion && keys.length > 0) ? 'client_secret_post' : 'private_key_jwt';
  // a confidential client whose every certificate has expired has no way to authenticate
  if (method === 'private_key_jwt' && keys.length === 0) return undefined;
  // a native app's custom-scheme redirect URI (msal{appId}://auth) makes it a native client
  const native = redirectUris.some((uri) => !/^https?:/i.test(uri));
  return {
    client_id: app.appId,
    client_name: app.displayName,
    ...(native ? { application_type: 'native' } : {}),
    redirect_uris: redirectUris,
    post_logout_redirect_uris: [...new Set([...redirectUris, ...client.postLogoutRedirectUris])],
    response_types: interactive ? ['code'] : [],
    grant_types: [...(interactive ? ['authorization_code', 'refresh_token'] : []), ...(isPublic || !sp ? [] : ['client_credentials'])],
    token_endpoint_auth_method: method,
    // Only the keyed hashes of client secrets are stored; compareClientSecret (below) checks a
    // presented secret against them. This value is not a secret and matches nothing.
    ...(method === 'client_secret_post' ? { client_secret: `hashed:${app.appId}` } : {}),
    ...(keys.length > 0 ? { jwks: { keys: keys.map((k) => JSON.parse(k.key) as Record<string, unknown>) } } : {}),
  };
}

/**
 * One tenant's OpenID provider: issuer `{base}/{tid}/v2.0`, its own keys, cookies and storage.
 * `pages` gives the renderer of the pages the provider shows itself (read when a page is shown).
 */
export function createTenantProvider(deps: OidcDeps, scope: TenantScope, keys: TenantKeys, pages: () => OidcPageRenderer): Provider {
  const { config, users, applications } = deps;
  const baseUrl = config.baseUrl;
  const tid = scope.tenantId;
  const graph = baseUrl;

  async function resourceInfo(indicator: string): Promise<{ appId: string; scopes: string[] } | undefined> {
    const canonical = canonicalResource(indicator, baseUrl);
    if (canonical === graph) {
      const sp = await applications.cachedServicePrincipal(scope, GRAPH_APP_ID);
      return sp ? { appId: GRAPH_APP_ID, scopes: sp.oauth2PermissionScopes.filter((s) => !OIDC_SCOPES.has(s.value)).map((s) => s.value) } : undefined;
    }
    const match = /^api:\/\/([0-9a-f-]{36})$/i.exec(canonical);
    if (!match?.[1]) return undefined;
    const sp = await applications.cachedServicePrincipal(scope, match[1].toLowerCase());
    return sp ? { appId: sp.appId, scopes: sp.oauth2PermissionScopes.map((s) => s.value) } : undefined;
  }

  /** `idp` for a guest: their home issuer (undefined for members, and for guests not yet redeemed) */
  async function guestIdp(user: { id: string; userType: string }): Promise<string | undefined> {
    if (user.userType !== 'Guest' || !deps.guestHomeIssuer) return undefined;
    return (await deps.guestHomeIssuer(scope, user.id)) ?? undefined;
  }

  const policy = interactionPolicy.base();
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  // An app that requires assignment (its service principal's appRoleAssignmentRequired) refuses a
  // signed-in user with no assignment, direct or through a group they are a direct member of:
  // Entra's AADSTS50105, as access_denied to the app's redirect URI. Checked after sign-in (and on
  // every authorization of an existing session), before consent, so no consent is asked for an app
  // the user may not use.
  policy.add(
    new interactionPolicy.Prompt(
      { name: 'app_assignment', requestable: false },
      new interactionPolicy.Check('app_assignment_required', 'the user is not assigned to the application', async (ctx: any) => {
        const accountId: string | undefined = ctx.oidc.session?.accountId;
        const clientId: string | undefined = ctx.oidc.client?.clientId;
        if (!accountId || !clientId || !deps.grants) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const sp = await applications.cachedServicePrincipal(scope, clientId);
        if (!sp?.appRoleAssignmentRequired || (await deps.grants.isAssigned(scope, accountId, sp.id))) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const upn: string = ctx.oidc.account?.user?.userPrincipalName ?? accountId;
        throw new errors.AccessDenied(
          `AADSTS50105: Your administrator has configured the application ${sp.displayName} ('${sp.appId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '${upn}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.`,
        );
      }),
    ),
    Math.max(0, policy.findIndex((prompt: { name: string }) => prompt.name === 'consent')),
  );

  const cookieKey = createHmac('sha256', config.secret).update('tessera/oidc/cookies/v1').digest('base64url');
  const short = tid.slice(0, 8);

  const provider = new Provider(issuerOf(baseUrl, tid), {
    adapter: sqlAdapter(deps.payloads, scope, async (clientId) => {
      const client = await applications.client(scope, clientId);
      // the request being served (oidc-provider's async-local context): does it authenticate with a client assertion?
      const params = (Provider as unknown as { ctx?: { oidc?: { params?: Record<string, unknown> } } }).ctx?.oidc?.params;
      return client ? clientMetadata(client, deps.clock.now(), typeof params?.client_assertion === 'string') : undefined;
    }),
    jwks: { keys: keys.privateJwks },
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = await users.find(scope, sub);
      if (!user || !user.accountEnabled) return undefined;
      const idp = await guestIdp(user);
      return {
        accountId: user.id,
        // the user as read for this request, so its token claims (extraTokenClaims) need no second read
        user,
        idp,
        claims: async () => ({
          sub: user.id,
          oid: user.id,
          tid,
          ver: '2.0',
          idp,
          name: user.displayName,
          preferred_username: user.userPrincipalName,
          given_name: user.givenName ?? undefined,
          family_name: user.surname ?? undefined,
          email: user.mail ?? undefined,
        }),
      };
    },
    claims: {
      openid: ['sub', 'oid', 'tid', 'ver', 'idp'],
      profile: ['name', 'preferred_username', 'given_name', 'family_name'],
      email: ['email'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
    },
    clientDefaults: { id_token_signed_response_alg: 'RS256', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' },
    cookies: {
      keys: [cookieKey],
      names: { session: `tessera_sso_${short}`, interaction: `tessera_int_${short}`, resume: `tessera_resume_${short}` },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: OIDC_ROUTES,
    pkce: { required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === 'none' },
    rotateRefreshToken: true,
    ttl: TTL,
    // `tessera_offline_access` is set by the Entra translation layer when the request asked for
    // offline_access (oidc-provider drops that scope unless prompt=consent; Entra does not).
    extraParams: ['domain_hint', 'client_info', 'tessera_offline_access'],
    issueRefreshToken: async (ctx: any, client: any, code: any) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || String(ctx.oidc.entities.Grant?.getOIDCScope?.() ?? '').split(' ').includes('offline_access')),
    // Refresh tokens live on their own, as in Entra, not as long as the browser session.
    expiresWithSession: async () => false,
    interactions: {
      // ui_locales travels with the sign-in pages, so they speak the language the client asked for.
      url: (_ctx: unknown, interaction: { uid: string; params: { ui_locales?: string } }) =>
        `/${tid}/interaction/${interaction.uid}${interaction.params.ui_locales ? `?ui_locales=${encodeURIComponent(interaction.params.ui_locales)}` : ''}`,
      policy,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: any, form: string) => {
          const postLogoutRedirectUri: string | undefined = ctx.oidc.params.post_logout_redirect_uri;
          sendPage(ctx, await pages().logout({ tenantId: tid, request: pageRequest(ctx), form, postLogoutRedirectUri }));
        },
        postLogoutSuccessSource: async (ctx: any) => {
          sendPage(ctx, await pages().signedOut({ tenantId: tid, request: pageRequest(ctx) }));
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf ?? graph,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          const info = await resourceInfo(indicator);
          if (!info) throw new errors.InvalidTarget(`AADSTS500011: The resource principal named ${indicator} was not found in the tenant named ${tid}.`);
          return {
            scope: info.scopes.join(' '),
            audience: info.appId,
            accessTokenTTL: TTL.AccessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: config.accessTokenAlg } },
          };
        },
      },
    },
    // Consent recorded now (tenant-wide or by this user) becomes the grant, so no consent prompt
    // appears for it; what is missing prompts (http/interactions/consent.routes.tsx). The scopes of
    // each requested resource are read afresh on every authorization: a revoked consent (Graph
    // DELETE, My Account) is gone from the grant at once, and tokens carry only what is granted.
    loadExistingGrant: async (ctx: any) => {
      const accountId: string = ctx.oidc.account.accountId;
      const clientId: string = ctx.oidc.client.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (grant && (grant.accountId !== accountId || grant.clientId !== clientId)) grant = undefined;
      grant ??= new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope(ctx.oidc.params.tessera_offline_access === '1' ? 'openid profile email offline_access' : 'openid profile email');
      const requested = ctx.oidc.params.resource;
      for (const resource of [requested ?? graph].flat() as string[]) {
        if (grant.resources) delete grant.resources[resource];
        if (grant.rejected?.resources) delete grant.rejected.resources[resource];
        const info = await resourceInfo(resource);
        if (!info) continue;
        const consented = await applications.consentedScopes(scope, clientId, info.appId, accountId);
        const values = [...consented].filter((s) => !OIDC_SCOPES.has(s));
        if (values.length > 0) grant.addResourceScope(resource, values.join(' '));
      }
      await grant.save();
      return grant;
    },
    extraTokenClaims: async (ctx: any, token: any) => {
      const client = ctx?.oidc?.client;
      const common = { tid, ver: '2.0', azp: token.clientId, azpacr: authenticationStrength(client?.clientAuthMethod) };
      if (token.kind === 'ClientCredentials') {
        const resourceAppId: string = token.resourceServer?.audience ?? GRAPH_APP_ID;
        const sp = await applications.cachedServicePrincipal(scope, token.clientId);
        const roles = await applications.applicationRoles(scope, token.clientId, resourceAppId);
        return { ...common, oid: sp?.id, idtyp: 'app', ...(roles.length > 0 ? { roles } : {}) };
      }
      // the account this request already loaded (findAccount), else a fresh read
      const loaded = ctx?.oidc?.account;
      const user = !token.accountId ? undefined : loaded?.accountId === token.accountId && loaded.user ? (loaded.user as Awaited<ReturnType<typeof users.find>>) : await users.find(scope, token.accountId);
      const scp = String(token.scope ?? '')
        .split(' ')
        .filter((s: string) => s && !OIDC_SCOPES.has(s))
        .join(' ');
      const idp = loaded?.accountId === token.accountId && 'idp' in loaded ? (loaded.idp as string | undefined) : user ? await guestIdp(user) : undefined;
      // the user's app roles on the token's resource (direct and through direct group membership)
      const resource = deps.grants && token.accountId ? await applications.cachedServicePrincipal(scope, token.resourceServer?.audience ?? GRAPH_APP_ID) : undefined;
      const roles = resource ? await deps.grants!.userAppRolesOn(scope, token.accountId, resource) : [];
      return { ...common, oid: token.accountId, idtyp: 'user', scp, ...(roles.length > 0 ? { roles } : {}), name: user?.displayName, preferred_username: user?.userPrincipalName, ...(idp ? { idp } : {}) };
    },
    formats: {
      customizers: {
        jwt: async (_ctx: unknown, token: any, jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> }) => {
          jwt.header = { ...jwt.header, typ: 'JWT' };
          delete jwt.payload.scope;
          if (token.kind === 'ClientCredentials' && jwt.payload.oid) jwt.payload.sub = jwt.payload.oid;
          return jwt;
        },
      },
    },
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris?: string[] }) =>
      (client.redirectUris ?? []).some((uri) => {
        try {
          return new URL(uri).origin === origin;
        } catch {
          return false;
        }
      }),
    renderError: async (ctx: any, out: { error: string; error_description?: string }) => {
      const flow = String(ctx.oidc?.route ?? '').startsWith('end_session') ? 'signOut' : 'signIn';
      try {
        sendPage(ctx, await pages().error({ tenantId: tid, request: pageRequest(ctx), error: out.error, description: out.error_description, flow }));
      } catch (error) {
        // this is already the error path: if the page cannot be rendered, the error is still told, as plain text
        deps.logger.error({ err: error, tenantId: tid }, 'could not render the OIDC error page');
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = `${out.error}${out.error_description ? `: ${out.error_description}` : ''}`;
      }
    },
    discovery: {
      tenant_region_scope: null,
      cloud_instance_name: new URL(baseUrl).host,
      cloud_graph_host_name: new URL(baseUrl).host,
      msgraph_host: new URL(baseUrl).host,
      rbac_url: baseUrl,
      userinfo_endpoint: `${baseUrl}/${tid}${OIDC_ROUTES.userinfo}`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
    },
  });

  // The proxy headers are set by Tessera itself (from TESSERA_BASE_URL) just before dispatch, so
  // every URL the provider builds uses the public origin.
  provider.proxy = true;

  // Client secrets exist only as keyed hashes; compare the presented secret's hash with them.
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(this: { clientId: string }, actual: string): Promise<boolean> {
    const client = await applications.client(scope, this.clientId);
    return client ? applications.secretMatches(client.application, actual) : false;
  };

  // MSAL asks for `client_info` (its account key) and reads Entra's `ext_expires_in`; token errors
  // carry Entra's AADSTS code, timestamp and ids, as MSAL shows them.
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    await next();
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'no-referrer');
    if (ctx.response.is('html')) ctx.set('x-frame-options', 'DENY');
    if (ctx.oidc?.route === 'end_session_confirm') keepUiLocales(ctx);
    if (ctx.oidc?.route !== 'token' || !ctx.body || typeof ctx.body !== 'object') return;
    const body = ctx.body as Record<string, unknown>;
    if (ctx.status >= 400 && typeof body.error === 'string') {
      entraError(body, Boolean(ctx.oidc.entities?.Client), deps.clock);
      return;
    }
    if (ctx.status !== 200) return;
    if (typeof body.expires_in === 'number') body.ext_expires_in = body.expires_in;
    const accountId: string | undefined = ctx.oidc.entities?.Account?.accountId ?? ctx.oidc.account?.accountId;
    if (accountId && ctx.oidc.body?.client_info === '1') {
      body.client_info = Buffer.from(JSON.stringify({ uid: accountId, utid: tid })).toString('base64url');
    }
  });

  provider.on('server_error', (_ctx: unknown, error: Error) => deps.logger.error({ err: error, tenantId: tid }, 'oidc provider error'));
  return provider;
}

/** What a page needs of the request oidc-provider is handling (its address as the browser sent it). */
function pageRequest(ctx: any): OidcPageRequest {
  const body = ctx.method === 'POST' ? ctx.oidc?.body : undefined;
  return {
    method: ctx.method,
    url: ctx.req[kPublicUrl] ?? ctx.req.originalUrl ?? ctx.originalUrl,
    headers: ctx.headers,
    query: ctx.query ?? {},
    body: body && typeof body === 'object' ? body : undefined,
  };
}

function sendPage(ctx: any, page: OidcPage): void {
  ctx.set(page.headers);
  ctx.body = page.html;
}

/**
 * The sign-out confirmation posts `ui_locales` along (a field outside oidc-provider's form, tied to
 * it by `form=`); oidc-provider's own redirect to the signed-out page would drop it, so it is put
 * back there, and a sign-out asked for in Dutch ends on a Dutch page.
 */
function keepUiLocales(ctx: any): void {
  const uiLocales: unknown = ctx.oidc.body?.ui_locales;
  const location: string | undefined = ctx.response.get('location') || undefined;
  if (ctx.status !== 303 || typeof uiLocales !== 'string' || !/^[A-Za-z0-9 -]{1,64}$/.test(uiLocales) || !location) return;
  const success = ctx.oidc.urlFor('end_session_success');
  if (location !== success && !location.startsWith(`${success}?`)) return;
  const url = new URL(location);
  url.searchParams.set('ui_locales', uiLocales);
  ctx.set('location', url.toString());
}

/** Entra's AADSTS codes for oidc-provider's token errors (the provider's own explanation follows). */
const AADSTS: Record<string, number> = {
  invalid_grant: 70008,
  invalid_request: 900144,
  invalid_scope: 70011,
  invalid_target: 500011,
  unauthorized_client: 700016,
  unsupported_grant_type: 70003,
};

function entraError(body: Record<string, unknown>, clientKnown: boolean, clock: Clock): void {
  const description = typeof body.error_description === 'string' ? body.error_description : body.error;
  let code = AADSTS[String(body.error)] ?? 90000;
  if (body.error === 'invalid_client') code = clientKnown ? 7000215 : 700016;
  if (!/^AADSTS\d+:/.test(String(description))) body.error_description = `AADSTS${code}: ${description}`;
  else code = Number(/^AADSTS(\d+)/.exec(String(description))?.[1] ?? code);
  body.error_codes = [code];
  body.timestamp = clock.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const id = randomUUID();
  body.trace_id = id;
  body.correlation_id = id;
}
