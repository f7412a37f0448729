import type { FastifyPluginAsync } from 'fastify';
import { pingDatabase } from '../../storage/database.ts';
import type { Container } from '../../container.ts';

/** Liveness says the process runs; readiness says it can reach its database. */
export const operationsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await pingDatabase(container.database);
      return { status: 'ready' };
    } catch (error) {
      container.logger.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
};
