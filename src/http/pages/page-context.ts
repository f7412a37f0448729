import { createContext, useContext } from 'react';
import type { Translate } from './i18n/catalog.ts';
import type { Locale } from './i18n/locales.ts';

/** What every component of a page may need from the request it is rendered for. */
export interface PageContextValue {
  locale: Locale;
  t: Translate;
  /** The CSRF token for this browser; `<CsrfField/>` puts it in a form. */
  csrfToken: string;
  /**
   * The current path and query, so the language switcher can come back to it; null on a page
   * that cannot be requested again by its address (the result of a POST), which has no switcher.
   */
  currentUrl: string | null;
}

export const PageContext = createContext<PageContextValue | null>(null);

/** The current page's locale, translator and CSRF token. Only valid inside `reply.page(...)`. */
export function usePage(): PageContextValue {
  const page = useContext(PageContext);
  if (!page) throw new Error('usePage() called outside reply.page(...)');
  return page;
}
