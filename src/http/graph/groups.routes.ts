import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { groupCatalog, groupDefaultProperties } from '../../modules/directory/index.ts';
import { collectionBody } from './collection-reply.ts';
import { countOnly } from './count-reply.ts';
import { requireObjectIdParams } from './object-id-params.ts';
import { groupProperties } from './properties.ts';
import { readCollectionOptions, readSelect } from './query-options.ts';
import { computedRelationshipBody, readRelationshipPaging, relationshipBody } from './relationship-reply.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';

type IdParams = { id: string };
type RefParams = { id: string; memberId: string };

export const groupsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { groups, membership, config } = container;
  // ids in these paths are object ids only: anything else is Graph's 400 "Invalid object identifier"
  requireObjectIdParams(app);

  app.get('/groups', { config: { operation: 'groups.list' } }, async (request) => {
    const options = readCollectionOptions(request, groupCatalog, groupProperties, 'microsoft.graph.group');
    const page = await groups.list(scopeOf(request), principalOf(request), options.query);
    return collectionBody(request, graphRoot(request, config.baseUrl), 'groups', options, page, groupDefaultProperties);
  });

  app.get('/groups/$count', { config: { operation: 'groups.list' } }, async (request, reply) => {
    return countOnly(request, reply, (query) => groups.list(scopeOf(request), principalOf(request), query), groupCatalog, groupProperties, 'microsoft.graph.group');
  });

  app.post('/groups', { config: { operation: 'groups.create' } }, async (request, reply) => {
    const group = await groups.create(scopeOf(request), principalOf(request), request.body);
    const root = graphRoot(request, config.baseUrl);
    reply.code(201).header('location', `${root}/groups/${group.id}`);
    return { '@odata.context': contextUrl(root, 'groups/$entity', null), ...project(group, null, groupDefaultProperties) };
  });

  app.get<{ Params: IdParams }>('/groups/:id', { config: { operation: 'groups.read' } }, async (request) => {
    const select = readSelect(request.query as Record<string, string>, groupProperties, 'microsoft.graph.group');
    const group = await groups.get(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': `${contextUrl(graphRoot(request, config.baseUrl), 'groups', select)}/$entity`, ...project(group, select, groupDefaultProperties) };
  });

  app.patch<{ Params: IdParams }>('/groups/:id', { config: { operation: 'groups.update' } }, async (request, reply) => {
    await groups.update(scopeOf(request), principalOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });

  app.delete<{ Params: IdParams }>('/groups/:id', { config: { operation: 'groups.delete' } }, async (request, reply) => {
    await groups.delete(scopeOf(request), principalOf(request), request.params.id);
    return reply.code(204).send();
  });

  for (const relation of ['members', 'owners'] as const) {
    const update = relation === 'members' ? 'groups.members.update' : 'groups.owners.update';

    app.get<{ Params: IdParams }>(`/groups/:id/${relation}`, { config: { operation: 'groups.read' } }, async (request) => {
      const { top, after } = readRelationshipPaging(request);
      const page = await groups.references(scopeOf(request), principalOf(request), relation, request.params.id, after, top);
      return relationshipBody(request, graphRoot(request, config.baseUrl), page.items, page.last);
    });

    app.post<{ Params: IdParams }>(`/groups/:id/${relation}/$ref`, { config: { operation: update } }, async (request, reply) => {
      await groups.addReference(scopeOf(request), principalOf(request), relation, request.params.id, request.body);
      return reply.code(204).send();
    });

    app.delete<{ Params: RefParams }>(`/groups/:id/${relation}/:memberId/$ref`, { config: { operation: update } }, async (request, reply) => {
      await groups.removeReference(scopeOf(request), principalOf(request), relation, request.params.id, request.params.memberId);
      return reply.code(204).send();
    });
  }

  app.get<{ Params: IdParams }>('/groups/:id/transitiveMembers', { config: { operation: 'groups.read' } }, async (request) => {
    const items = await groups.transitiveMembers(scopeOf(request), principalOf(request), request.params.id);
    return computedRelationshipBody(request, graphRoot(request, config.baseUrl), items);
  });

  for (const transitive of [false, true]) {
    app.get<{ Params: IdParams }>(`/groups/:id/${transitive ? 'transitiveMemberOf' : 'memberOf'}`, { config: { operation: 'groups.read' } }, async (request) => {
      await groups.get(scopeOf(request), principalOf(request), request.params.id);
      const items = await membership.memberOf(scopeOf(request), principalOf(request), request.params.id, transitive);
      return computedRelationshipBody(request, graphRoot(request, config.baseUrl), items);
    });
  }
};

