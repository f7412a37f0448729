import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { PendingSignIn } from './relying-party.ts';

/** The My Account session: who is signed in, where, the ID token for logout, and until when. */
export interface MyAccountSession {
  tenantId: string;
  userId: string;
  idToken: string;
  /** the grant at the tenant's provider this sign-in belongs to; gone = signed out everywhere */
  grantId: string;
  /** seconds since the epoch */
  expiresAt: number;
}

export const SESSION_COOKIE = 'tessera_myaccount';
export const PENDING_COOKIE = 'tessera_myaccount_signin';
export const SESSION_SECONDS = 8 * 60 * 60;
const PENDING_SECONDS = 10 * 60;

/**
 * Both cookies are sealed (AES-GCM under the server secret: unreadable and tamper-evident),
 * HttpOnly, SameSite=Lax and Secure on https, and carry their own expiry so an old copy replayed
 * after its Max-Age is refused too. Nothing of the session is ever visible to scripts.
 */
export class MyAccountCookies {
  constructor(
    private readonly secrets: SecretBox,
    private readonly now: () => Date,
    /** Secure cookies when the public base URL is https (even behind a TLS-terminating proxy) */
    private readonly secure: () => boolean,
  ) {}

  readSession(request: FastifyRequest): MyAccountSession | null {
    const session = this.#open<MyAccountSession & { kind: 'session' }>(request.cookies[SESSION_COOKIE], 'session');
    if (!session || typeof session.userId !== 'string' || typeof session.tenantId !== 'string' || typeof session.idToken !== 'string' || typeof session.grantId !== 'string') return null;
    const { tenantId, userId, idToken, grantId, expiresAt } = session;
    return { tenantId, userId, idToken, grantId, expiresAt };
  }

  writeSession(reply: FastifyReply, session: Omit<MyAccountSession, 'expiresAt'>): void {
    const expiresAt = this.#seconds() + SESSION_SECONDS;
    reply.setCookie(SESSION_COOKIE, this.secrets.seal(JSON.stringify({ kind: 'session', ...session, expiresAt })), this.#options('/myaccount', SESSION_SECONDS));
  }

  clearSession(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, this.#options('/myaccount'));
  }

  readPending(request: FastifyRequest): PendingSignIn | null {
    const pending = this.#open<PendingSignIn & { kind: 'pending'; expiresAt: number }>(request.cookies[PENDING_COOKIE], 'pending');
    if (!pending || typeof pending.state !== 'string' || typeof pending.nonce !== 'string' || typeof pending.codeVerifier !== 'string' || typeof pending.returnTo !== 'string') return null;
    const { state, nonce, codeVerifier, returnTo, tenantId } = pending;
    return { state, nonce, codeVerifier, returnTo, ...(typeof tenantId === 'string' ? { tenantId } : {}) };
  }

  writePending(reply: FastifyReply, pending: PendingSignIn): void {
    const value = this.secrets.seal(JSON.stringify({ kind: 'pending', ...pending, expiresAt: this.#seconds() + PENDING_SECONDS }));
    reply.setCookie(PENDING_COOKIE, value, this.#options('/myaccount/callback', PENDING_SECONDS));
  }

  clearPending(reply: FastifyReply): void {
    reply.clearCookie(PENDING_COOKIE, this.#options('/myaccount/callback'));
  }

  #open<T extends { kind: string; expiresAt: number }>(value: string | undefined, kind: T['kind']): T | null {
    if (!value) return null;
    try {
      const parsed = JSON.parse(this.secrets.open(value)) as T;
      return parsed.kind === kind && typeof parsed.expiresAt === 'number' && parsed.expiresAt > this.#seconds() ? parsed : null;
    } catch {
      // not sealed by this server, altered, or not JSON: as good as no cookie
      return null;
    }
  }

  #seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  #options(path: string, maxAge?: number) {
    return { path, ...(maxAge === undefined ? {} : { maxAge }), httpOnly: true, sameSite: 'lax' as const, secure: this.secure() };
  }
}
