import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import {
  analyzeQuery,
  parseFilter,
  parseOrderBy,
  parseSearch,
  parseSelect,
  parseTop,
  requireAdvanced,
  type EntityCatalog,
} from '../../kernel/odata/index.ts';
import type { ListQuery } from '../../modules/directory/index.ts';
import { collectionFingerprint, openSkipToken } from './skip-tokens.ts';

type Query = Record<string, string | string[] | undefined>;

const KNOWN = new Set(['$select', '$filter', '$top', '$orderby', '$count', '$search', '$skiptoken', '$expand', '$skip', '$format']);

/** A query option given at most once (Graph refuses `?$top=1&$top=2`). */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new AppError('badRequest', 'graph.duplicateQueryOption', `Query option '${name}' was specified more than once.`);
  return value;
}

export function eventual(request: FastifyRequest): boolean {
  const header = request.headers.consistencylevel;
  return typeof header === 'string' && header.toLowerCase() === 'eventual';
}

/** `$select` validated against the entity's properties (Graph's "Could not find a property" error). */
export function readSelect(query: Query, properties: readonly string[], typeName: string): string[] | null {
  const raw = single(query, '$select');
  if (raw === undefined) return null;
  const names = parseSelect(raw);
  return names.map((name) => {
    const match = properties.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!match) {
      throw new AppError('badRequest', 'graph.unknownSelect', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${typeName}'.`);
    }
    return match;
  });
}

export interface CollectionOptions {
  select: string[] | null;
  query: ListQuery;
  /** ties a $skiptoken to the tenant and the query it was issued for */
  fingerprint: string;
}

/**
 * Reads the OData query options of a collection request into a module-level ListQuery, applying
 * Graph's rules: $top 1..999 (default 100), advanced queries need `ConsistencyLevel: eventual`
 * and `$count=true`, `$count=true` without the header is ignored.
 */
export function readCollectionOptions(request: FastifyRequest, catalog: EntityCatalog, properties: readonly string[], typeName: string): CollectionOptions {
  const query = request.query as Query;
  for (const name of Object.keys(query)) {
    if (name.startsWith('$') && !KNOWN.has(name.toLowerCase())) {
      throw new AppError('badRequest', 'graph.unknownQueryOption', `The query parameter '${name}' is not supported.`);
    }
  }
  if (query.$skip !== undefined) throw new AppError('badRequest', 'graph.skipUnsupported', "'$skip' is not supported by the service.");
  if (query.$expand !== undefined) throw new AppError('unsupportedQuery', 'graph.expandUnsupported', "'$expand' is not supported on this collection.");
  const select = readSelect(query, properties, typeName);
  const topText = single(query, '$top');
  const top = topText === undefined ? 100 : parseTop(topText);
  const filterText = single(query, '$filter');
  const orderText = single(query, '$orderby');
  const searchText = single(query, '$search');
  const countText = single(query, '$count');
  if (countText !== undefined && countText !== 'true' && countText !== 'false') {
    throw new AppError('badRequest', 'graph.invalidCount', `Invalid value '${countText}' for $count: expected true or false.`);
  }
  const filter = filterText === undefined ? undefined : parseFilter(filterText);
  const orderBy = orderText === undefined ? undefined : parseOrderBy(orderText);
  const search = searchText === undefined ? undefined : parseSearch(searchText);
  const count = countText === 'true';
  const analysis = analyzeQuery(catalog, { filter, orderBy, search, count });
  const consistency = eventual(request);
  requireAdvanced(analysis, { consistencyLevel: consistency, count });
  const fingerprint = collectionFingerprint(request, [filterText ?? '', orderText ?? '', searchText ?? '', select?.join(',') ?? '']);
  const tokenText = single(query, '$skiptoken');
  const after = tokenText === undefined ? undefined : openSkipToken(request, tokenText, fingerprint);
  return { select, fingerprint, query: { filter, orderBy, search, top, after, count: count && consistency } };
}

/** The `@odata.nextLink` for the next page: the same request with an opaque `$skiptoken`. */
export function nextLink(request: FastifyRequest, root: string, token: string): string {
  const url = new URL(request.url, 'http://graph.invalid');
  url.searchParams.delete('$skiptoken');
  url.searchParams.set('$skiptoken', token);
  const path = url.pathname.replace(/^\/(v1\.0|beta)/, '');
  return `${root}${path}?${url.searchParams.toString().replace(/%24/g, '$')}`;
}
