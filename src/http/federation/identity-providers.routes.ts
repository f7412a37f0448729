import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { type IdentityProvider, OPENID_CONNECT_TYPE } from '../../modules/federation/index.ts';
import { principalOf, scopeOf } from '../graph/request-context.ts';
import { contextUrl, graphRoot } from '../graph/serialize.ts';

type IdParams = { id: string };

/** Graph's openIdConnectIdentityProvider shape (clientSecret is write-only: null on every read). */
function shape(provider: IdentityProvider) {
  return {
    '@odata.type': OPENID_CONNECT_TYPE,
    id: provider.id,
    displayName: provider.displayName,
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: null,
    scope: provider.scope,
    domains: provider.domains,
  };
}

/**
 * `/beta/identity/identityProviders` (Tessera extension; Graph's own API is for B2C user flows):
 * the OpenID Connect providers an organization's partners sign in with, each for one or more
 * e-mail domains. Authorization is the federation module's (identity-provider.access.ts), so the
 * routes declare `anyAuthenticated` and the service checks the caller.
 */
export const identityProvidersRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { federation, config } = container;
  const service = federation.identityProviders;
  const operation = { config: { operation: 'anyAuthenticated' as const } };

  app.get('/identity/identityProviders', operation, async (request) => {
    const providers = await service.list(scopeOf(request), principalOf(request));
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'identity/identityProviders', null), value: providers.map(shape) };
  });

  app.post('/identity/identityProviders', operation, async (request, reply) => {
    const provider = await service.create(scopeOf(request), principalOf(request), request.body);
    const root = graphRoot(request, config.baseUrl);
    reply.code(201).header('location', `${root}/identity/identityProviders/${provider.id}`);
    return { '@odata.context': contextUrl(root, 'identity/identityProviders/$entity', null), ...shape(provider) };
  });

  app.get<{ Params: IdParams }>('/identity/identityProviders/:id', operation, async (request) => {
    const provider = await service.get(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'identity/identityProviders/$entity', null), ...shape(provider) };
  });

  app.patch<{ Params: IdParams }>('/identity/identityProviders/:id', operation, async (request, reply) => {
    await service.update(scopeOf(request), principalOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });

  app.delete<{ Params: IdParams }>('/identity/identityProviders/:id', operation, async (request, reply) => {
    await service.delete(scopeOf(request), principalOf(request), request.params.id);
    return reply.code(204).send();
  });
};
