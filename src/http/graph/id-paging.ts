import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { ODataErrors, parseTop } from '../../kernel/odata/index.ts';
import { nextLink, readSelect, single } from './query-options.ts';
import { contextUrl, project } from './serialize.ts';
import { openSkipToken, relationshipFingerprint, sealSkipToken } from './skip-tokens.ts';

/** Query options these collections accept; Graph refuses the rest. */
const KNOWN = new Set(['$select', '$filter', '$top', '$skiptoken']);

/** The longest id a token may carry (grant and assignment ids are 43 characters). */
const MAX_ID_LENGTH = 128;

/**
 * Paging of collections kept in id order whose ids are not GUIDs (oauth2PermissionGrants,
 * appRoleAssignments): `$top` (default 100, at most 999), a sealed `$skiptoken` holding the last id
 * of the previous page, bound to the tenant, the route, the object in the path and `$filter`.
 */
export interface IdPaging {
  top: number;
  after: string | null;
  select: string[] | null;
  filterText: string | undefined;
  fingerprint: string;
}

export function readIdPaging(request: FastifyRequest, properties: readonly string[], typeName: string, options: { filter: boolean }): IdPaging {
  const query = request.query as Record<string, string | string[] | undefined>;
  for (const name of Object.keys(query)) {
    if (!name.startsWith('$')) continue;
    if (!KNOWN.has(name.toLowerCase()) || (name.toLowerCase() === '$filter' && !options.filter)) {
      throw new AppError('badRequest', 'graph.unknownQueryOption', `The query parameter '${name}' is not supported.`);
    }
  }
  const select = readSelect(query as Record<string, string>, properties, typeName);
  const topText = single(query, '$top');
  const top = topText === undefined ? 100 : parseTop(topText);
  const filterText = single(query, '$filter');
  // the filter is part of what a token continues: a token from one filter does not open for another
  const fingerprint = `${relationshipFingerprint(request)}:${Buffer.from(filterText ?? '').toString('base64url')}`;
  const token = single(query, '$skiptoken');
  if (token === undefined) return { top, after: null, select, filterText, fingerprint };
  const { id } = openSkipToken(request, token, fingerprint);
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) throw ODataErrors.invalidSkipToken();
  return { top, after: id, select, filterText, fingerprint };
}

/** A page of entities: context, items projected by `$select`, and the next link when more follow. */
export function idPagedBody(request: FastifyRequest, root: string, contextPath: string, paging: IdPaging, items: object[], last: string | null, defaults: readonly string[]) {
  const body: Record<string, unknown> = { '@odata.context': contextUrl(root, contextPath, paging.select) };
  if (last) body['@odata.nextLink'] = nextLink(request, root, sealSkipToken(request, { sort: [], id: last, fingerprint: paging.fingerprint }));
  body.value = items.map((item) => project(item, paging.select, defaults));
  return body;
}
