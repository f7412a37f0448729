/**
 * The end-user pages framework (DESIGN §7): server-rendered, escaped by construction (JSX),
 * CSRF-protected, localized (English, Dutch), branded per tenant, and free of client JavaScript.
 * See README.md in this folder for how to build a page on it.
 */
export { pagesPlugin, type PagesOptions } from './pages.plugin.ts';
export type { PageOptions } from './render-page.tsx';
export type { Branding } from './branding.ts';
export { verifyCsrf, CSRF_FIELD } from './csrf.ts';
export { renderErrorPage, type ErrorPageInput } from './error-page.tsx';
export { renderStandalonePage, standaloneLocale, type StandalonePage, type StandalonePageInput, type StandaloneRequest } from './standalone-page.tsx';
export { usePage, type PageContextValue } from './page-context.ts';
export { Layout, LanguageSwitcher } from './layout.tsx';
export { PageHeading, Section, Alert, DescriptionList } from './content.tsx';
export { Form, Field, CsrfField, Button, Actions, type FieldErrors, type FieldProps } from './form.tsx';
export type { MessageKey, Translate } from './i18n/catalog.ts';
export type { Locale } from './i18n/locales.ts';
