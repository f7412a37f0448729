// Any fixed origin works: parsing against it only shows whether a value would leave the origin.
const PROBE_ORIGIN = 'http://tessera.invalid';

/**
 * A path on this server to send the browser back to, or null. Only a plain absolute path is
 * accepted: `//host`, `/\host` (which browsers read as `//host`), absolute URLs and control
 * characters are refused, so the value can never lead off-site.
 */
export function localPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  const url = new URL(value, PROBE_ORIGIN);
  return url.origin === PROBE_ORIGIN ? url.pathname + url.search : null;
}
