import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SecretBox } from '../../kernel/secrets.ts';

/**
 * Short-lived state the home sign-in and redemption pages keep in the browser between requests:
 * sealed (AES-GCM under the server secret, so unreadable and tamper-evident), HttpOnly,
 * SameSite=Lax, Secure on https, scoped to the path that reads it, and carrying its purpose and
 * its own expiry, so a cookie of one kind is never accepted as another and a replayed copy past
 * its time is refused. Any node of the deployment can open it (no server-side session).
 */
export class SealedCookies {
  constructor(
    private readonly secrets: SecretBox,
    private readonly now: () => Date,
    private readonly secure: () => boolean,
  ) {}

  write(reply: FastifyReply, name: string, options: { path: string; seconds: number; purpose: string }, value: object): void {
    const expiresAt = this.#seconds() + options.seconds;
    const sealed = this.secrets.seal(JSON.stringify({ ...value, purpose: options.purpose, expiresAt }));
    reply.setCookie(name, sealed, { path: options.path, maxAge: options.seconds, httpOnly: true, sameSite: 'lax', secure: this.secure() });
  }

  /** The cookie's value when it is this server's, of this purpose and unexpired; else null. */
  read<T extends object>(request: FastifyRequest, name: string, purpose: string): T | null {
    const value = request.cookies[name];
    if (!value) return null;
    try {
      const parsed = JSON.parse(this.secrets.open(value)) as T & { purpose?: unknown; expiresAt?: unknown };
      if (parsed.purpose !== purpose || typeof parsed.expiresAt !== 'number' || parsed.expiresAt <= this.#seconds()) return null;
      return parsed;
    } catch {
      // not sealed by this server, altered, or not JSON: as good as no cookie
      return null;
    }
  }

  clear(reply: FastifyReply, name: string, path: string): void {
    reply.clearCookie(name, { path, httpOnly: true, sameSite: 'lax', secure: this.secure() });
  }

  #seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
