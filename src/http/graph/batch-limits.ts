import { GRAPH_BATCH_BODY_LIMIT } from './graph-limits.ts';

/**
 * The longest request URL the Graph surface takes (path and query, in characters). Common front
 * proxies stop at about 8 KB per request line (nginx `large_client_header_buffers`, Apache
 * `LimitRequestLine` 8190), so a longer direct request never reaches a node behind one; it is also
 * twice the longest `$filter` (kernel/odata/limits.ts). A `$batch` item's URL obeys it as well.
 */
export const GRAPH_URL_MAX_LENGTH = 8192;

/**
 * One `$batch`'s budget, as data (DESIGN §10). Over any of these the whole batch is refused
 * (400, or 413 for the body) and no item runs; the response budget is checked as items finish,
 * so items that already ran keep their effects, but no further item starts and nothing is returned.
 */
export const BATCH_LIMITS = {
  /** Graph's own limit */
  maxRequests: 20,
  /** the batch body, in bytes (graph-limits.ts, shared with the Graph body limit's author) */
  maxBodyBytes: GRAPH_BATCH_BODY_LIMIT,
  /**
   * the item responses together, in bytes: Graph's own body limit for writes; a few pages of 999
   * users fit, twenty of them (about 10-20 MB to hold at once) do not
   */
  maxResponseBytes: 4 * 1024 * 1024,
  /**
   * items running at once. On PostgreSQL a few, so items overlap while one batch still cannot hold
   * twenty pages in memory or twenty pool connections, and items not yet started stop once over
   * the budget. On SQLite one: its driver is synchronous, so overlapping items gain nothing and
   * would only hold the event loop (and /healthz) for longer stretches.
   */
  maxConcurrentItems: { postgres: 5, sqlite: 1 },
  /** an item's `url`: what a direct request may have */
  maxUrlLength: GRAPH_URL_MAX_LENGTH,
  /** an item's `id`: SDKs use small numbers or GUIDs (36) */
  maxIdLength: 64,
  /** `dependsOn` entries of one item: each other item at most once */
  maxDependsOn: 19,
  /** an item's own headers */
  maxHeaders: 20,
  maxHeaderNameLength: 64,
  maxHeaderValueLength: 2048,
} as const;

/**
 * The item headers that reach the item, lower-cased. Identity and transport headers (authorization,
 * host, cookie, x-forwarded-*, forwarded, content-length, ...) always come from the outer request,
 * so an item cannot claim another client address or credential; other item headers are dropped.
 */
export const BATCH_ITEM_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'consistencylevel',
  'prefer',
  'if-match',
  'if-none-match',
  'accept',
  'accept-language',
]);

/**
 * The outer request's headers every item carries (lower-cased), replacing any the item names: its
 * credential, correlation id, and everything Fastify derives the client address, host and
 * protocol from, so `request.ip` is the same inside an item as on the batch (with or without
 * TESSERA_TRUST_PROXY).
 */
export const BATCH_OUTER_HEADERS = ['authorization', 'host', 'user-agent', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'x-real-ip'] as const;
