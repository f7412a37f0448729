import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReactElement, ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { type Branding, sanitizeBranding } from './branding.ts';
import { kCsrf, setCsrfCookie } from './csrf.ts';
import { brandStyleFor, Layout } from './layout.tsx';
import { PageContext } from './page-context.ts';
import { pageSecurityHeaders } from './security-headers.ts';

export interface PageOptions {
  /** The document title (the tenant's name is appended); usually the same text as the page's `<h1>`. */
  title: string;
  /** HTTP status, 200 by default. */
  status?: number;
  /** `wide` for content pages such as My Account; forms stay `narrow` (the default). */
  width?: 'narrow' | 'wide';
  /** Extra footer content, next to the language switcher (e.g. terms-of-use links). */
  footer?: ReactNode;
  /**
   * Other origins a form on this page posts to, or is redirected to after posting: the browser
   * checks the whole redirect chain against `form-action`. E.g. the client's redirect URI after sign-in.
   */
  formActionOrigins?: readonly string[];
}

export interface PageSettings {
  /** This server's public base URL; its origin is allowed as a form target. */
  baseUrl: URL;
  resolveBranding: ((request: FastifyRequest) => Promise<Branding | null>) | undefined;
}

/**
 * `reply.page()`: renders `element` inside the Layout and sends it with the page security headers.
 * Settles once the response is written (a Reply is a thenable that settles then).
 */
export async function sendPage(reply: FastifyReply, element: ReactElement, options: PageOptions, settings: PageSettings): Promise<void> {
  const { request } = reply;
  const csrf = request[kCsrf];
  if (!csrf) throw new Error('reply.page() used outside a scope that registered pagesPlugin');
  const branding = sanitizeBranding(await loadBranding(request, settings));
  const brandStyle = brandStyleFor(branding);
  const width = options.width ?? 'narrow';
  const html = renderToStaticMarkup(
    <PageContext value={{ locale: request.locale, t: request.t, csrfToken: csrf.token, currentUrl: request.url }}>
      <Layout title={options.title} branding={branding} brandStyle={brandStyle} width={width} footer={options.footer}>
        {element}
      </Layout>
    </PageContext>,
  );
  setCsrfCookie(reply, csrf);
  const headers = pageSecurityHeaders({
    inlineStyles: brandStyle ? [brandStyle] : [],
    formActionOrigins: [settings.baseUrl.origin, ...(options.formActionOrigins ?? [])],
  });
  await reply
    .code(options.status ?? 200)
    .headers(headers)
    .send(`<!doctype html>${html}`);
}

/** A page must render even if branding cannot be loaded (it may be the error page for that failure). */
async function loadBranding(request: FastifyRequest, settings: PageSettings): Promise<Branding | null> {
  if (!settings.resolveBranding) return null;
  try {
    return await settings.resolveBranding(request);
  } catch (error) {
    request.log.warn({ err: error }, 'could not resolve tenant branding; using the default look');
    return null;
  }
}
