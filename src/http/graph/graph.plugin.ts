import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { authenticate } from './authenticate.ts';
import { batchRoutes } from './batch.routes.ts';
import { brandingRoutes } from './branding.routes.ts';
import { directoryObjectsRoutes } from './directory-objects.routes.ts';
import { directoryRolesRoutes } from './directory-roles.routes.ts';
import { graphErrorBody, malformedJson, sendGraphError } from './graph-errors.ts';
import { groupsRoutes } from './groups.routes.ts';
import { organizationRoutes } from './organization.routes.ts';
import './request-context.ts';
import { usersRoutes } from './users.routes.ts';

/**
 * The Graph surface (`/v1.0` and `/beta`): its own JSON parser, request-id headers, one authorization hook for
 * every route, and one error renderer. A route that declares no operation fails at boot.
 */
export const graphPlugin: FastifyPluginAsync<{ container: Container; version: 'v1.0' | 'beta' }> = async (app, { container, version }) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('tenantScope', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.operation) throw new Error(`Graph route ${route.method} ${route.url} declares no operation`);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(malformedJson((error as Error).message), undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    const clientRequestId = request.headers['client-request-id'];
    reply.header('client-request-id', typeof clientRequestId === 'string' ? clientRequestId : request.id);
    reply.header('cache-control', 'no-store');
  });

  app.addHook('preHandler', async (request) => {
    if (request.is404) return; // unknown segments get their 400 without needing a caller
    const { principal, scope } = await authenticate(container, request);
    request.principal = principal;
    request.tenantScope = scope;
  });

  app.setErrorHandler((error, request, reply) => sendGraphError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    const segment = request.url.split('?')[0]?.split('/').filter(Boolean).pop() ?? '';
    return reply.code(400).send(graphErrorBody(request, 'BadRequest', `Resource not found for the segment '${decodeURIComponent(segment)}'.`));
  });

  await app.register(usersRoutes, { container });
  await app.register(groupsRoutes, { container });
  await app.register(organizationRoutes, { container });
  await app.register(directoryRolesRoutes, { container });
  await app.register(directoryObjectsRoutes, { container });
  await app.register(batchRoutes, { container, root: () => app });
  // beta carries everything v1.0 has plus Tessera's extensions where Graph has no API
  if (version === 'beta') await app.register(brandingRoutes, { container });
};
