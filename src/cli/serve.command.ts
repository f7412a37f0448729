import type { Container } from '../container.ts';
import { buildServer } from '../http/server.ts';
import { Metrics, startMetricsListener, type MetricsListener } from '../http/ops/metrics.ts';
import { ensureFirstTenant } from './first-start.ts';
import { JobRunner } from '../jobs/runner.ts';
import { registerJobHandlers } from '../jobs/handlers.ts';

/** `tessera serve`: migrate (done by the container), first-start provisioning, then HTTP and the job runner until SIGTERM/SIGINT. */
export async function serveCommand(container: Container): Promise<void> {
  const { config, logger } = container;
  const first = await ensureFirstTenant(container);
  const metrics = new Metrics(container);
  const app = await buildServer(container, { metrics });
  await app.listen({ port: config.port, host: config.host });
  // the personal-accounts tenant of B2B redemption, made once (after the first tenant, which is made
  // only on an empty database); in the background, so its key generation does not delay readiness,
  // and again on first need if this fails
  const personalTenant = container.federation.personalTenant().catch((error: unknown) => logger.warn({ err: error }, 'could not create the personal-accounts tenant yet'));
  // /metrics on a loopback-only port of its own, when configured: up and down with the server
  let metricsListener: MetricsListener | null = null;
  if (config.metrics.port !== null) {
    try {
      metricsListener = await startMetricsListener(metrics, { port: config.metrics.port, token: config.metrics.token }, logger);
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  const runner = new JobRunner(container.queue, logger);
  registerJobHandlers(runner, { mail: container.mail, bulk: container.bulk, consentRequests: container.consentRequests });
  runner.start();
  const bound = app.addresses()[0];
  const scheme = config.tls ? 'https' : 'http';
  const local = bound && typeof bound === 'object' ? `${scheme}://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : config.baseUrl;
  const lines = [`Tessera is listening on ${local} (public URL ${config.baseUrl})`, `Admin center: ${config.baseUrl}/admin`];
  if (metricsListener) lines.push(`Metrics: ${metricsListener.url} (loopback only)`);
  if (first) {
    lines.push(`Created tenant ${first.tenantId} with a Global Administrator:`, `  sign-in name: ${first.email}`);
    lines.push(first.password ? `  password:     ${first.password}   (shown once; change it after signing in)` : '  password:     the value of TESSERA_ADMIN_PASSWORD');
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await metricsListener?.close();
      await runner.stop();
      await personalTenant;
      await container.close();
    } finally {
      clearTimeout(timer);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
