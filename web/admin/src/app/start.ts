import { completeSignIn, isAuthorizationResponse, SignInError, startSignIn } from '../auth/oidc.ts';
import { AuthSession } from '../auth/session.ts';
import { sessionStore, signedOutMarker } from '../auth/storage.ts';
import { type AdminConfig, loadConfig } from '../config.ts';

export type Startup =
  | { kind: 'ready'; config: AdminConfig; session: AuthSession }
  | { kind: 'signedOut'; config: AdminConfig }
  | { kind: 'redirecting' }
  | { kind: 'failed'; message: string; config: AdminConfig | null };

const BASE = import.meta.env.BASE_URL;

/** Only an in-app path may be returned to after sign-in (never `//elsewhere`). */
function safeReturnPath(path: string): string {
  return path.startsWith(BASE) && !path.startsWith('//') ? path : BASE;
}

let started: Promise<Startup> | null = null;

/**
 * Decides what the page load is: the browser coming back from sign-in, coming back from sign-out,
 * a tab with a session already, or a first visit that needs to sign in. Runs once per page load
 * (an authorization code can be redeemed only once, and StrictMode runs effects twice in development).
 */
export function start(): Promise<Startup> {
  started ??= decide();
  return started;
}

async function decide(): Promise<Startup> {
  let config: AdminConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error), config: null };
  }

  const url = new URL(window.location.href);
  if (isAuthorizationResponse(url)) {
    try {
      const { session, returnTo } = await completeSignIn(config, url);
      sessionStore.save(session);
      // The code is spent; take it out of the address bar and history.
      window.history.replaceState(null, '', safeReturnPath(returnTo));
    } catch (error) {
      window.history.replaceState(null, '', BASE);
      const message = error instanceof SignInError ? error.message : `Sign-in could not be completed: ${error instanceof Error ? error.message : String(error)}`;
      return { kind: 'failed', message, config };
    }
  }

  if (signedOutMarker.take()) {
    sessionStore.clear();
    return { kind: 'signedOut', config };
  }

  const stored = sessionStore.load();
  if (stored) return { kind: 'ready', config, session: new AuthSession(config, stored) };

  await startSignIn(config, safeReturnPath(window.location.pathname + window.location.search));
  return { kind: 'redirecting' };
}
