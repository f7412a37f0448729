import { createHash } from 'node:crypto';
import { ODataErrors } from './odata.errors.ts';

/** Where the previous page ended: the sort-key values of its last row (one per SortKey, in order) and its id. */
export interface KeysetCursor {
  readonly sort: readonly (string | null)[];
  readonly id: string;
}

/** Far above any real token (a few sort values and an id); longer input is rejected unread. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * A $skiptoken is the cursor plus the fingerprint of the query that produced it, as base64url
 * JSON. It is opaque to clients but not secret: a hand-edited cursor only moves the page start
 * within the caller's own query, since every value is bound as a parameter.
 */
export function encodeSkipToken(token: KeysetCursor & { readonly fingerprint: string }): string {
  return Buffer.from(JSON.stringify([token.fingerprint, token.id, token.sort])).toString('base64url');
}

/** Reads a $skiptoken back; malformed tokens and tokens issued for a different query are "Invalid $skiptoken.". */
export function decodeSkipToken(token: string, fingerprint: string): KeysetCursor {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw ODataErrors.invalidSkipToken();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw ODataErrors.invalidSkipToken();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw ODataErrors.invalidSkipToken();
  const [tokenFingerprint, id, sort] = decoded as unknown[];
  const validSort = Array.isArray(sort) && sort.every((value) => value === null || typeof value === 'string');
  if (tokenFingerprint !== fingerprint || typeof id !== 'string' || id === '' || !validSort) throw ODataErrors.invalidSkipToken();
  return { sort: sort as (string | null)[], id };
}

/**
 * A short hash of everything that shapes a result list (the $filter, $orderby, $search and $select
 * texts, the collection path, ...), so a token only works on the query it was issued for.
 */
export function queryFingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}
