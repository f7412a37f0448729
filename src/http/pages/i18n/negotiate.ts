import { defaultLocale, isLocale, type Locale } from './locales.ts';

export interface LocaleSources {
  /** OIDC `ui_locales`: space-separated BCP 47 tags in order of preference. */
  uiLocales?: unknown;
  /** The `tessera_lang` cookie the language switcher sets. */
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}

/**
 * Picks the page language: an explicit `ui_locales` from the request wins (an app asked for it),
 * then the user's own choice from the switcher cookie, then the browser's preferences, then English.
 */
export function negotiateLocale(sources: LocaleSources): Locale {
  const fromUiLocales = matchUiLocales(sources.uiLocales);
  if (fromUiLocales) return fromUiLocales;
  if (isLocale(sources.cookie)) return sources.cookie;
  return firstSupported(parseAcceptLanguage(sources.acceptLanguage ?? '')) ?? defaultLocale;
}

/** The first supported language of a `ui_locales` value (`"fr-FR nl en"` -> `nl`), if any. */
export function matchUiLocales(value: unknown): Locale | null {
  return typeof value === 'string' ? firstSupported(value.split(' ')) : null;
}

/** Matches a language tag by its primary subtag: `nl-BE` and `NL` both mean Dutch. */
export function matchLocale(tag: string): Locale | null {
  const primary = tag.trim().split('-')[0]?.toLowerCase();
  return isLocale(primary) ? primary : null;
}

function firstSupported(tags: readonly string[]): Locale | null {
  for (const tag of tags) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return null;
}

// A browser sends a handful of ranges; anything longer is not a browser and gets no more attention.
const MAX_RANGES = 32;

/** Language ranges of an `Accept-Language` header, most preferred first; `q=0` means "not this". */
export function parseAcceptLanguage(header: string): string[] {
  const ranges: { tag: string; q: number; index: number }[] = [];
  for (const [index, part] of header.split(',').slice(0, MAX_RANGES).entries()) {
    const [tag = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    if (!tag || tag === '*') continue;
    const qParameter = parameters.find((parameter) => /^q\s*=/i.test(parameter));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(qParameter.indexOf('=') + 1).trim());
    if (!(q > 0 && q <= 1)) continue;
    ranges.push({ tag, q, index });
  }
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index).map((range) => range.tag);
}
