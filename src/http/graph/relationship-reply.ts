import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';
import { parseTop } from '../../kernel/odata/index.ts';
import type { DirectoryObject } from '../../modules/directory/index.ts';
import { directoryObjectProperties } from './properties.ts';
import { nextLink, readSelect } from './query-options.ts';
import { contextUrl, directoryObject } from './serialize.ts';

/**
 * Paging of relationship collections (members, memberOf, ...): `$top` (default 100, at most 999)
 * and an opaque `$skiptoken` that holds the last object id of the previous page (pages are in
 * object-id order, so a page never repeats or skips an object).
 */
export function readRelationshipPaging(request: FastifyRequest): { top: number; after: string | null } {
  const query = request.query as Record<string, string | undefined>;
  const top = query.$top === undefined ? 100 : parseTop(query.$top);
  if (query.$skiptoken === undefined) return { top, after: null };
  const id = Buffer.from(query.$skiptoken, 'base64url').toString('utf8');
  if (!isGuid(id)) throw new AppError('badRequest', 'graph.invalidSkipToken', 'Invalid $skiptoken.');
  return { top, after: id };
}

/** A polymorphic relationship collection: every item carries `@odata.type`. */
export function relationshipBody(request: FastifyRequest, root: string, items: DirectoryObject[], lastId: string | null = null) {
  const select = readSelect(request.query as Record<string, string>, directoryObjectProperties, 'microsoft.graph.directoryObject');
  const body: Record<string, unknown> = { '@odata.context': contextUrl(root, 'directoryObjects', select) };
  if (lastId) body['@odata.nextLink'] = nextLink(request, root, Buffer.from(lastId).toString('base64url'));
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
