import type { IncomingHttpHeaders } from 'node:http';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { type Branding, sanitizeBranding } from './branding.ts';
import type { Translate } from './i18n/catalog.ts';
import { type Locale, translator } from './i18n/locales.ts';
import { matchUiLocales, negotiateLocale } from './i18n/negotiate.ts';
import { LANGUAGE_COOKIE } from './language-switch.ts';
import { brandStyleFor, Layout } from './layout.tsx';
import { PageContext } from './page-context.ts';
import { localPath } from './return-path.ts';
import { pageSecurityHeaders } from './security-headers.ts';

/** The request a standalone page answers, from whatever server answers it (Fastify, oidc-provider's Koa). */
export interface StandaloneRequest {
  method: string;
  /** Path and query on this server, as the browser can request it again. */
  url: string;
  headers: IncomingHttpHeaders;
  query: Readonly<Record<string, unknown>>;
  /** The parsed form body of a POST, if any (a form's `ui_locales` wins over the query's). */
  body?: Readonly<Record<string, unknown>> | undefined;
}

export interface StandalonePageInput {
  request: StandaloneRequest;
  /** This server's public base URL; its origin is allowed as a form target. */
  baseUrl: string;
  /** The tenant's branding, or null for the default look (validated here, like every page's). */
  branding: Branding | null;
  /** The document title (the tenant's name is appended), in the page's language. */
  title: (t: Translate) => string;
  /** The page content; `usePage()` works inside it (`csrfToken` is empty: use no `<Form>` here). */
  element: ReactElement;
  width?: 'narrow' | 'wide';
  /** Other origins a form on the page posts to, or is redirected to after posting. */
  formActionOrigins?: readonly string[];
}

export interface StandalonePage {
  /** The complete document. */
  html: string;
  /** Content type, caching, CSP and framing headers, as `reply.page()` sends them. */
  headers: Record<string, string>;
  locale: Locale;
}

/**
 * A page rendered without a Fastify reply, for HTML another component sends itself (oidc-provider's
 * sign-out and error pages): the same Layout, language negotiation, branding and security headers
 * as `reply.page()`, returned rather than sent. Such pages carry no CSRF token; the language
 * switcher is shown when the page can be requested again by its URL (a GET), and left out otherwise.
 */
export function renderStandalonePage(input: StandalonePageInput): StandalonePage {
  const { request } = input;
  const locale = standaloneLocale(request);
  const t = translator(locale);
  const branding = sanitizeBranding(input.branding);
  const brandStyle = brandStyleFor(branding);
  const currentUrl = request.method === 'GET' ? localPath(request.url) : null;
  const html = renderToStaticMarkup(
    <PageContext value={{ locale, t, csrfToken: '', currentUrl }}>
      <Layout title={input.title(t)} branding={branding} brandStyle={brandStyle} width={input.width ?? 'narrow'} footer={null}>
        {input.element}
      </Layout>
    </PageContext>,
  );
  const headers = pageSecurityHeaders({
    inlineStyles: brandStyle ? [brandStyle] : [],
    formActionOrigins: [new URL(input.baseUrl).origin, ...(input.formActionOrigins ?? [])],
  });
  return { html: `<!doctype html>${html}`, headers, locale };
}

/** As on every page: `ui_locales` (form body, then query) > the `tessera_lang` cookie > Accept-Language > English. */
export function standaloneLocale(request: StandaloneRequest): Locale {
  const fromBody = matchUiLocales(request.body?.ui_locales);
  if (fromBody) return fromBody;
  const cookie = cookieValue(request.headers.cookie, LANGUAGE_COOKIE);
  return negotiateLocale({ uiLocales: request.query.ui_locales, cookie, acceptLanguage: request.headers['accept-language'] });
}

/** One cookie's value from a `Cookie` header (the language cookie holds a bare language tag). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
