import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { GuestHome } from '../../modules/invitations/index.ts';
import type { AccountSessionsService } from '../../modules/signin/account-sessions.service.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { type Branding, pagesPlugin, verifyCsrf } from '../pages/index.ts';
import { localPath } from '../pages/return-path.ts';
import { type Profile, ProfilePage, SignedOutPage, SignInFailedPage, UnknownOrganizationPage } from './myaccount.pages.tsx';
import { adminConsentEntryRoutes, adminConsentRoutes } from './admin-consent.routes.tsx';
import { organizationsRoutes } from './organizations.routes.tsx';
import { appsRoutes } from './apps.routes.tsx';
import { MyAccountRelyingParty, SignInError } from './relying-party.ts';
import { MyAccountCookies, type MyAccountSession, SESSION_COOKIE } from './session-cookie.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `/myaccount?tenantId=`: a tenant id or one of its verified domains (a DNS name is at most 253 characters). */
export const MY_ACCOUNT_LIMITS = { tenantId: 253 } as const;

/** Only a My Account page may be returned to after sign-in. */
const isMyAccountPath = (path: string) => path === '/myaccount' || path.startsWith('/myaccount/') || path.startsWith('/myaccount?');

type Tenant = NonNullable<Awaited<ReturnType<Container['tenants']['get']>>>;

const brandingOf = (tenant: Tenant): Branding => ({ tenantName: tenant.displayName, logoUrl: tenant.branding.logoUrl, backgroundColor: tenant.branding.backgroundColor });

export interface MyAccountOptions {
  container: Container;
  /** ends every sign-in session of a user (Sign out everywhere) */
  accountSessions: AccountSessionsService;
}

/** A signed-in visitor whose session still stands: the cookie, their tenant and profile. */
export interface Visitor {
  session: MyAccountSession;
  scope: TenantScope;
  profile: Profile;
  branding: Branding;
  /** a guest of the session's tenant: who they are at home (null for members, and for a guest with no home link) */
  guest: GuestHome | null;
}

/**
 * My Account (`/myaccount`, DESIGN §1 and §7): the signed-in user's profile, sign-out and
 * "Sign out everywhere", as server-rendered pages on the pages framework (en/nl, branding of the
 * user's tenant, CSRF on every POST, no client script). It signs in as an OpenID Connect relying
 * party of this same server (see relying-party.ts) and keeps its session in a sealed HttpOnly
 * cookie; a session stands only while its grant at the tenant's provider does, so signing out
 * everywhere (or at the provider) ends it in every browser.
 *
 * Self-contained: registers its own encapsulated pages scope under `/myaccount`.
 */
