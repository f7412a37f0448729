import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import type { EntityCatalog } from '../../kernel/odata/index.ts';
import type { ListQuery, Page } from '../../modules/directory/index.ts';
import { eventual, readCollectionOptions } from './query-options.ts';

/** `/{collection}/$count`: a plain-text number, and only with `ConsistencyLevel: eventual` (Graph's rule). */
export async function countOnly<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  list: (query: ListQuery) => Promise<Page<T>>,
  catalog: EntityCatalog,
  properties: readonly string[],
  typeName: string,
) {
  if (!eventual(request)) throw new AppError('badRequest', 'graph.countNeedsEventual', '$count is not currently supported.');
  const { query } = readCollectionOptions(request, catalog, properties, typeName);
  const page = await list({ ...query, top: 1, count: true, after: undefined });
  return reply.type('text/plain; charset=utf-8').send(String(page.count ?? 0));
}
