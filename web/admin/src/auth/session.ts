import type { AdminConfig } from '../config.ts';
import { endSessionUrl, refreshSession, startSignIn } from './oidc.ts';
import { type Account, type StoredSession, sessionStore, signedOutMarker } from './storage.ts';

/** Refresh a little before expiry so a request never leaves with a token that dies on the way. */
const EXPIRY_MARGIN_MS = 60_000;
/** A 401 this soon after an interactive sign-in means redirecting again would only loop. */
const SIGN_IN_LOOP_GUARD_MS = 30_000;

/** The signed-in administrator's tokens: hands out a valid access token, refreshing or re-signing-in as needed. */
export class AuthSession {
  readonly #config: AdminConfig;
  #session: StoredSession;
  #refreshing: Promise<string> | null = null;
  #leaving: Promise<void> | null = null;

  constructor(config: AdminConfig, session: StoredSession) {
    this.#config = config;
    this.#session = session;
  }

  get account(): Account {
    return this.#session.account;
  }

  accessToken(): Promise<string> {
    if (Date.now() < this.#session.expiresAt - EXPIRY_MARGIN_MS) return Promise.resolve(this.#session.accessToken);
    // Parallel requests share one refresh: refresh tokens may rotate, and a second redemption would fail.
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<string> {
    if (!this.#session.refreshToken) return this.signInAgain();
    try {
      this.#session = await refreshSession(this.#config, this.#session);
    } catch {
      // An expired or revoked refresh token can only be replaced by signing in again.
      return this.signInAgain();
    }
    sessionStore.save(this.#session);
    return this.#session.accessToken;
  }

  /** The API refused our token (401). */
  tokenRejected(): Promise<never> {
    if (Date.now() - this.#session.signedInAt < SIGN_IN_LOOP_GUARD_MS) {
      return Promise.reject(new Error('The directory API did not accept the token from the sign-in that just completed.'));
    }
    return this.signInAgain();
  }

  /** Leaves for the sign-in page; the returned promise never settles because the page unloads. */
  async signInAgain(): Promise<never> {
    // Several requests may fail at once; one authorization request, or their states would clash.
    this.#leaving ??= (async () => {
      sessionStore.clear();
      await startSignIn(this.#config, window.location.pathname + window.location.search);
    })();
    await this.#leaving;
    return new Promise<never>(() => {});
  }

  signOut(): void {
    const logout = endSessionUrl(this.#config, this.#session);
    sessionStore.clear();
    signedOutMarker.set();
    window.location.assign(logout?.href ?? this.#config.postLogoutRedirectUri);
  }
}
