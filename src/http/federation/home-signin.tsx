import type { FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import type { Container } from '../../container.ts';
import type { HomeIdentity } from '../../modules/invitations/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { fromEmailCode } from '../../modules/federation/index.ts';
import { ContinuePage } from './federation.pages.tsx';
import { SealedCookies } from './sealed-cookies.ts';

/** Where the browser goes once the guest's home has said who they are. */
export type Continuation =
  /** redemption by the e-mail link: Review permissions, then the invitation's redirect URL */
  | { kind: 'redeem'; tenantId: string; guestId: string; ticket: string }
  /** the inviting tenant's sign-in interaction (direct link, or an accepted guest signing in) */
  | { kind: 'interaction'; tenantId: string; uid: string };

/** Where an OpenID Connect sign-in of the flow is going on. */
export type HomeTarget = { kind: 'tenant' | 'personal'; tenantId: string } | { kind: 'oidc'; providerId: string };

/** One home sign-in, kept (sealed) in the browser while it runs. */
export interface FederationFlow {
  /** the organization the guest is being let into */
  invitingTenantId: string;
  email: string;
  continuation: Continuation;
  /** the language of the pages that began it, carried to the home's sign-in pages and back */
  uiLocales: string | null;
  /** e-mail one-time passcode may be offered instead of a personal account */
  emailOtp: boolean;
  /** the OpenID Connect request in flight: what the callback must check */
  oidc?: { target: HomeTarget; state: string; nonce: string; codeVerifier: string };
  /** the one-time code mailed for this flow */
  otp?: { codeId: string };
}

export const FLOW_COOKIE = 'tessera_federation';
export const FLOW_PATH = '/federation';
const FLOW_SECONDS = 15 * 60;
export const REDEEM_COOKIE = 'tessera_redeem';
export const REDEEM_PATH = '/redeem';
const REDEEM_SECONDS = 15 * 60;
export const GUEST_HOME_COOKIE = 'tessera_guest_home';
const GUEST_HOME_SECONDS = 5 * 60;
const DISCOVERY_CACHE_MS = 10 * 60 * 1000;
/** discovered homes kept per node (tenants here and partners' providers); past it the cache starts over */
const MAX_CACHED_CONFIGS = 1000;

/** What the redemption pages keep after home sign-in: which invitation, and who accepts it. */
export interface RedeemState {
  tenantId: string;
  guestId: string;
  ticket: string;
  home: HomeIdentity;
  uiLocales: string | null;
}

/** What the interaction's `/federated` step receives: who the guest is at home, for this interaction only. */
export interface GuestHomeState {
  tenantId: string;
  uid: string;
  home: HomeIdentity;
}

export class HomeSignInError extends Error {}

/**
 * Home sign-in for guests (issue 15 item 3), the browser side: it finds the invitee's home
 * (FederationService.discover), sends the browser there as an OpenID Connect relying party
 * (openid-client; state, nonce and PKCE in a sealed cookie bound to this purpose), or to the
 * e-mail one-time passcode pages, and hands the resulting HomeIdentity to the continuation
 * (redemption or the inviting tenant's sign-in interaction) in another sealed cookie, scoped to
 * the path of the page that takes it.
 */
export class HomeSignIn {
  readonly cookies: SealedCookies;
  readonly #configs = new Map<string, { config: Promise<client.Configuration>; until: number }>();

  constructor(private readonly container: Container) {
    this.cookies = new SealedCookies(container.secrets, () => container.clock.now(), () => container.config.baseUrl.startsWith('https:'));
  }

  get redirectUri(): string {
    return `${this.container.config.baseUrl}/federation/callback`;
  }

  /** Finds the home of `email` and sends the browser there (or to the one-time passcode page). */
  async begin(reply: FastifyReply, input: { inviting: TenantScope; email: string; continuation: Continuation; uiLocales: string | null }): Promise<FastifyReply> {
    const { federation } = this.container;
    const found = await federation.discover(input.inviting, input.email);
    // At a sign-in page anyone can type any address: a passcode is mailed only to an address that
    // is a guest here (a redemption link already names its guest), so the page sends no mail to strangers.
    const emailOtp = found.emailOtp && (input.continuation.kind === 'redeem' || (await this.container.invitations.findGuestForSignIn(input.inviting, fromEmailCode(found.email))) !== null);
    const flow: FederationFlow = { invitingTenantId: input.inviting.tenantId, email: found.email, continuation: input.continuation, uiLocales: input.uiLocales, emailOtp };
    const { home } = found;
    if (home.kind === 'tenant') return this.authorize(reply, flow, { kind: 'tenant', tenantId: home.tenantId });
    if (home.kind === 'oidc') return this.authorize(reply, flow, { kind: 'oidc', providerId: home.providerId });
    // no organizational home: an existing personal account signs in; otherwise the passcode is offered first when allowed
    if (emailOtp && !home.accountExists) {
      this.writeFlow(reply, flow);
      return this.redirect(reply, this.pageUrl('/federation/email', flow));
    }
    return this.authorize(reply, flow, { kind: 'personal', tenantId: (await federation.personalTenant()).tenantId });
  }

  /** Starts the OpenID Connect request at `target` for this flow. */
  async authorize(reply: FastifyReply, flow: FederationFlow, target: HomeTarget): Promise<FastifyReply> {
    const config = await this.#configFor(flow, target);
    const oidc = { target, state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const scope = target.kind === 'oidc' ? ((await this.container.federation.providerClient(await this.#inviting(flow), target.providerId))?.scope ?? 'openid') : 'openid profile email';
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope,
      state: oidc.state,
      nonce: oidc.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(oidc.codeVerifier),
      code_challenge_method: 'S256',
      login_hint: flow.email,
      ...(flow.uiLocales ? { ui_locales: flow.uiLocales } : {}),
    });
    this.writeFlow(reply, { ...flow, oidc, otp: undefined });
    // a provider elsewhere is reached by a new navigation (ContinuePage), out of the reach of the posting form's form-action
    return url.origin === new URL(this.container.config.baseUrl).origin ? this.redirect(reply, url.toString()) : this.continueTo(reply, url.toString());
  }

  /** The flow of this browser, if one is running. */
  readFlow(request: FastifyRequest): FederationFlow | null {
    return this.cookies.read<FederationFlow>(request, FLOW_COOKIE, 'federation');
  }

  writeFlow(reply: FastifyReply, flow: FederationFlow): void {
    this.cookies.write(reply, FLOW_COOKIE, { path: FLOW_PATH, seconds: FLOW_SECONDS, purpose: 'federation' }, flow);
  }

  clearFlow(reply: FastifyReply): void {
    this.cookies.clear(reply, FLOW_COOKIE, FLOW_PATH);
  }

  /**
   * The authorization response at `/federation/callback`: redeems the code (PKCE, state, nonce,
   * issuer checked by openid-client) and turns the ID token into a HomeIdentity by the module's rules.
   * Throws HomeSignInError for an error response or a failed check (an AppError for a home whose
   * answer breaks the e-mail rules).
   */
  async complete(flow: FederationFlow, query: URLSearchParams): Promise<HomeIdentity> {
    const pending = flow.oidc;
    if (!pending) throw new HomeSignInError('no sign-in is in progress');
    if (query.get('error')) throw new HomeSignInError(`the home answered ${query.get('error')}: ${query.get('error_description') ?? ''}`);
    let claims: Record<string, unknown> | undefined;
    try {
      const config = await this.#configFor(flow, pending.target);
      const tokens = await client.authorizationCodeGrant(config, new URL(`${this.redirectUri}?${query}`), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as Record<string, unknown> | undefined;
      // Providers that keep profile claims out of the ID token of a code flow (OpenID Connect Core
      // §5.4; oidc-provider's default) give them at userinfo, for the same subject (checked).
      if (claims && pending.target.kind === 'oidc' && typeof claims.email !== 'string' && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
      }
    } catch (error) {
      throw new HomeSignInError(`the authorization response was refused: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (!claims) throw new HomeSignInError('no ID token');
    const { federation } = this.container;
    const target = pending.target;
    if (target.kind === 'oidc') {
      const provider = await federation.providerClient(await this.#inviting(flow), target.providerId);
      if (!provider) throw new HomeSignInError('the identity provider was removed meanwhile');
      return federation.identityFromProvider(provider, claims);
    }
    if (claims.tid !== target.tenantId) throw new HomeSignInError('the ID token names another tenant');
    return federation.identityFromTenant(target.tenantId, claims);
  }

  /** Hands `home` to the flow's continuation and sends the browser there. */
  deliver(reply: FastifyReply, flow: FederationFlow, home: HomeIdentity): FastifyReply | Promise<FastifyReply> {
    this.clearFlow(reply);
    const { continuation } = flow;
    const locales = flow.uiLocales ? `?ui_locales=${encodeURIComponent(flow.uiLocales)}` : '';
    if (continuation.kind === 'redeem') {
      const state: RedeemState = { tenantId: continuation.tenantId, guestId: continuation.guestId, ticket: continuation.ticket, home, uiLocales: flow.uiLocales };
      this.cookies.write(reply, REDEEM_COOKIE, { path: REDEEM_PATH, seconds: REDEEM_SECONDS, purpose: 'redeem' }, state);
      return this.redirect(reply, `/redeem/review${locales}`);
    }
    const path = interactionPath(continuation.tenantId, continuation.uid);
    const state: GuestHomeState = { tenantId: continuation.tenantId, uid: continuation.uid, home };
    this.cookies.write(reply, GUEST_HOME_COOKIE, { path, seconds: GUEST_HOME_SECONDS, purpose: 'guestHome' }, state);
    // the interaction may end at the inviting tenant's client, another origin than the home's forms allow
    return this.continueTo(reply, `${path}/federated${locales}`);
  }

  /** Where a guest who gives up (or whose home failed) can start again. */
  restartUrl(flow: FederationFlow): string {
    const { continuation } = flow;
    const locales = flow.uiLocales ? `&ui_locales=${encodeURIComponent(flow.uiLocales)}` : '';
    if (continuation.kind === 'redeem') {
      return `/redeem?${new URLSearchParams({ tenant: continuation.tenantId, user: continuation.guestId, ticket: continuation.ticket, ver: '2.0' })}${locales}`;
    }
    return `${interactionPath(continuation.tenantId, continuation.uid)}/username${flow.uiLocales ? `?ui_locales=${encodeURIComponent(flow.uiLocales)}` : ''}`;
  }

  readRedeem(request: FastifyRequest): RedeemState | null {
    return this.cookies.read<RedeemState>(request, REDEEM_COOKIE, 'redeem');
  }

  clearRedeem(reply: FastifyReply): void {
    this.cookies.clear(reply, REDEEM_COOKIE, REDEEM_PATH);
  }

  /** The home identity handed to one interaction, once (the cookie is cleared as it is read). */
  takeGuestHome(request: FastifyRequest, reply: FastifyReply, tenantId: string, uid: string): HomeIdentity | null {
    const state = this.cookies.read<GuestHomeState>(request, GUEST_HOME_COOKIE, 'guestHome');
    if (request.cookies[GUEST_HOME_COOKIE]) this.cookies.clear(reply, GUEST_HOME_COOKIE, interactionPath(tenantId, uid));
    return state && state.tenantId === tenantId && state.uid === uid ? state.home : null;
  }

  /** A page of the federation flow, in the flow's language. */
  pageUrl(path: string, flow: FederationFlow): string {
    return `${path}${flow.uiLocales ? `?ui_locales=${encodeURIComponent(flow.uiLocales)}` : ''}`;
  }

  redirect(reply: FastifyReply, url: string): FastifyReply {
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  }

  /**
   * Goes on to `url` in a new navigation: a page with `Refresh: 0` (and a link) instead of a
   * redirect. A redirect chain that began with a form submission is held to that form's CSP
   * `form-action` all the way; home sign-in leads to other origins no form here could name (a
   * partner's provider, the inviting tenant's client), so the chain is broken where it leaves.
   */
  async continueTo(reply: FastifyReply, url: string): Promise<FastifyReply> {
    reply.header('refresh', `0;url=${url}`).header('cache-control', 'no-store');
    await reply.page(<ContinuePage href={url} />, { title: reply.request.t('federation.continue.title') });
    return reply;
  }

  async #inviting(flow: FederationFlow): Promise<TenantScope> {
    const scope = await this.container.tenants.resolve(flow.invitingTenantId);
    if (!scope) throw new HomeSignInError('the inviting organization no longer exists');
    return scope;
  }

  /** The discovered configuration of the flow's home, cached a while (a failed discovery is not). */
  async #configFor(flow: FederationFlow, target: HomeTarget): Promise<client.Configuration> {
    const { federation } = this.container;
    let issuer: string;
    let clientId: string;
    let auth: client.ClientAuth;
    let version: string;
    if (target.kind === 'oidc') {
      const provider = await federation.providerClient(await this.#inviting(flow), target.providerId);
      if (!provider) throw new HomeSignInError('the identity provider was removed meanwhile');
      ({ issuer, clientId } = provider);
      // RFC 6749 §2.3.1: every authorization server supports HTTP Basic for client secrets
      auth = client.ClientSecretBasic(provider.clientSecret);
      version = `${provider.id}@${provider.lastModifiedDateTime}`;
    } else {
      const home = await federation.homeClient(target.tenantId);
      ({ issuer, clientId } = home);
      auth = client.ClientSecretPost(home.clientSecret);
      version = 'first-party';
    }
    const key = `${issuer}|${clientId}|${version}`;
    const now = Date.now();
    const cached = this.#configs.get(key);
    if (cached && cached.until > now) return cached.config;
    const insecure = new URL(issuer).protocol === 'http:';
    const config = client.discovery(new URL(issuer), clientId, undefined, auth, { execute: insecure ? [client.allowInsecureRequests] : [] });
    if (this.#configs.size >= MAX_CACHED_CONFIGS) this.#configs.clear();
    this.#configs.set(key, { config, until: now + DISCOVERY_CACHE_MS });
    config.catch(() => this.#configs.delete(key));
    return config;
  }
}

export function interactionPath(tenantId: string, uid: string): string {
  return `/${tenantId}/interaction/${encodeURIComponent(uid)}`;
}

const instances = new WeakMap<Container, HomeSignIn>();

/** One HomeSignIn per container (its discovery cache is shared by the pages that use it). */
export function homeSignInFor(container: Container): HomeSignIn {
  let instance = instances.get(container);
  if (!instance) {
    instance = new HomeSignIn(container);
    instances.set(container, instance);
  }
  return instance;
}
