import { createHash } from 'node:crypto';

export interface PolicyInput {
  /** Exact text of inline `<style>` elements on the page; each is allowed by its hash. */
  inlineStyles: readonly string[];
  /** Origins a form may post to, or be redirected to after posting, besides this one. */
  formActionOrigins: readonly string[];
}

/**
 * Headers for every HTML page. The pages use no script at all, so `script-src 'none'`; styles come
 * from our own stylesheet plus hashed inline brand colours; nothing may frame a sign-in page.
 * `form-action` also governs the redirects that follow a POST (a sign-in that ends at a client's
 * redirect URI), which is why pages can add origins to it.
 */
export function pageSecurityHeaders({ inlineStyles, formActionOrigins }: PolicyInput): Record<string, string> {
  const styleHashes = inlineStyles.map((css) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`);
  const policy = [
    "default-src 'self'",
    "script-src 'none'",
    "img-src 'self' https: data:",
    ["style-src 'self'", ...styleHashes].join(' '),
    ["form-action 'self'", ...new Set(formActionOrigins.map(toOrigin))].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': policy,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  };
}

/** Only an http(s) origin may go into the policy: anything else could inject directives. */
function toOrigin(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`not an http(s) origin: ${value}`);
  return url.origin;
}
