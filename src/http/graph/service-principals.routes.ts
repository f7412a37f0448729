import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { servicePrincipalCatalog, servicePrincipalProperties, type ServicePrincipalKey } from '../../modules/consent/index.ts';
import { collectionBody } from './collection-reply.ts';
import { countOnly } from './count-reply.ts';
import { requireObjectIdParams } from './object-id-params.ts';
import { readCollectionOptions, readSelect } from './query-options.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';

const TYPE = 'microsoft.graph.servicePrincipal';

/** `/servicePrincipals/{id}` and the alternate key `/servicePrincipals(appId='...')` (rewritten by key-syntax.ts). */
const KEYS = [
  { path: '/servicePrincipals/:id', key: (params: Record<string, string>): ServicePrincipalKey => ({ id: params.id! }) },
  { path: '/servicePrincipals/appId=:appId', key: (params: Record<string, string>): ServicePrincipalKey => ({ appId: params.appId! }) },
] as const;

type IdParams = { id: string };

/** Graph's `/servicePrincipals` (enterprise apps) and their delegatedPermissionClassifications: thin routes over ServicePrincipalsService. */
export const servicePrincipalsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { servicePrincipals, config } = container;
  requireObjectIdParams(app);
  const root = (request: FastifyRequest) => graphRoot(request, config.baseUrl);

  app.get('/servicePrincipals', { config: { operation: 'servicePrincipals.read' } }, async (request) => {
    const options = readCollectionOptions(request, servicePrincipalCatalog, servicePrincipalProperties, TYPE);
    const page = await servicePrincipals.list(scopeOf(request), principalOf(request), options.query);
    return collectionBody(request, root(request), 'servicePrincipals', options, page, servicePrincipalProperties);
  });

  app.get('/servicePrincipals/$count', { config: { operation: 'servicePrincipals.read' } }, async (request, reply) => {
    return countOnly(request, reply, (query) => servicePrincipals.list(scopeOf(request), principalOf(request), query), servicePrincipalCatalog, servicePrincipalProperties, TYPE);
  });

  app.post('/servicePrincipals', { config: { operation: 'servicePrincipals.create' } }, async (request, reply) => {
    const created = await servicePrincipals.create(scopeOf(request), principalOf(request), request.body);
    reply.code(201).header('location', `${root(request)}/servicePrincipals/${created.id}`);
    return { '@odata.context': contextUrl(root(request), 'servicePrincipals/$entity', null), ...created };
  });

  for (const { path, key } of KEYS) {
    app.get<{ Params: Record<string, string> }>(path, { config: { operation: 'servicePrincipals.read' } }, async (request) => {
      const select = readSelect(request.query as Record<string, string>, servicePrincipalProperties, TYPE);
      const found = await servicePrincipals.get(scopeOf(request), principalOf(request), key(request.params));
      return { '@odata.context': `${contextUrl(root(request), 'servicePrincipals', select)}/$entity`, ...project(found, select, servicePrincipalProperties) };
    });

    app.patch<{ Params: Record<string, string> }>(path, { config: { operation: 'servicePrincipals.update' } }, async (request, reply) => {
      await servicePrincipals.update(scopeOf(request), principalOf(request), key(request.params), request.body);
      return reply.code(204).send();
    });

    app.delete<{ Params: Record<string, string> }>(path, { config: { operation: 'servicePrincipals.delete' } }, async (request, reply) => {
      await servicePrincipals.delete(scopeOf(request), principalOf(request), key(request.params));
      return reply.code(204).send();
    });
  }

  app.get<{ Params: IdParams }>('/servicePrincipals/:id/delegatedPermissionClassifications', { config: { operation: 'servicePrincipals.read' } }, async (request) => {
    const list = await servicePrincipals.classifications(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(root(request), `servicePrincipals('${request.params.id}')/delegatedPermissionClassifications`, null), value: list };
  });

  app.post<{ Params: IdParams }>('/servicePrincipals/:id/delegatedPermissionClassifications', { config: { operation: 'permissionClassifications.update' } }, async (request, reply) => {
    const created = await servicePrincipals.classify(scopeOf(request), principalOf(request), request.params.id, request.body);
    reply.code(201);
    return { '@odata.context': contextUrl(root(request), `servicePrincipals('${request.params.id}')/delegatedPermissionClassifications/$entity`, null), ...created };
  });

  app.delete<{ Params: IdParams & { classificationId: string } }>(
    '/servicePrincipals/:id/delegatedPermissionClassifications/:classificationId',
    { config: { operation: 'permissionClassifications.update' } },
    async (request, reply) => {
      await servicePrincipals.unclassify(scopeOf(request), principalOf(request), request.params.id, request.params.classificationId);
      return reply.code(204).send();
    },
  );
};
