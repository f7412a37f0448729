import type { FastifyRequest } from 'fastify';
import type { DirectoryObject } from '../../modules/directory/index.ts';
import { readSelect } from './query-options.ts';
import { contextUrl, directoryObject } from './serialize.ts';
import { directoryObjectProperties } from './properties.ts';

/** A polymorphic relationship collection (memberOf, members, ...): every item carries `@odata.type`. */
export function relationshipBody(request: FastifyRequest, root: string, items: DirectoryObject[], nextLink?: string | null) {
  const select = readSelect(request.query as Record<string, string>, directoryObjectProperties, 'microsoft.graph.directoryObject');
  const body: Record<string, unknown> = { '@odata.context': contextUrl(root, 'directoryObjects', select) };
  if (nextLink) body['@odata.nextLink'] = nextLink;
  body.value = items.map((item) => directoryObject(item, select));
  return body;
}
