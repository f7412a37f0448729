import type { AuthorizationServer } from 'oauth4webapi';

/**
 * Tokens live in sessionStorage (per tab, gone when the tab closes), as the brief for the admin
 * center asks; nothing here is ever written to localStorage or cookies.
 */
export interface Account {
  name: string;
  username: string;
  tenantId: string;
  objectId: string;
}

export interface StoredSession {
  /** the tenant issuer's discovered metadata, kept so that refresh and sign-out need no new discovery */
  authorizationServer: AuthorizationServer;
  accessToken: string;
  refreshToken: string | null;
  idToken: string;
  /** epoch milliseconds */
  expiresAt: number;
  /** epoch milliseconds of the interactive sign-in, to stop a redirect loop when the API rejects fresh tokens */
  signedInAt: number;
  account: Account;
}

/** What the authorization request must be matched against when the browser comes back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** the in-app path to show after sign-in */
  returnTo: string;
}

const SESSION = 'tessera.admin.session';
const PENDING = 'tessera.admin.pendingSignIn';
const SIGNED_OUT = 'tessera.admin.signedOut';

function read<T>(key: string): T | null {
  const raw = sessionStorage.getItem(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    sessionStorage.removeItem(key);
    return null;
  }
}

export const sessionStore = {
  load: () => read<StoredSession>(SESSION),
  save: (session: StoredSession) => sessionStorage.setItem(SESSION, JSON.stringify(session)),
  clear: () => sessionStorage.removeItem(SESSION),
};

export const pendingSignInStore = {
  /** reads and forgets it: an authorization response can be redeemed once */
  take(): PendingSignIn | null {
    const pending = read<PendingSignIn>(PENDING);
    sessionStorage.removeItem(PENDING);
    return pending;
  },
  peek: () => read<PendingSignIn>(PENDING),
  save: (pending: PendingSignIn) => sessionStorage.setItem(PENDING, JSON.stringify(pending)),
};

/** Set before leaving for the end-session endpoint, so that coming back shows "signed out" instead of signing in again. */
export const signedOutMarker = {
  set: () => sessionStorage.setItem(SIGNED_OUT, '1'),
  take(): boolean {
    const present = sessionStorage.getItem(SIGNED_OUT) !== null;
    sessionStorage.removeItem(SIGNED_OUT);
    return present;
  },
};
