import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { DirectoryErrors } from '../../modules/directory/index.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot } from './serialize.ts';

type IdParams = { id: string };

/**
 * `/beta/organization/{id}/branding`: Tessera's own extension (Graph's organizationalBranding has a
 * different, image-upload shape). It sets what end-user pages show: a logo URL and a background colour.
 */
export const brandingRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { tenants, config } = container;

  app.get<{ Params: IdParams }>('/organization/:id/branding', { config: { operation: 'organization.read' } }, async (request) => {
    const tenant = await tenants.organization(scopeOf(request), principalOf(request));
    if (request.params.id.toLowerCase() !== tenant.id) throw DirectoryErrors.objectNotFound(request.params.id);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'organization/branding/$entity', null), ...tenant.branding };
  });

  app.patch<{ Params: IdParams }>('/organization/:id/branding', { config: { operation: 'organization.update' } }, async (request, reply) => {
    if (request.params.id.toLowerCase() !== scopeOf(request).tenantId) throw DirectoryErrors.objectNotFound(request.params.id);
    await tenants.updateBranding(scopeOf(request), principalOf(request), request.body);
    return reply.code(204).send();
  });
};
