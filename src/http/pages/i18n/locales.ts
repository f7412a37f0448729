import type { Catalog, Translate } from './catalog.ts';
import { en } from './en.ts';
import { nl } from './nl.ts';

export const locales = ['en', 'nl'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** Each language's name in that language, as a language switcher shows it. */
export const localeNames: Readonly<Record<Locale, string>> = { en: 'English', nl: 'Nederlands' };

const catalogs: Readonly<Record<Locale, Catalog>> = { en, nl };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return ((key, ...args) => {
    const params: Readonly<Record<string, string | number>> = args[0] ?? {};
    return catalog[key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : placeholder,
    );
  }) as Translate;
}
