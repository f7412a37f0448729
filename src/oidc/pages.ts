import type { IncomingHttpHeaders } from 'node:http';

/**
 * The pages oidc-provider renders itself instead of redirecting: the RP-initiated logout
 * confirmation, the "You have signed out" page, and the error page for requests whose redirect
 * cannot be trusted (unknown client, unregistered redirect URI). They are end-user pages like the
 * sign-in ones, so the http layer renders them (layout, language, branding, security headers);
 * the provider only says which page, for which tenant and request. Injected, so that `oidc/`
 * never imports `http/`.
 */
export interface OidcPageRenderer {
  /** "Do you want to sign out?"; its buttons submit oidc-provider's own hidden `form` (id `op.logoutForm`). */
  logout(input: LogoutPageInput): Promise<OidcPage>;
  /** After a sign-out that has no `post_logout_redirect_uri` to return to. */
  signedOut(input: OidcPageInput): Promise<OidcPage>;
  /** An error shown instead of redirecting back to the client. */
  error(input: OidcErrorPageInput): Promise<OidcPage>;
}

/**
 * Set on the raw request by the HTTP layer before it hands the request to a provider: the path and
 * query the browser asked for (the provider sees a rewritten, translated one), so a page can offer
 * to load itself again (the language switcher).
 */
export const kPublicUrl: unique symbol = Symbol('tessera.oidc.publicUrl');

/** The browser's request as far as a page needs it (language, the address to come back to). */
export interface OidcPageRequest {
  method: string;
  /** Path and query on this server (`/{tenantId}/oauth2/v2.0/logout?...`). */
  url: string;
  headers: IncomingHttpHeaders;
  query: Readonly<Record<string, unknown>>;
  /** The parsed form body of a POST, if any. */
  body?: Readonly<Record<string, unknown>> | undefined;
}

export interface OidcPageInput {
  tenantId: string;
  request: OidcPageRequest;
}

export interface LogoutPageInput extends OidcPageInput {
  /** oidc-provider's hidden `<form id="op.logoutForm">` (action and xsrf token), inserted as is. */
  form: string;
  /** Where the browser goes after confirming (a registered URI of the client), if anywhere. */
  postLogoutRedirectUri?: string | undefined;
}

export interface OidcErrorPageInput extends OidcPageInput {
  /** The OAuth error code, e.g. `invalid_redirect_uri`. */
  error: string;
  /** oidc-provider's (English, technical) explanation. */
  description?: string | undefined;
  /** Whether the request was a sign-in or a sign-out, for the page's heading. */
  flow: 'signIn' | 'signOut';
}

/** A complete HTML document and the headers to send it with (content type, CSP, caching...). */
export interface OidcPage {
  html: string;
  headers: Record<string, string>;
}
