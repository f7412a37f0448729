import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { DirectoryErrors } from '../../modules/directory/index.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot } from './serialize.ts';

type IdParams = { id: string };

/**
 * External collaboration settings (graph-reference §6, §9): authorizationPolicy and the e-mail
 * authentication method on v1.0 and beta; externalIdentitiesPolicy and Tessera's
 * b2bManagementPolicy (Entra has no public API for the domain lists) on beta only. PATCH answers
 * 204, as Graph does.
 */
export const policiesRoutes: FastifyPluginAsync<{ container: Container; version: 'v1.0' | 'beta' }> = async (app, { container, version }) => {
  const { policies } = container.invitations;
  const { config } = container;
  const context = (request: Parameters<typeof graphRoot>[0], path: string) => contextUrl(graphRoot(request, config.baseUrl), path, null);

  app.get('/policies/authorizationPolicy', { config: { operation: 'policies.read' } }, async (request) => {
    const policy = await policies.authorizationPolicy(scopeOf(request), principalOf(request));
    return { '@odata.context': context(request, 'policies/authorizationPolicy/$entity'), ...policy };
  });

  app.patch('/policies/authorizationPolicy', { config: { operation: 'policies.authorization.update' } }, async (request, reply) => {
    await policies.updateAuthorizationPolicy(scopeOf(request), principalOf(request), request.body);
    return reply.code(204).send();
  });

  const emailPath = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/:id';
  // only the e-mail method exists here (its external-user OTP switch); any other id is not found
  const emailOnly = (id: string) => {
    if (id.toLowerCase() !== 'email') throw DirectoryErrors.objectNotFound(id);
  };

  app.get<{ Params: IdParams }>(emailPath, { config: { operation: 'policies.read' } }, async (request) => {
    emailOnly(request.params.id);
    const method = await policies.emailMethod(scopeOf(request), principalOf(request));
    return { '@odata.context': context(request, 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity'), ...method };
  });

  app.patch<{ Params: IdParams }>(emailPath, { config: { operation: 'policies.authenticationMethods.update' } }, async (request, reply) => {
    emailOnly(request.params.id);
    await policies.updateEmailMethod(scopeOf(request), principalOf(request), request.body);
    return reply.code(204).send();
  });

  if (version !== 'beta') return;

  app.get('/policies/externalIdentitiesPolicy', { config: { operation: 'policies.read' } }, async (request) => {
    const policy = await policies.externalIdentitiesPolicy(scopeOf(request), principalOf(request));
    return { '@odata.context': context(request, 'policies/externalIdentitiesPolicy/$entity'), ...policy };
  });

  app.patch('/policies/externalIdentitiesPolicy', { config: { operation: 'policies.externalCollaboration.update' } }, async (request, reply) => {
    await policies.updateExternalIdentitiesPolicy(scopeOf(request), principalOf(request), request.body);
    return reply.code(204).send();
  });

  app.get('/policies/b2bManagementPolicy', { config: { operation: 'policies.read' } }, async (request) => {
    const policy = await policies.b2bManagementPolicy(scopeOf(request), principalOf(request));
    return { '@odata.context': context(request, 'policies/b2bManagementPolicy/$entity'), ...policy };
  });

  app.patch('/policies/b2bManagementPolicy', { config: { operation: 'policies.externalCollaboration.update' } }, async (request, reply) => {
    await policies.updateB2bManagementPolicy(scopeOf(request), principalOf(request), request.body);
    return reply.code(204).send();
  });
};
