import type { ReactNode } from 'react';
import type { SafeBranding } from './branding.ts';
import { localeNames, locales } from './i18n/locales.ts';
import { languageSwitchHref } from './language-switch.ts';
import { stylesheetHref } from './pages.css.ts';
import { usePage } from './page-context.ts';

export interface LayoutProps {
  title: string;
  branding: SafeBranding;
  /** The tenant's colours as CSS; its hash is allowed by the page's content-security-policy. */
  brandStyle: string | null;
  width: 'narrow' | 'wide';
  footer: ReactNode;
  children: ReactNode;
}

/**
 * The document around every page: the tenant's banner in a centred card (full width on a
 * phone), then a footer with the caller's footer content and the language switcher.
 * `reply.page()` renders it; pages only provide what goes inside the card.
 */
export function Layout({ title, branding, brandStyle, width, footer, children }: LayoutProps) {
  const { locale } = usePage();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${branding.tenantName}`}</title>
        <link rel="stylesheet" href={stylesheetHref} />
        {brandStyle && <style>{brandStyle}</style>}
      </head>
      <body>
        <div className="shell">
          <main className={width === 'wide' ? 'card card--wide' : 'card'}>
            <header className="brand">
              {branding.logoUrl ? (
                <img className="brand-logo" src={branding.logoUrl} alt={branding.tenantName} />
              ) : (
                <p className="brand-name">{branding.tenantName}</p>
              )}
            </header>
            {children}
          </main>
          <footer className={width === 'wide' ? 'page-footer page-footer--wide' : 'page-footer'}>
            <LanguageSwitcher />
            {footer}
          </footer>
        </div>
      </body>
    </html>
  );
}

/**
 * Links to this same page in every other language; the current one is marked, not linked.
 * Left out where the page has no address to come back to (`currentUrl` null).
 */
export function LanguageSwitcher() {
  const { locale, t, currentUrl } = usePage();
  if (currentUrl === null) return null;
  return (
    <nav className="language-switcher" aria-label={t('layout.language')}>
      <ul>
        {locales.map((option) => (
          <li key={option} lang={option}>
            {option === locale ? (
              <span aria-current="true">{localeNames[option]}</span>
            ) : (
              <a href={languageSwitchHref(option, currentUrl)} hrefLang={option}>
                {localeNames[option]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** CSS custom properties for the tenant's background; its colours were validated in branding.ts. */
export function brandStyleFor(branding: SafeBranding): string | null {
  const colors = branding.colors;
  return colors ? `:root{--page-bg:${colors.background};--page-fg:${colors.foreground}}` : null;
}
