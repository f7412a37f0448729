import type { FastifyInstance } from 'fastify';
import { isLocale, type Locale } from './i18n/locales.ts';
import { renderErrorPage } from './error-page.tsx';
import { localPath } from './return-path.ts';

/**
 * The language switcher is a plain link (no JavaScript, no form): `GET /language?lang=nl&return=/here`
 * remembers the choice in a cookie and sends the browser back. Being a GET that only sets a display
 * preference, it needs no CSRF token; the return path is checked, so it cannot redirect off-site.
 */
export const LANGUAGE_PATH = '/language';
export const LANGUAGE_COOKIE = 'tessera_lang';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export function languageSwitchHref(locale: Locale, currentUrl: string): string {
  return `${LANGUAGE_PATH}?${new URLSearchParams({ lang: locale, return: currentUrl })}`;
}

export function registerLanguageSwitch(app: FastifyInstance): void {
  app.get(LANGUAGE_PATH, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (!isLocale(query.lang)) return renderErrorPage(reply, { status: 400, message: request.t('error.badRequest') });
    reply.setCookie(LANGUAGE_COOKIE, query.lang, {
      path: '/',
      maxAge: ONE_YEAR_SECONDS,
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
    });
    return reply.header('cache-control', 'no-store').redirect(withoutUiLocales(localPath(query.return) ?? '/'), 303);
  });
}

/** `ui_locales` in the URL outranks the cookie, so it has to go or the switch would have no effect. */
function withoutUiLocales(path: string): string {
  const [pathname = '/', search = ''] = path.split('?', 2);
  const params = new URLSearchParams(search);
  params.delete('ui_locales');
  const rest = params.toString();
  return rest ? `${pathname}?${rest}` : pathname;
}
