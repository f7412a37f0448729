import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { DirectoryErrors } from '../../modules/directory/index.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot } from './serialize.ts';

/**
 * `GET /policies/permissionGrantPolicies[/{id}]` (graph-reference §6): the built-in user consent
 * policies Tessera implements, read-only (Tessera has no custom permission grant policies).
 */
export const permissionGrantPoliciesRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const root = (request: Parameters<typeof graphRoot>[0]) => graphRoot(request, container.config.baseUrl);

  app.get('/policies/permissionGrantPolicies', { config: { operation: 'permissionGrantPolicies.read' } }, async (request) => {
    const value = container.consent.permissionGrantPolicies(scopeOf(request), principalOf(request));
    return { '@odata.context': contextUrl(root(request), 'policies/permissionGrantPolicies', null), value };
  });

  app.get<{ Params: { id: string } }>('/policies/permissionGrantPolicies/:id', { config: { operation: 'permissionGrantPolicies.read' } }, async (request) => {
    const policy = container.consent.permissionGrantPolicies(scopeOf(request), principalOf(request)).find((p) => p.id.toLowerCase() === request.params.id.toLowerCase());
    if (!policy) throw DirectoryErrors.objectNotFound(request.params.id);
    return { '@odata.context': contextUrl(root(request), 'policies/permissionGrantPolicies/$entity', null), ...policy };
  });
};
