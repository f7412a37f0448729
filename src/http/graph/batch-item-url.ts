export type GraphVersion = 'v1.0' | 'beta';

/** Why an item URL is refused; the batch answers that item with Graph's error body and 400. */
export interface ItemUrlProblem {
  /** Graph's error code: `BadRequest` for an unknown segment (as a direct request gets it), else Request_BadRequest */
  code: 'BadRequest' | 'Request_BadRequest';
  message: string;
}

const BASE = 'http://graph.invalid';
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** in the path: `..` (also a half-encoded `.%2e`), encoded `.`, `/`, `\`, and a raw `\` (WHATWG URL reads it as `/`) */
const TRAVERSAL = /\.\.|%2e|%2f|%5c|\\/i;

const refused = (message: string): ItemUrlProblem => ({ code: 'Request_BadRequest', message: `Invalid request URL '${message}'.` });

/**
 * A `$batch` item's URL as the path to run it at: always under the batch's own version root, so an
 * item reaches the Graph API and nothing else on the server (not `/dev/mail`, `/admin`, the OIDC
 * endpoints, the other version, nor `$batch` again).
 *
 * Graph takes `users` and `/users` alike, both relative to the version root. `/v1.0/users` is not
 * stripped: Graph reads the version as a path segment under the root and answers "Resource not found
 * for the segment 'v1.0'." (seen from the SDKs that sent it: msgraph-sdk-javascript#1178); so do we.
 * Absolute URLs (any scheme, or `//host`) are refused per item here, where Graph refuses the whole
 * batch as "Invalid batch payload format."; one bad item should not cost the others.
 *
 * Two locks: raw traversal spellings are refused before the URL is read (so no decoding or WHATWG
 * normalisation can turn them into `..`), and the URL resolved against `{base}/{version}/` must
 * still be on the same origin and under `/{version}/`.
 */
export function resolveItemUrl(raw: string, version: GraphVersion): { path: string } | { problem: ItemUrlProblem } {
  if (raw === '') return { problem: { code: 'Request_BadRequest', message: 'The request URL is empty.' } };
  // WHATWG URL drops tabs and newlines (`.\t.` would become `..`) and trims spaces and controls
  // at either end (` %24batch` would pass a check of the raw text): refuse them instead
  if (hasControlCharacter(raw) || raw.trim() !== raw) return { problem: { code: 'Request_BadRequest', message: 'The request URL has control characters or surrounding spaces.' } };
  if (SCHEME.test(raw) || /^[/\\]{2}/.test(raw)) {
    return { problem: { code: 'Request_BadRequest', message: `The request URL '${raw}' must be relative to the version root (such as '/users'), not absolute.` } };
  }
  const relative = raw.startsWith('/') ? raw.slice(1) : raw;
  if (TRAVERSAL.test(relative.split(/[?#]/, 1)[0] ?? '')) return { problem: refused(raw) };
  let resolved: URL;
  try {
    resolved = new URL(relative, `${BASE}/${version}/`);
  } catch {
    return { problem: refused(raw) };
  }
  if (resolved.origin !== BASE || !resolved.pathname.startsWith(`/${version}/`)) return { problem: refused(raw) };
  // the segments as the router reads them (it decodes percent-escapes: `$%62atch` is `$batch`)
  const segments = resolved.pathname.slice(version.length + 2).split('/').map(decodeSegment);
  const first = segments[0] ?? '';
  if (first.toLowerCase() === 'v1.0' || first.toLowerCase() === 'beta') return { problem: { code: 'BadRequest', message: `Resource not found for the segment '${first}'.` } };
  if (segments.some((segment) => segment.toLowerCase() === '$batch')) {
    return { problem: { code: 'Request_BadRequest', message: 'A $batch request cannot contain another $batch request.' } };
  }
  return { path: `${resolved.pathname}${resolved.search}` };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** C0 controls and DEL (`tab` too, unless allowed: header values may hold one). */
export function hasControlCharacter(text: string, options: { allowTab?: boolean } = {}): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 || code === 0x7f) && !(options.allowTab && code === 0x09)) return true;
  }
  return false;
}
