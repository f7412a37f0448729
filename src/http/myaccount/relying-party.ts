import * as client from 'openid-client';
import { MY_ACCOUNT_APP_ID } from '../../modules/consent/first-party.ts';

/** What the authorization request committed to, kept (sealed) in the browser until the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** the My Account path to return to afterwards */
  returnTo: string;
  /** the tenant the sign-in was sent to (`/myaccount?tenantId=`); absent: `organizations` */
  tenantId?: string;
}

/** A completed sign-in: who, where, and the ID token to end the session with. */
export interface SignInResult {
  tenantId: string;
  userId: string;
  idToken: string;
}

export const MY_ACCOUNT_SCOPE = 'openid profile';
const DISCOVERY_CACHE_MS = 10 * 60 * 1000;
const TENANT_ISSUER = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/;

export class SignInError extends Error {}

/**
 * My Account as an OpenID Connect relying party of Tessera itself (openid-client): the first-party
 * confidential client `MY_ACCOUNT_APP_ID` signs in through `organizations` (home-realm discovery
 * finds the user's tenant) or, with `/myaccount?tenantId=`, at that tenant, so the tenant, and with
 * it the issuer, is learnt from the authorization response's `iss` (RFC 9207). That issuer must be
 * one of this server's tenant issuers (and, for a sign-in sent to a tenant, that tenant's); it is
 * then discovered and the code redeemed with PKCE, state and nonce checks.
 */
export class MyAccountRelyingParty {
  readonly #configs = new Map<string, { config: Promise<client.Configuration>; until: number }>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly clientSecret: () => string,
  ) {}

  get redirectUri(): string {
    return `${this.baseUrl()}/myaccount/callback`;
  }

  get postLogoutRedirectUri(): string {
    return `${this.baseUrl()}/myaccount/signed-out`;
  }

  /**
   * A new authorization request, and what the callback must check: at `organizations` (home-realm
   * discovery by the sign-in name's domain), or at the tenant `tenantId` itself, where a guest
   * signs in through their home (Entra's `myaccount.microsoft.com?tenantId=`), which is how guests
   * with a personal account or e-mail one-time passcode reach My Account at all.
   */
  async startSignIn(returnTo: string, locale: string, tenantId?: string): Promise<{ url: string; pending: PendingSignIn }> {
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), returnTo, ...(tenantId ? { tenantId } : {}) };
    const query = new URLSearchParams({
      client_id: MY_ACCOUNT_APP_ID,
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: this.redirectUri,
      scope: MY_ACCOUNT_SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      ui_locales: locale,
    });
    return { url: `${this.baseUrl()}/${tenantId ?? 'organizations'}/oauth2/v2.0/authorize?${query}`, pending };
  }

  /** The tenant id of an issuer this server speaks for, or null for any other value. */
  tenantOfIssuer(issuer: string | null): string | null {
    const base = this.baseUrl();
    if (!issuer?.startsWith(`${base}/`)) return null;
    return TENANT_ISSUER.exec(issuer.slice(base.length))?.[1] ?? null;
  }

  /**
   * Redeems the authorization response at `callbackQuery` (the callback's query string).
   * Throws SignInError when the response is an error, is for another issuer, or fails a check.
   */
  async completeSignIn(callbackQuery: URLSearchParams, pending: PendingSignIn): Promise<SignInResult> {
    const issuer = callbackQuery.get('iss');
    const tenantId = this.tenantOfIssuer(issuer);
    if (!issuer || !tenantId) throw new SignInError(`authorization response from an unexpected issuer: ${issuer ?? '(none)'}`);
    // a sign-in sent to one tenant comes back from that tenant only (no mix-up with another flow)
    if (pending.tenantId && pending.tenantId !== tenantId) throw new SignInError(`authorization response from ${issuer}, but the sign-in was sent to ${pending.tenantId}`);
    let tokens;
    try {
      // an issuer for a tenant that does not exist fails here, at discovery
      const config = await this.#config(issuer);
      tokens = await client.authorizationCodeGrant(config, new URL(`${this.redirectUri}?${callbackQuery}`), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new SignInError(`the authorization response was refused: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token || claims.tid !== tenantId) throw new SignInError('the ID token is missing or names another tenant');
    return { tenantId, userId: claims.sub, idToken: tokens.id_token };
  }

  /** RP-initiated logout at the tenant's end_session_endpoint, back to My Account's signed-out page. */
  async endSessionUrl(tenantId: string, idToken: string, locale: string): Promise<string> {
    const config = await this.#config(`${this.baseUrl()}/${tenantId}/v2.0`);
    return client
      // `state` comes back on the redirect: the signed-out page shows the tenant's branding by it
      .buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: this.postLogoutRedirectUri, client_id: MY_ACCOUNT_APP_ID, ui_locales: locale, state: tenantId })
      .toString();
  }

  /** The issuer's discovered configuration, cached for a while (a failed discovery is not cached). */
  #config(issuer: string): Promise<client.Configuration> {
    const now = Date.now();
    const cached = this.#configs.get(issuer);
    if (cached && cached.until > now) return cached.config;
    const insecure = new URL(issuer).protocol === 'http:';
    const config = client.discovery(new URL(issuer), MY_ACCOUNT_APP_ID, undefined, client.ClientSecretPost(this.clientSecret()), {
      execute: insecure ? [client.allowInsecureRequests] : [],
    });
    this.#configs.set(issuer, { config, until: now + DISCOVERY_CACHE_MS });
    config.catch(() => this.#configs.delete(issuer));
    return config;
  }
}
