import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isAppError } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';
import { GRAPH_APP_ID, OIDC_SCOPES, type TenantWideInput } from '../../modules/consent/index.ts';
import { parseScopes, ScopeError } from '../../oidc/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { verifyCsrf } from '../pages/index.ts';
import { type AdminConsentParams, AdminConsentPage, InvalidAdminConsentPage } from './admin-consent.pages.tsx';
import type { Visitor } from './myaccount.plugin.tsx';

/** Limits of the /adminconsent parameters (Entra documents none; ours, as data). */
export const ADMIN_CONSENT_LIMITS = { tenant: 253, redirectUri: 2048, state: 2048, scope: 2048 } as const;

const HOME_REALMS = new Set(['organizations', 'common']);

/** Entra's error when the administrator cancels. */
const CANCELLED = 'AADSTS65004: User declined to consent to access the app.';

/**
 * `/{tenant}/v2.0/adminconsent` (Entra's admin consent endpoint, graph-reference §12.1) hands over
 * to My Account's scope, whose first-party sign-in (relying-party.ts) signs the administrator in;
 * `{tenant}` may be `organizations`/`common` (then the administrator's own tenant).
 */
export const adminConsentEntryRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { tenant: string } }>('/:tenant/v2.0/adminconsent', async (request, reply) => {
    const query = new URLSearchParams();
    query.set('tenant', request.params.tenant);
    const given = request.query as Record<string, unknown>;
    for (const name of ['client_id', 'redirect_uri', 'state', 'scope', 'ui_locales']) {
      if (typeof given[name] === 'string') query.set(name, given[name]);
    }
    return reply.header('cache-control', 'no-store').redirect(`/myaccount/adminconsent?${query}`, 303);
  });
};

export interface AdminConsentOptions {
  container: Container;
  visitorOf: (request: FastifyRequest) => Promise<Visitor | null>;
  startSignIn: (request: FastifyRequest, reply: FastifyReply, returnTo?: string, tenantId?: string) => Promise<FastifyReply>;
}

/** The request's parameters, or the first problem with them. */
function readParams(source: Record<string, unknown>): AdminConsentParams | string {
  const text = (name: string, max: number, required: boolean): string | undefined | null => {
    const value = source[name];
    if (value === undefined || value === '') return required ? null : undefined;
    return typeof value === 'string' && value.length <= max ? value : null;
  };
  const tenant = text('tenant', ADMIN_CONSENT_LIMITS.tenant, true);
  const clientId = text('client_id', 36, true);
  const redirectUri = text('redirect_uri', ADMIN_CONSENT_LIMITS.redirectUri, true);
  const state = text('state', ADMIN_CONSENT_LIMITS.state, false);
  const scope = text('scope', ADMIN_CONSENT_LIMITS.scope, false);
  if (!tenant) return 'tenant';
  if (!clientId || !isGuid(clientId)) return 'client_id';
  if (!redirectUri) return 'redirect_uri';
  if (state === null) return 'state';
  if (scope === null) return 'scope';
  return { tenant, client_id: clientId.toLowerCase(), redirect_uri: redirectUri, ...(state !== undefined ? { state } : {}), ...(scope !== undefined ? { scope } : {}) };
}

/**
 * My Account's `/myaccount/adminconsent`: an administrator grants an app's permissions for the
 * whole organization. The app must be known to the tenant and `redirect_uri` one of its registered
 * redirect URIs, else an error page (never a redirect). The permissions are the `scope`
 * parameter's, or with `.default` (or none) the app's requiredResourceAccess, application
 * permissions included. Accept grants them (AllPrincipals grants, app role assignments) and
 * returns `admin_consent=True&tenant=...`; Cancel and a user who may not grant them return
 * Entra's `error=access_denied` and change nothing.
 */
