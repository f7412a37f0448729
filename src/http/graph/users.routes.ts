import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { userCatalog, userDefaultProperties } from '../../modules/directory/index.ts';
import { collectionBody } from './collection-reply.ts';
import { computedRelationshipBody } from './relationship-reply.ts';
import { countOnly } from './count-reply.ts';
import { readCollectionOptions, readSelect } from './query-options.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';
import { userProperties } from './properties.ts';

type IdParams = { id: string };

/** `/users`: thin routes; the directory module's UsersService does the work. */
export const usersRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { users, membership, config } = container;

  app.get('/users', { config: { operation: 'users.list' } }, async (request) => {
    const options = readCollectionOptions(request, userCatalog, userProperties, 'microsoft.graph.user');
    // only the returned properties' columns are read
    const page = await users.list(scopeOf(request), principalOf(request), { ...options.query, properties: options.select ?? userDefaultProperties });
    return collectionBody(request, graphRoot(request, config.baseUrl), 'users', options, page, userDefaultProperties);
  });

  app.get('/users/$count', { config: { operation: 'users.list' } }, async (request, reply) => {
    return countOnly(request, reply, (query) => users.list(scopeOf(request), principalOf(request), query), userCatalog, userProperties, 'microsoft.graph.user');
  });

  app.post('/users', { config: { operation: 'users.create' } }, async (request, reply) => {
    const user = await users.create(scopeOf(request), principalOf(request), request.body);
    const root = graphRoot(request, config.baseUrl);
    reply.code(201).header('location', `${root}/users/${user.id}`);
    return { '@odata.context': contextUrl(root, 'users/$entity', null), ...project(user, null, userDefaultProperties) };
  });

  app.get<{ Params: IdParams }>('/users/:id', { config: { operation: 'users.read' } }, async (request) => {
    const select = readSelect(request.query as Record<string, string>, userProperties, 'microsoft.graph.user');
    const user = await users.get(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'users', select) + '/$entity', ...project(user, select, userDefaultProperties) };
  });

  app.patch<{ Params: IdParams }>('/users/:id', { config: { operation: 'users.update' } }, async (request, reply) => {
    await users.update(scopeOf(request), principalOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });

  // Graph answers an Edm.Boolean: every sign-in session and refresh token of the user has ended
  app.post<{ Params: IdParams }>('/users/:id/revokeSignInSessions', { config: { operation: 'users.revokeSessions' } }, async (request) => {
    await users.revokeSignInSessions(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'Edm.Boolean', null), value: true };
  });

  app.delete<{ Params: IdParams }>('/users/:id', { config: { operation: 'users.delete' } }, async (request, reply) => {
    await users.delete(scopeOf(request), principalOf(request), request.params.id);
    return reply.code(204).send();
  });

  for (const transitive of [false, true]) {
    const segment = transitive ? 'transitiveMemberOf' : 'memberOf';
    app.get<{ Params: IdParams }>(`/users/:id/${segment}`, { config: { operation: 'users.read' } }, async (request) => {
      const items = await membership.memberOf(scopeOf(request), principalOf(request), request.params.id, transitive);
      return computedRelationshipBody(request, graphRoot(request, config.baseUrl), items);
    });
  }

  // /me: the signed-in user (delegated tokens only)
  app.get('/me', { config: { operation: 'me.read' } }, async (request) => {
    const select = readSelect(request.query as Record<string, string>, userProperties, 'microsoft.graph.user');
    const user = await users.me(scopeOf(request), principalOf(request));
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'users', select) + '/$entity', ...project(user, select, userDefaultProperties) };
  });

  for (const transitive of [false, true]) {
    const segment = transitive ? 'transitiveMemberOf' : 'memberOf';
    app.get(`/me/${segment}`, { config: { operation: 'me.read' } }, async (request) => {
      const me = await users.me(scopeOf(request), principalOf(request));
      const items = await membership.memberOf(scopeOf(request), principalOf(request), me.id, transitive);
      return computedRelationshipBody(request, graphRoot(request, config.baseUrl), items);
    });
  }
};
