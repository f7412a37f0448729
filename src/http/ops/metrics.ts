import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../../config/config.ts';
import type { Container } from '../../container.ts';
import type { Logger } from '../../kernel/logger.ts';

/**
 * The server's metrics in Prometheus' text format: process metrics, every request by route
 * template and status, and the durable job queue by state. One registry per server, so tests can
 * run several. Labels are route templates, never raw paths, so no tenant or user id ever becomes a label.
 */
export class Metrics {
  readonly #registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route'>;

  constructor(container: Container) {
    const registers = [this.#registry];
    collectDefaultMetrics({ register: this.#registry, prefix: 'tessera_' });
    this.#requests = new Counter({ name: 'tessera_http_requests_total', help: 'HTTP requests by route template and status', labelNames: ['method', 'route', 'status'], registers });
    this.#duration = new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    new Gauge({
      name: 'tessera_jobs',
      help: 'Durable jobs by state, all tenants',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        for (const [state, count] of Object.entries(await container.queue.countsByState())) this.set({ state }, count);
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.#requests.inc({ method, route, status: String(status) });
    this.#duration.observe({ method, route }, seconds);
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  render(): Promise<string> {
    return this.#registry.metrics();
  }
}

/**
 * Counts every request of `app`, and serves `/metrics` on it only when a token is configured
 * (then as a bearer token): the main listener faces the internet, and the process and route
 * figures are nobody else's business. Without a token, metrics are read on the loopback port
 * (`startMetricsListener`) or not at all.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, settings: Config['metrics']): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  const { token } = settings;
  if (token === null) return;
  app.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'unauthorized', message: 'A valid metrics bearer token is required.' });
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}

export interface MetricsListener {
  /** where it listens, e.g. `http://127.0.0.1:9464/metrics` */
  url: string;
  close(): Promise<void>;
}

/**
 * `/metrics` on a port of its own, bound to 127.0.0.1 only (for a Prometheus or agent on the same
 * host), and nothing else on that port. The token, when configured, is required here too.
 */
export async function startMetricsListener(metrics: Metrics, settings: { port: number; token: string | null }, logger: Logger): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    void answer(metrics, settings.token, request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'metrics listener failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('metrics unavailable\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // a scraper's keep-alive connection must not hold the shutdown up
        server.closeAllConnections();
      }),
  };
}

async function answer(metrics: Metrics, token: string | null, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (path !== '/metrics') {
    response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  if (token !== null && !bearerMatches(request.headers.authorization, token)) {
    response.writeHead(401, { ...headers, 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' }).end('unauthorized\n');
    return;
  }
  const body = await metrics.render();
  response.writeHead(200, { ...headers, 'content-type': metrics.contentType });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Whether `Authorization` carries exactly `Bearer {token}`. Both sides are hashed to one length
 * and compared in constant time, so neither the content nor the length of the token leaks.
 */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer ([^\s]+)$/i.exec(header ?? '')?.[1] ?? '';
  const equal = timingSafeEqual(digest(presented), digest(token));
  return equal && presented.length > 0;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
