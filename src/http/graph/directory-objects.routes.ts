import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { requireObjectIdParams } from './object-id-params.ts';
import { relationshipBody } from './relationship-reply.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, directoryObject, graphRoot } from './serialize.ts';

type IdParams = { id: string };

/** `/directoryObjects`: any object by id, and several at once (Graph's getByIds). */
export const directoryObjectsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { membership, config } = container;
  // ids in these paths are object ids only: anything else is Graph's 400 "Invalid object identifier"
  requireObjectIdParams(app);

  app.get<{ Params: IdParams }>('/directoryObjects/:id', { config: { operation: 'directoryObjects.read' } }, async (request) => {
    const item = await membership.directoryObject(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'directoryObjects/$entity', null), ...directoryObject(item, null) };
  });

  app.post('/directoryObjects/getByIds', { config: { operation: 'directoryObjects.read' } }, async (request) => {
    const items = await membership.getByIds(scopeOf(request), principalOf(request), request.body);
    return relationshipBody(request, graphRoot(request, config.baseUrl), items);
  });
};
