import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defineErrors } from '../../kernel/errors.ts';
import { safeEqual } from '../../kernel/secrets.ts';

/**
 * CSRF protection by a signed double-submit token: every browser gets a random cookie, and every
 * form carries HMAC(key, cookie) in a hidden field. A cross-site page can make the browser send
 * the cookie but can neither read it nor compute the HMAC, so it cannot forge the field.
 * Over HTTPS the cookie is `__Host-` prefixed, which stops a sibling subdomain from planting one.
 */

export const CsrfErrors = defineErrors('pages', {
  csrfTokenInvalid: { kind: 'forbidden', message: () => 'The form token is missing or does not match this browser.' },
});

/** The name of the hidden form field that carries the token. */
export const CSRF_FIELD = 'csrf_token';
const COOKIE_NAME = 'tessera_csrf';
const HOST_COOKIE_NAME = `__Host-${COOKIE_NAME}`;
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

export interface CsrfState {
  /** The value for the hidden form field. */
  token: string;
  /** The browser sent a well-formed cookie; only then can a POST pass. */
  fromBrowser: boolean;
  /** A cookie to send with the next page because the browser had none, or null. */
  newCookie: { name: string; value: string; secure: boolean } | null;
}

/** Per-request CSRF state, set by the pages plugin's `onRequest` hook. */
export const kCsrf = Symbol('tessera.pages.csrf');

declare module 'fastify' {
  interface FastifyRequest {
    [kCsrf]: CsrfState | null;
  }
}

/** A key used for nothing else, so the token reveals nothing about the server secret's other uses. */
export function deriveCsrfKey(secret: string): Buffer {
  if (secret.length < 16) throw new Error('pagesPlugin: `secret` must be at least 16 characters long');
  return createHmac('sha256', secret).update('tessera/pages/csrf/v1').digest();
}

/**
 * `canIssue` is false when the reply cannot carry cookies (an earlier hook failed before the
 * cookie plugin's ran); a browser without a cookie then gets none rather than a broken reply.
 */
export function readCsrfState(
  request: FastifyRequest,
  cookies: Readonly<Record<string, string | undefined>>,
  key: Buffer,
  canIssue: boolean,
): CsrfState {
  const secure = request.protocol === 'https';
  const name = secure ? HOST_COOKIE_NAME : COOKIE_NAME;
  const sent = cookies[name];
  const fromBrowser = sent !== undefined && COOKIE_VALUE.test(sent);
  const value = fromBrowser ? sent : randomBytes(32).toString('base64url');
  return {
    token: createHmac('sha256', key).update(value).digest('base64url'),
    fromBrowser,
    newCookie: fromBrowser || !canIssue ? null : { name, value, secure },
  };
}

/** Sends the cookie a freshly made token belongs to; called whenever a page is rendered. */
export function setCsrfCookie(reply: FastifyReply, state: CsrfState): void {
  if (!state.newCookie) return;
  const { name, value, secure } = state.newCookie;
  // No Max-Age: a session cookie, so a token never outlives the browser session it was shown in.
  reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/**
 * `preHandler` for every POST route of the pages surface: without a token that matches this
 * browser's cookie it throws, so the handler never runs and the scope's error handler answers
 * with a localized 403 page.
 *
 *     app.post('/x', { preHandler: verifyCsrf }, handler)
 */
export async function verifyCsrf(request: FastifyRequest): Promise<void> {
  const state = request[kCsrf];
  if (!state) throw new Error('verifyCsrf used outside a scope that registered pagesPlugin');
  const body: unknown = request.body;
  const sent = body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  if (state.fromBrowser && typeof sent === 'string' && safeEqual(sent, state.token)) return;
  // Thrown rather than rendered here: an error cannot be mistaken for a finished hook.
  throw CsrfErrors.csrfTokenInvalid();
}
