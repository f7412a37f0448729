/** A tenant's company branding for end-user pages, as `resolveBranding` returns it. */
export interface Branding {
  tenantName: string;
  /** An `https:` URL (or a same-origin path) of the banner logo. */
  logoUrl: string | null;
  /** The page background behind the card, `#rrggbb`. */
  backgroundColor: string | null;
}

/** Branding the layout can render as is: everything that failed validation has been dropped. */
export interface SafeBranding {
  tenantName: string;
  logoUrl: string | null;
  /** Background and a text colour that reads on it, or null for the default look. */
  colors: { background: string; foreground: string } | null;
}

const PRODUCT_NAME = 'Tessera';
const MAX_NAME_LENGTH = 256;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const DARK_TEXT = '#1b1b1b';
const LIGHT_TEXT = '#ffffff';

/**
 * Branding is tenant-controlled input, so it is validated here rather than trusted: a colour that
 * is not exactly `#rrggbb` or a logo that is not https would otherwise end up in CSS or a URL.
 */
export function sanitizeBranding(branding: Branding | null): SafeBranding {
  const name = branding?.tenantName.trim().slice(0, MAX_NAME_LENGTH);
  const background = branding?.backgroundColor && HEX_COLOR.test(branding.backgroundColor) ? branding.backgroundColor.toLowerCase() : null;
  return {
    tenantName: name || PRODUCT_NAME,
    logoUrl: branding?.logoUrl ? safeLogoUrl(branding.logoUrl) : null,
    colors: background ? { background, foreground: readableTextOn(background) } : null,
  };
}

function safeLogoUrl(value: string): string | null {
  if (value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')) return value;
  try {
    return new URL(value).protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}

/** Dark or light text, whichever contrasts more with the background (WCAG relative luminance). */
function readableTextOn(hex: string): string {
  const background = luminance(hex);
  const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  return contrast(background, luminance(DARK_TEXT)) >= contrast(background, luminance(LIGHT_TEXT)) ? DARK_TEXT : LIGHT_TEXT;
}

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((start) => {
    const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