export const myAccountPlugin: FastifyPluginAsync<MyAccountOptions> = async (app, { container, accountSessions }) => {
  const { config } = container;
  const relyingParty = new MyAccountRelyingParty(
    () => config.baseUrl,
    () => container.applications.myAccountClientSecret(),
  );
  const cookies = new MyAccountCookies(
    container.secrets,
    () => container.clock.now(),
    () => config.baseUrl.startsWith('https:'),
  );
  const visitors = new WeakMap<FastifyRequest, Promise<Visitor | null>>();

  /** The request's signed-in visitor, or null (no cookie, a cookie this server did not seal, or a session that has ended). */
  function visitorOf(request: FastifyRequest): Promise<Visitor | null> {
    let visitor = visitors.get(request);
    if (!visitor) {
      visitor = loadVisitor(request);
      visitors.set(request, visitor);
    }
    return visitor;
  }

  async function loadVisitor(request: FastifyRequest): Promise<Visitor | null> {
    const session = cookies.readSession(request);
    if (!session) return null;
    const scope = await container.tenants.resolve(session.tenantId);
    if (!scope) return null;
    if (!(await container.oidcPayloads.grantIsLive(scope, session.grantId, session.userId))) return null;
    const [user, tenant] = await Promise.all([container.users.find(scope, session.userId), container.tenants.get(scope)]);
    if (!user?.accountEnabled || !tenant) return null;
    const isGuest = user.userType === 'Guest';
    return {
      session,
      scope,
      profile: {
        displayName: user.displayName,
        mail: user.mail,
        userPrincipalName: user.userPrincipalName,
        jobTitle: user.jobTitle,
        department: user.department,
        officeLocation: user.officeLocation,
        organization: tenant.displayName,
        isGuest,
      },
      branding: brandingOf(tenant),
      guest: isGuest ? await container.invitations.guestHome(scope, user.id) : null,
    };
  }

  /**
   * The signed-out page has no session left to know the tenant by: it is named in the URL instead
   * (`tenant`, or `state` when the provider sends the browser back after logout).
   */
  async function signedOutBranding(request: FastifyRequest): Promise<Branding | null> {
    if (request.routeOptions.url !== '/myaccount/signed-out') return null;
    const query = request.query as Record<string, unknown>;
    const tenantId = [query.tenant, query.state].find((value): value is string => typeof value === 'string' && GUID.test(value));
    const scope = tenantId ? await container.tenants.resolve(tenantId) : null;
    const tenant = scope ? await container.tenants.get(scope) : undefined;
    return tenant ? brandingOf(tenant) : null;
  }

  /** Off to the sign-in pages (`organizations`, or the tenant `tenantId`); back at `returnTo` (a My Account page) afterwards. */
  async function startSignIn(request: FastifyRequest, reply: FastifyReply, returnTo = '/myaccount', tenantId?: string) {
    const { url, pending } = await relyingParty.startSignIn(returnTo, request.locale, tenantId);
    cookies.writePending(reply, pending);
    // a session cookie that did not stand (tampered, expired, ended elsewhere) goes; one that
    // stands stays until a sign-in at another organization replaces it
    if (request.cookies[SESSION_COOKIE] && !(await visitorOf(request))) cookies.clearSession(reply);
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  }

  const signInFailed = (reply: FastifyReply) => reply.page(<SignInFailedPage />, { status: 400, title: reply.request.t('error.title') });

  await app.register(
    async (pages) => {
      await pages.register(pagesPlugin, {
        secret: config.secret,
        baseUrl: config.baseUrl,
        resolveBranding: async (request) => (await visitorOf(request))?.branding ?? signedOutBranding(request),
      });

      pages.get('/', async (request, reply) => {
        const visitor = await visitorOf(request);
        // back here afterwards, with the query (ui_locales, tenantId) this page was asked with
        const returnTo = localPath(request.url) ?? '/myaccount';
        // `?tenantId=` (Entra's): My Account at that organization, signed in there (a guest through their home)
        const wanted = (request.query as Record<string, unknown>).tenantId;
        if (wanted !== undefined) {
          const scope = typeof wanted === 'string' && wanted.length > 0 && wanted.length <= MY_ACCOUNT_LIMITS.tenantId ? await container.tenants.resolve(wanted) : null;
          if (!scope) return reply.page(<UnknownOrganizationPage />, { status: 404, title: request.t('myAccount.unknownOrganization.title') });
          if (visitor?.scope.tenantId !== scope.tenantId) return startSignIn(request, reply, returnTo, scope.tenantId);
        }
        if (!visitor) return startSignIn(request, reply, returnTo);
        return reply.page(<ProfilePage profile={visitor.profile} />, { title: request.t('myAccount.title'), width: 'wide' });
      });

      pages.get('/callback', async (request, reply) => {
        const pending = cookies.readPending(request);
        cookies.clearPending(reply);
        if (!pending) return signInFailed(reply);
        const query = new URLSearchParams(request.query as Record<string, string>);
        try {
          const result = await relyingParty.completeSignIn(query, pending);
          const scope = await container.tenants.resolve(result.tenantId);
          // The grant this sign-in belongs to, from the (now redeemed) authorization code.
          const grantId = scope && (await container.oidcPayloads.grantOfCode(scope, query.get('code') ?? '', result.userId));
          if (!grantId) throw new SignInError('the authorization code has no grant for this user');
          cookies.writeSession(reply, { tenantId: result.tenantId, userId: result.userId, idToken: result.idToken, grantId });
          const returnTo = localPath(pending.returnTo);
          return reply.header('cache-control', 'no-store').redirect(returnTo && isMyAccountPath(returnTo) ? returnTo : '/myaccount', 303);
        } catch (error) {
          if (!(error instanceof SignInError)) throw error;
          request.log.warn({ err: error }, 'My Account sign-in failed');
          return signInFailed(reply);
        }
      });

      // Signs out of My Account here, then of the tenant's provider (RP-initiated logout).
      pages.post('/sign-out', { preHandler: verifyCsrf }, async (request, reply) => {
        const session = cookies.readSession(request);
        cookies.clearSession(reply);
        const target = session ? await relyingParty.endSessionUrl(session.tenantId, session.idToken, request.locale) : '/myaccount/signed-out';
        return reply.header('cache-control', 'no-store').redirect(target, 303);
      });

      pages.post('/sign-out-everywhere', { preHandler: verifyCsrf }, async (request, reply) => {
        const visitor = await visitorOf(request);
        if (!visitor) return startSignIn(request, reply);
        await accountSessions.signOutEverywhere(visitor.scope, visitor.session.userId);
        cookies.clearSession(reply);
        return reply.header('cache-control', 'no-store').redirect(`/myaccount/signed-out?everywhere=1&tenant=${visitor.scope.tenantId}`, 303);
      });

      // Organizations: the home tenant and those the user is a guest of, with Leave (B2B)
      await pages.register(organizationsRoutes, { container, visitorOf, startSignIn, endSession: (reply) => cookies.clearSession(reply) });

      // Apps: the apps the user (or the organization) consented to, with Revoke (issue 16)
      await pages.register(appsRoutes, { container, visitorOf, startSignIn });

      // /{tenant}/v2.0/adminconsent: an administrator grants an app's permissions for the organization (issue 16)
      await pages.register(adminConsentRoutes, { container, visitorOf, startSignIn });

      pages.get('/signed-out', async (request, reply) => {
        const everywhere = (request.query as Record<string, unknown>).everywhere === '1';
        return reply.page(<SignedOutPage everywhere={everywhere} />, { title: everywhere ? request.t('myAccount.signedOutEverywhere') : request.t('signedOut.title') });
      });
    },
    { prefix: '/myaccount' },
  );
  // Entra's admin consent endpoint, handed over to /myaccount/adminconsent (its sign-in is My Account's)
  await app.register(adminConsentEntryRoutes);
};
