import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyRequest, RouteOptions } from 'fastify';
import type { ReactElement } from 'react';
import type { Branding } from './branding.ts';
import { deriveCsrfKey, kCsrf, readCsrfState, verifyCsrf } from './csrf.ts';
import { PAGE_FORM_BODY_LIMIT, parseFormBody } from './form-body.ts';
import { pagesErrorHandler } from './error-page.tsx';
import type { Translate } from './i18n/catalog.ts';
import { type Locale, translator } from './i18n/locales.ts';
import { matchUiLocales, negotiateLocale } from './i18n/negotiate.ts';
import { LANGUAGE_COOKIE, registerLanguageSwitch } from './language-switch.ts';
import { pagesCss, STYLESHEET_PATH } from './pages.css.ts';
import { type PageOptions, sendPage } from './render-page.tsx';

export interface PagesOptions {
  /** Server secret (at least 16 characters); CSRF tokens are keyed by a key derived from it. */
  secret: string;
  /** The public base URL of this server. */
  baseUrl: string;
  /** The tenant branding for a request, or null for the default look. */
  resolveBranding?: (request: FastifyRequest) => Promise<Branding | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The negotiated page language (ui_locales > tessera_lang cookie > Accept-Language > en). */
    locale: Locale;
    /** Messages in `request.locale`. */
    t: Translate;
  }
  interface FastifyReply {
    /**
     * Renders `element` as a full page (Layout, branding, CSRF cookie, security headers) and sends
     * it; settles once sent. In a handler: `return reply.page(<MyPage />, { title })`.
     */
    page(element: ReactElement, options: PageOptions): Promise<void>;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The end-user pages surface (DESIGN §7). Register it first inside the encapsulated scope that
 * holds the page routes; it decorates that scope (not a child of it) with `request.locale`,
 * `request.t` and `reply.page`, sets the scope's error handler, and refuses, at startup, any
 * POST route in the scope that does not verify its CSRF token.
 *
 *     await app.register(async (pages) => {
 *       await pages.register(pagesPlugin, { secret, baseUrl, resolveBranding });
 *       await pages.register(signInRoutes);
 *     });
 */
export const pagesPlugin: FastifyPluginAsync<PagesOptions> = async (app, options) => {
  const csrfKey = deriveCsrfKey(options.secret);
  const baseUrl = new URL(options.baseUrl);

  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    await app.register(fastifyFormbody, { parser: parseFormBody, bodyLimit: PAGE_FORM_BODY_LIMIT });
  }

  // Declared empty, filled per request in onRequest (Fastify's decorators guidance).
  app.decorateRequest('locale');
  app.decorateRequest('t');
  app.decorateRequest(kCsrf, null);

  const prepare = (request: FastifyRequest): void => {
    // `request.cookies` is still null only if an earlier hook failed before the cookie plugin's ran.
    const cookiesParsed = request.cookies !== null;
    const cookies = cookiesParsed ? request.cookies : app.parseCookie(request.headers.cookie ?? '');
    const query = request.query as Record<string, unknown> | undefined;
    setLocale(
      request,
      negotiateLocale({ uiLocales: query?.ui_locales, cookie: cookies[LANGUAGE_COOKIE], acceptLanguage: request.headers['accept-language'] }),
    );
    request[kCsrf] = readCsrfState(request, cookies, csrfKey, cookiesParsed);
  };
  app.addHook('onRequest', async (request) => {
    prepare(request);
  });
  // A form may carry ui_locales too; the body is parsed only after onRequest.
  app.addHook('preValidation', async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' ? matchUiLocales(body.ui_locales) : null;
    if (fromBody) setLocale(request, fromBody);
  });

  app.decorateReply('page', function (element: ReactElement, pageOptions: PageOptions) {
    return sendPage(this, element, pageOptions, { baseUrl, resolveBranding: options.resolveBranding });
  });
  app.setErrorHandler(async (error, request, reply) => {
    // An earlier hook (say, the server's rate limit) may have failed before ours ran.
    if (request[kCsrf] === null) prepare(request);
    return pagesErrorHandler(error, request, reply);
  });
  app.addHook('onRoute', requireCsrfOnUnsafeMethods);

  app.get(STYLESHEET_PATH, async (_request, reply) =>
    // The link carries a content hash (?v=...), so the stylesheet may be cached for good.
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', `public, max-age=${ONE_YEAR_SECONDS}, immutable`).send(pagesCss),
  );
  registerLanguageSwitch(app);
};

// Like fastify-plugin: the decorations, hooks and error handler belong to the scope that registers
// this plugin, so that scope's page routes see them (and nothing outside it does).
Object.assign(pagesPlugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'tessera-pages' });

function setLocale(request: FastifyRequest, locale: Locale): void {
  request.locale = locale;
  request.t = translator(locale);
}

/** A forgotten `verifyCsrf` should fail the deploy, not open a hole: checked as routes register. */
function requireCsrfOnUnsafeMethods(route: RouteOptions): void {
  const methods = [route.method].flat();
  if (!methods.some((method) => UNSAFE_METHODS.has(method.toUpperCase()))) return;
  const preHandlers: unknown[] = [route.preHandler ?? []].flat();
  if (!preHandlers.includes(verifyCsrf)) {
    throw new Error(`Page route ${methods.join(',')} ${route.url} must verify its CSRF token: add { preHandler: verifyCsrf }`);
  }
}
