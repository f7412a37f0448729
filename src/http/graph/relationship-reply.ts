import type { FastifyRequest } from 'fastify';
import { isGuid } from '../../kernel/ids.ts';
import { ODataErrors, parseTop } from '../../kernel/odata/index.ts';
import type { DirectoryObject } from '../../modules/directory/index.ts';
import { directoryObjectProperties } from './properties.ts';
import { nextLink, readSelect, single } from './query-options.ts';
import { contextUrl, directoryObject } from './serialize.ts';
import { openSkipToken, relationshipFingerprint, sealSkipToken } from './skip-tokens.ts';

/**
 * Paging of relationship collections (members, memberOf, ...): `$top` (default 100, at most 999)
 * and a sealed `$skiptoken` that holds the last object id of the previous page (pages are in
 * object-id order, so a page never repeats or skips an object), bound to the tenant, the
 * relationship and the object it belongs to.
 */
export function readRelationshipPaging(request: FastifyRequest): { top: number; after: string | null } {
  const query = request.query as Record<string, string | string[] | undefined>;
  const topText = single(query, '$top');
  const top = topText === undefined ? 100 : parseTop(topText);
  const token = single(query, '$skiptoken');
  if (token === undefined) return { top, after: null };
  const { id } = openSkipToken(request, token, relationshipFingerprint(request));
  if (!isGuid(id)) throw ODataErrors.invalidSkipToken();
  return { top, after: id };
}

/** A polymorphic relationship collection: every item carries `@odata.type`. */
export function relationshipBody(request: FastifyRequest, root: string, items: DirectoryObject[], lastId: string | null = null) {
  const select = readSelect(request.query as Record<string, string>, directoryObjectProperties, 'microsoft.graph.directoryObject');
  const body: Record<string, unknown> = { '@odata.context': contextUrl(root, 'directoryObjects', select) };
  if (lastId) body['@odata.nextLink'] = nextLink(request, root, sealSkipToken(request, { sort: [], id: lastId, fingerprint: relationshipFingerprint(request) }));
  body.value = items.map((item) => directoryObject(item, select));
  return body;
}

/** The same for a relationship computed whole (transitive and role memberships): paged here, by id. */
export function computedRelationshipBody(request: FastifyRequest, root: string, items: DirectoryObject[]) {
  const { top, after } = readRelationshipPaging(request);
  const remaining = [...items].sort((a, b) => (a.object.id < b.object.id ? -1 : 1)).filter((item) => after === null || item.object.id > after);
  const page = remaining.slice(0, top);
  return relationshipBody(request, root, page, remaining.length > top ? (page[page.length - 1]?.object.id ?? null) : null);
}
