import Fastify, { type FastifyInstance } from 'fastify';
import type { Container } from '../container.ts';
import { newId } from '../kernel/ids.ts';
import { operationsRoutes } from './ops/operations.routes.ts';
import { graphPlugin } from './graph/graph.plugin.ts';
import { rewriteAlternateKeys } from './graph/key-syntax.ts';

/**
 * Assembles the HTTP surfaces. Each surface is its own encapsulated Fastify scope with its own
 * authentication and error rendering (Graph JSON, OAuth, HTML pages), per DESIGN §1.
 */
export async function buildServer(container: Container): Promise<FastifyInstance> {
  const { config } = container;
  const app = Fastify({
    loggerInstance: container.logger,
    trustProxy: config.trustProxy,
    // Every request gets a server-made GUID (Graph's `request-id`); the client's own
    // `client-request-id` is echoed separately by the Graph surface.
    genReqId: () => newId(),
    requestIdHeader: false,
    bodyLimit: 4 * 1024 * 1024,
    rewriteUrl: (req) => rewriteAlternateKeys(req.url ?? '/'),
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  }) as unknown as FastifyInstance;

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  await app.register(operationsRoutes, { container });
  await app.register(graphPlugin, { container, version: 'v1.0', prefix: '/v1.0' });
  await app.register(graphPlugin, { container, version: 'beta', prefix: '/beta' });
  // Further surfaces (OIDC, sign-in interactions, end-user pages, admin center) register here.
  return app;
}
