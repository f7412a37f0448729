import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { applicationCatalog, applicationProperties, type ApplicationKey } from '../../modules/consent/index.ts';
import { collectionBody } from './collection-reply.ts';
import { countOnly } from './count-reply.ts';
import { requireObjectIdParams } from './object-id-params.ts';
import { readCollectionOptions, readSelect } from './query-options.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';

const TYPE = 'microsoft.graph.application';

/** `/applications/{id}` and the alternate key `/applications(appId='...')` (rewritten by key-syntax.ts). */
const KEYS = [
  { path: '/applications/:id', key: (params: Record<string, string>): ApplicationKey => ({ id: params.id! }) },
  { path: '/applications/appId=:appId', key: (params: Record<string, string>): ApplicationKey => ({ appId: params.appId! }) },
] as const;

/** Graph's `/applications` (app registrations): thin routes; the consent module's RegistrationsService does the work. */
export const applicationsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { registrations, config } = container;
  requireObjectIdParams(app);
  const root = (request: FastifyRequest) => graphRoot(request, config.baseUrl);

  app.get('/applications', { config: { operation: 'applications.read' } }, async (request) => {
    const options = readCollectionOptions(request, applicationCatalog, applicationProperties, TYPE);
    const page = await registrations.list(scopeOf(request), principalOf(request), options.query);
    return collectionBody(request, root(request), 'applications', options, page, applicationProperties);
  });

  app.get('/applications/$count', { config: { operation: 'applications.read' } }, async (request, reply) => {
    return countOnly(request, reply, (query) => registrations.list(scopeOf(request), principalOf(request), query), applicationCatalog, applicationProperties, TYPE);
  });

  app.post('/applications', { config: { operation: 'applications.create' } }, async (request, reply) => {
    const created = await registrations.create(scopeOf(request), principalOf(request), request.body);
    reply.code(201).header('location', `${root(request)}/applications/${created.id}`);
    return { '@odata.context': contextUrl(root(request), 'applications/$entity', null), ...created };
  });

  for (const { path, key } of KEYS) {
    app.get<{ Params: Record<string, string> }>(path, { config: { operation: 'applications.read' } }, async (request) => {
      const select = readSelect(request.query as Record<string, string>, applicationProperties, TYPE);
      const found = await registrations.get(scopeOf(request), principalOf(request), key(request.params));
      return { '@odata.context': `${contextUrl(root(request), 'applications', select)}/$entity`, ...project(found, select, applicationProperties) };
    });

    app.patch<{ Params: Record<string, string> }>(path, { config: { operation: 'applications.update' } }, async (request, reply) => {
      await registrations.update(scopeOf(request), principalOf(request), key(request.params), request.body);
      return reply.code(204).send();
    });

    app.delete<{ Params: Record<string, string> }>(path, { config: { operation: 'applications.delete' } }, async (request, reply) => {
      await registrations.delete(scopeOf(request), principalOf(request), key(request.params));
      return reply.code(204).send();
    });

    app.post<{ Params: Record<string, string> }>(`${path}/addPassword`, { config: { operation: 'applications.update' } }, async (request) => {
      const credential = await registrations.addPassword(scopeOf(request), principalOf(request), key(request.params), request.body);
      return { '@odata.context': contextUrl(root(request), 'microsoft.graph.passwordCredential', null), ...credential };
    });

    app.post<{ Params: Record<string, string> }>(`${path}/removePassword`, { config: { operation: 'applications.update' } }, async (request, reply) => {
      await registrations.removePassword(scopeOf(request), principalOf(request), key(request.params), request.body);
      return reply.code(204).send();
    });

    app.post<{ Params: Record<string, string> }>(`${path}/addKey`, { config: { operation: 'applications.update' } }, async (request) => {
      const credential = await registrations.addKey(scopeOf(request), principalOf(request), key(request.params), request.body);
      return { '@odata.context': contextUrl(root(request), 'microsoft.graph.keyCredential', null), ...credential };
    });

    app.post<{ Params: Record<string, string> }>(`${path}/removeKey`, { config: { operation: 'applications.update' } }, async (request, reply) => {
      await registrations.removeKey(scopeOf(request), principalOf(request), key(request.params), request.body);
      return reply.code(204).send();
    });
  }
};