export const adminConsentRoutes: FastifyPluginAsync<AdminConsentOptions> = async (app, { container, visitorOf, startSignIn }) => {
  const { config } = container;

  const invalid = (request: FastifyRequest, reply: FastifyReply, message: string, status = 400) =>
    reply.page(<InvalidAdminConsentPage message={message} />, { status, title: request.t('consent.admin.invalidTitle') });

  /** The permissions asked for: a resource's scopes, or (`.default`, or no scope) the app's requiredResourceAccess. */
  function inputOf(params: AdminConsentParams): TenantWideInput {
    const parsed = parseScopes(params.scope, config.baseUrl);
    if (parsed.isDefault || (parsed.values.length === 0 && parsed.oidc.length === 0)) return { clientAppId: params.client_id };
    const resourceAppId = !parsed.resource || parsed.resource === config.baseUrl ? GRAPH_APP_ID : parsed.resource.replace(/^api:\/\//, '');
    const scopes: Record<string, string[]> = {};
    if (parsed.values.length > 0) scopes[resourceAppId] = parsed.values;
    // the sign-in scopes are Microsoft Graph's permissions
    const signIn = parsed.oidc.filter((s) => OIDC_SCOPES.has(s));
    if (signIn.length > 0) scopes[GRAPH_APP_ID] = [...(scopes[GRAPH_APP_ID] ?? []), ...signIn];
    return { clientAppId: params.client_id, scopes };
  }

  /** redirect_uri with Entra's response parameters added. */
  const back = (reply: FastifyReply, params: AdminConsentParams, values: Record<string, string | undefined>) => {
    const url = new URL(params.redirect_uri);
    for (const [name, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(name, value);
    if (params.state !== undefined) url.searchParams.set('state', params.state);
    return reply.header('cache-control', 'no-store').redirect(url.toString(), 303);
  };
  const denied = (reply: FastifyReply, params: AdminConsentParams, tenantId: string, subcode: string | undefined, description: string) =>
    back(reply, params, { error: 'access_denied', error_subcode: subcode, error_description: description, tenant: tenantId });

  /**
   * Everything that must hold before the page is shown or the POST acts: parameters, a signed-in
   * administrator's tenant (signing in first when needed), the app and its redirect URI. Returns
   * null when the reply has been sent.
   */
  async function resolve(request: FastifyRequest, reply: FastifyReply, source: Record<string, unknown>): Promise<{ params: AdminConsentParams; scope: TenantScope; visitor: Visitor; input: TenantWideInput } | null> {
    const params = readParams(source);
    if (typeof params === 'string') {
      await invalid(request, reply, request.t('consent.admin.badRequest', { problem: params }));
      return null;
    }
    let input: TenantWideInput;
    try {
      input = inputOf(params);
    } catch (error) {
      if (!(error instanceof ScopeError)) throw error;
      await invalid(request, reply, request.t('consent.admin.badRequest', { problem: error.message }));
      return null;
    }
    const realm = HOME_REALMS.has(params.tenant.toLowerCase());
    const wanted = realm ? null : await container.tenants.resolve(params.tenant);
    if (!realm && !wanted) {
      await invalid(request, reply, request.t('consent.admin.badRequest', { problem: 'tenant' }), 404);
      return null;
    }
    // a named tenant: the app and redirect URI are checked before anyone signs in
    if (wanted && !(await checkTarget(request, reply, wanted, params))) return null;
    const visitor = await visitorOf(request);
    if (!visitor || (wanted && visitor.scope.tenantId !== wanted.tenantId)) {
      const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
      await startSignIn(request, reply, `/myaccount/adminconsent?${query}`, wanted?.tenantId);
      return null;
    }
    if (!wanted && !(await checkTarget(request, reply, visitor.scope, params))) return null;
    return { params, scope: visitor.scope, visitor, input };
  }

  async function checkTarget(request: FastifyRequest, reply: FastifyReply, scope: TenantScope, params: AdminConsentParams): Promise<boolean> {
    const target = await container.consent.adminConsentTarget(scope, params.client_id, params.redirect_uri);
    if (target === 'ok') return true;
    await invalid(request, reply, target === 'unknownApp' ? request.t('consent.admin.unknownApp', { clientId: params.client_id }) : request.t('consent.admin.badRedirect'));
    return false;
  }

  /** Errors about the request itself (a scope the resource lacks, a resource not here) go back to the app, like Entra's. */
  const requestError = (error: unknown) => isAppError(error) && ['consent.unknownScope', 'consent.unknownAppRole', 'consent.resourceNotFound', 'consent.servicePrincipalDisabled'].includes(error.code);

  app.get('/adminconsent', async (request, reply) => {
    const resolved = await resolve(request, reply, request.query as Record<string, unknown>);
    if (!resolved) return reply;
    const { params, scope, visitor, input } = resolved;
    let view;
    try {
      view = await container.consent.adminConsentPrompt(scope, visitor.session.userId, input);
    } catch (error) {
      if (!requestError(error)) throw error;
      return back(reply, params, { error: 'invalid_request', error_description: (error as Error).message, tenant: scope.tenantId });
    }
    // not an administrator who may grant this: nothing is shown to accept, the app is told
    if (!view.mayGrant) return denied(reply, params, scope.tenantId, undefined, 'AADSTS90094: The grant requires admin permission.');
    return reply.page(
      <AdminConsentPage app={view.app} permissions={view.permissions} organization={visitor.profile.organization} signedInAs={visitor.profile.userPrincipalName} params={params} action="/myaccount/adminconsent" />,
      { title: request.t('consent.admin.title'), formActionOrigins: [new URL(params.redirect_uri).origin] },
    );
  });

  app.post('/adminconsent', { preHandler: verifyCsrf }, async (request, reply) => {
    const resolved = await resolve(request, reply, request.body as Record<string, unknown>);
    if (!resolved) return reply;
    const { params, scope, visitor, input } = resolved;
    if ((request.body as Record<string, unknown>).decision !== 'accept') return denied(reply, params, scope.tenantId, 'cancel', CANCELLED);
    try {
      await container.consent.adminConsentBySignedInUser(scope, visitor.session.userId, input);
    } catch (error) {
      if (isAppError(error) && error.code === 'consent.adminConsentForbidden') return denied(reply, params, scope.tenantId, undefined, 'AADSTS90094: The grant requires admin permission.');
      if (!requestError(error)) throw error;
      return back(reply, params, { error: 'invalid_request', error_description: (error as Error).message, tenant: scope.tenantId });
    }
    return back(reply, params, { admin_consent: 'True', tenant: scope.tenantId, scope: params.scope });
  });
};
