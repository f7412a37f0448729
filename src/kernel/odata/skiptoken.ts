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
 * The plain form of a $skiptoken: the cursor plus the fingerprint of the query that produced it, as
 * base64url JSON. Clients never see or send this form: it is what SkipTokenSeal seals (below).
 */
export function encodeSkipToken(token: KeysetCursor & { readonly fingerprint: string }): string {
  return Buffer.from(plainText(token)).toString('base64url');
}

/** Reads the plain form back; malformed tokens and tokens issued for a different query are "Invalid $skiptoken.". */
export function decodeSkipToken(token: string, fingerprint: string): KeysetCursor {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw ODataErrors.invalidSkipToken();
  return readPlainText(Buffer.from(token, 'base64url').toString('utf8'), fingerprint);
}

function plainText(token: KeysetCursor & { readonly fingerprint: string }): string {
  return JSON.stringify([token.fingerprint, token.id, token.sort]);
}

function readPlainText(text: string, fingerprint: string): KeysetCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
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

/** What seals and opens values with a server key: the kernel's SecretBox (AES-256-GCM under TESSERA_SECRET). */
export interface Sealer {
  seal(plaintext: string): string;
  /** throws when the value was not sealed with this key or was changed */
  open(sealed: string): string;
}

/** Tells a sealed skip token apart from anything else sealed with the same key (cookies, signing keys). */
const PURPOSE = 'odata.skiptoken.v1';
/** what a sealed value is made of (SecretBox: `v1.<iv>.<tag>.<data>`, base64url parts) */
const SEALED_CHARACTERS = /^[A-Za-z0-9_.-]+$/;
/**
 * A sealed token is about 4/3 of its plain JSON plus 45 characters; the longest real cursor (four
 * sort keys at their maximum lengths, all multi-byte) stays well below this. Longer input is
 * refused unread.
 */
const MAX_SEALED_LENGTH = 8192;

/**
 * The $skiptoken clients see: the plain form sealed with the server key, so a client can neither
 * read a cursor (sort values are other objects' property values) nor make one up, and a token
 * opens only for the fingerprint it was issued with (the tenant, the collection or relationship,
 * the query). The key comes from TESSERA_SECRET alone, so every node that shares the secret opens
 * every node's tokens, across restarts; the fingerprint is inside the sealed text, so
 * authentication covers it.
 */
export class SkipTokenSeal {
  readonly #sealer: Sealer;

  constructor(sealer: Sealer) {
    this.#sealer = sealer;
  }

  seal(token: KeysetCursor & { readonly fingerprint: string }): string {
    return this.#sealer.seal(`${PURPOSE}:${plainText(token)}`);
  }

  /** Edited, forged, foreign (other key, tenant or query) and malformed tokens are all "Invalid $skiptoken.". */
  open(token: string, fingerprint: string): KeysetCursor {
    if (token.length === 0 || token.length > MAX_SEALED_LENGTH || !SEALED_CHARACTERS.test(token)) throw ODataErrors.invalidSkipToken();
    // a 12-byte IV and a full 16-byte GCM tag: Node would also check a truncated tag (down to 4
    // bytes), which makes forging a token a matter of 2^32 tries instead of 2^128
    const [, iv, tag] = token.split('.');
    if (iv?.length !== 16 || tag?.length !== 22) throw ODataErrors.invalidSkipToken();
    let plain: string;
    try {
      plain = this.#sealer.open(token);
    } catch {
      throw ODataErrors.invalidSkipToken();
    }
    if (!plain.startsWith(`${PURPOSE}:`)) throw ODataErrors.invalidSkipToken();
    return readPlainText(plain.slice(PURPOSE.length + 1), fingerprint);
  }
}
