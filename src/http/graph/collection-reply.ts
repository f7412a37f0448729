import type { FastifyRequest } from 'fastify';
import type { Page } from '../../modules/directory/index.ts';
import { nextLink, type CollectionOptions } from './query-options.ts';
import { contextUrl, project } from './serialize.ts';
import { sealSkipToken } from './skip-tokens.ts';

/** The body of a paged entity collection: context, optional count, items and the next link. */
export function collectionBody<T extends object>(request: FastifyRequest, root: string, entitySet: string, options: CollectionOptions, page: Page<T>, defaults: readonly string[]) {
  const body: Record<string, unknown> = { '@odata.context': contextUrl(root, entitySet, options.select) };
  if (page.count !== null) body['@odata.count'] = page.count;
  if (page.nextCursor) body['@odata.nextLink'] = nextLink(request, root, sealSkipToken(request, { ...page.nextCursor, fingerprint: options.fingerprint }));
  body.value = page.items.map((item) => project(item, options.select, defaults));
  return body;
}
