import * as oauth from 'oauth4webapi';
import type { AdminConfig } from '../config.ts';
import { pendingSignInStore, type StoredSession } from './storage.ts';

/**
 * The OAuth 2.0 / OIDC protocol steps, all done by oauth4webapi: authorization code flow with PKCE
 * as a public client (no client secret), starting at the `organizations` endpoint and finishing at
 * the tenant issuer that the authorization response names in `iss` (RFC 9207).
 */

/** A sign-in that cannot complete; its message is meant for the person at the screen. */
export class SignInError extends Error {
  override name = 'SignInError';
}

function clientFor(config: AdminConfig): oauth.Client {
  return { client_id: config.clientId };
}

/**
 * oauth4webapi refuses plain-http endpoints unless told otherwise. The endpoints are on the origin
 * that served this page, so when that is http (a local development server) https is not available anyway.
 */
function transportOptions(url: URL): { [oauth.allowInsecureRequests]?: boolean } {
  return url.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
}

export async function startSignIn(config: AdminConfig, returnTo: string): Promise<void> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  pendingSignInStore.save({ state, nonce, codeVerifier, returnTo });

  const url = new URL(config.authorizeUrl);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('response_mode', 'query');
  url.searchParams.set('scope', config.scopes);
  url.searchParams.set('code_challenge', codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  window.location.assign(url.href);
}

/** Whether this page load is the browser coming back from the authorization endpoint. */
export function isAuthorizationResponse(url: URL): boolean {
  return (url.searchParams.has('code') || url.searchParams.has('error')) && pendingSignInStore.peek() !== null;
}

/**
 * The issuer comes from the URL, which anyone can craft, so only issuers on the origin we were
 * configured with are discovered (a mix-up defence; the CSP's connect-src 'self' enforces it as well).
 */
function trustedIssuer(config: AdminConfig, iss: string): URL {
  let issuer: URL;
  try {
    issuer = new URL(iss);
  } catch {
    throw new SignInError('The sign-in response named an issuer that is not a URL.');
  }
  if (issuer.origin !== new URL(config.authorizeUrl).origin) {
    throw new SignInError(`The sign-in response came from an unexpected issuer (${issuer.origin}).`);
  }
  return issuer;
}

async function discover(issuer: URL): Promise<oauth.AuthorizationServer> {
  try {
    const response = await oauth.discoveryRequest(issuer, transportOptions(issuer));
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    throw new SignInError(`The sign-in service's metadata could not be loaded from ${issuer.href}: ${messageOf(error)}`);
  }
}

export async function completeSignIn(config: AdminConfig, callbackUrl: URL): Promise<{ session: StoredSession; returnTo: string }> {
  const pending = pendingSignInStore.take();
  if (!pending) throw new SignInError('This sign-in response was not expected here (it may have been used already). Please sign in again.');
  const parameters = callbackUrl.searchParams;
  const iss = parameters.get('iss');
  if (!iss) {
    // Without an issuer there is no metadata to validate against; an error response can still be shown.
    const error = parameters.get('error');
    throw new SignInError(error ? (parameters.get('error_description') ?? error) : 'The sign-in response did not say which tenant issued it.');
  }
  const issuer = trustedIssuer(config, iss);
  const as = await discover(issuer);
  const client = clientFor(config);
  try {
    const validated = oauth.validateAuthResponse(as, client, parameters, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), validated, config.redirectUri, pending.codeVerifier, transportOptions(issuer));
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    return { session: toSession(as, tokens, Date.now(), null), returnTo: pending.returnTo };
  } catch (error) {
    throw new SignInError(messageOf(error));
  }
}

export async function refreshSession(config: AdminConfig, session: StoredSession): Promise<StoredSession> {
  if (!session.refreshToken) throw new SignInError('The session has no refresh token.');
  const as = session.authorizationServer;
  const client = clientFor(config);
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), session.refreshToken, transportOptions(new URL(as.issuer)));
  const tokens = await oauth.processRefreshTokenResponse(as, client, response);
  return toSession(as, tokens, session.signedInAt, session);
}

/** RP-initiated logout at the tenant issuer, or null when the issuer does not offer it. */
export function endSessionUrl(config: AdminConfig, session: StoredSession): URL | null {
  const endpoint = session.authorizationServer.end_session_endpoint;
  if (!endpoint) return null;
  const url = new URL(endpoint);
  url.searchParams.set('id_token_hint', session.idToken);
  url.searchParams.set('post_logout_redirect_uri', config.postLogoutRedirectUri);
  url.searchParams.set('client_id', config.clientId);
  return url;
}

function toSession(as: oauth.AuthorizationServer, tokens: oauth.TokenEndpointResponse, signedInAt: number, previous: StoredSession | null): StoredSession {
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  const account = claims
    ? {
        name: stringClaim(claims, 'name') ?? stringClaim(claims, 'preferred_username') ?? claims.sub,
        username: stringClaim(claims, 'preferred_username') ?? '',
        tenantId: stringClaim(claims, 'tid') ?? '',
        objectId: stringClaim(claims, 'oid') ?? claims.sub,
      }
    : previous?.account;
  if (!account) throw new SignInError('The sign-in response carried no ID token.');
  return {
    authorizationServer: as,
    accessToken: tokens.access_token,
    // A refresh response may omit the refresh token (no rotation) or the ID token; keep the ones we have.
    refreshToken: tokens.refresh_token ?? previous?.refreshToken ?? null,
    idToken: tokens.id_token ?? previous?.idToken ?? '',
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
    signedInAt,
    account,
  };
}

function stringClaim(claims: oauth.IDToken, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return error.error_description ?? error.error;
  }
  return error instanceof Error ? error.message : String(error);
}
