import Fastify, { type FastifyInstance } from 'fastify';
import type { Container } from '../container.ts';
import { newId } from '../kernel/ids.ts';
import { operationsRoutes } from './ops/operations.routes.ts';
import { Metrics, registerMetrics } from './ops/metrics.ts';
import { graphPlugin } from './graph/graph.plugin.ts';
import fastifyRateLimit from '@fastify/rate-limit';
import { oidcPlugin } from './oidc/oidc.plugin.ts';
import { signInRoutes } from './interactions/signin.routes.tsx';
import { pagesPlugin } from './pages/index.ts';
import { rewriteAlternateKeys } from './graph/key-syntax.ts';
import { adminPlugin } from './admin/admin.plugin.ts';
import { myAccountPlugin } from './myaccount/myaccount.plugin.tsx';
import { federationPagesPlugin } from './federation/federation-pages.plugin.ts';
import { devMailRoutes } from './dev/dev-mail.routes.tsx';
import { ADMIN_CENTER_APP_ID } from '../modules/consent/index.ts';

/**
 * One canonical path per endpoint (DESIGN §10): `/token/`, `/TOKEN`, `//token` and `/token;x` are
 * other paths, never the token endpoint, so no spelling of an endpoint skips its rate limit or
 * its translation. These are Fastify's defaults, stated so that nobody relaxes them for convenience
 * (`useSemicolonDelimiter` is missing from find-my-way's types, hence the separate constant).
 */
const EXACT_ROUTING = { caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, useSemicolonDelimiter: false };

/**
 * Assembles the HTTP surfaces. Each surface is its own encapsulated Fastify scope with its own
 * authentication and error rendering (Graph JSON, OAuth, HTML pages), per DESIGN §1.
 */
export async function buildServer(container: Container, options: { metrics?: Metrics } = {}): Promise<FastifyInstance> {
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
    routerOptions: EXACT_ROUTING,
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  }) as unknown as FastifyInstance;

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  registerMetrics(app, options.metrics ?? new Metrics(container), config.metrics);
  await app.register(operationsRoutes, { container });
  await app.register(graphPlugin, { container, version: 'v1.0', prefix: '/v1.0' });
  await app.register(graphPlugin, { container, version: 'beta', prefix: '/beta' });
  await app.register(oidcPlugin, { container });
  // Sign-in interaction pages (and home-realm discovery) on the end-user pages framework.
  await app.register(async (pages) => {
    await pages.register(pagesPlugin, {
      secret: config.secret,
      baseUrl: config.baseUrl,
      // the tenant in the URL (`/{tenant}/interaction/...`) brands its sign-in pages
      resolveBranding: async (request) => {
        const tenantParam = (request.params as { tenant?: string } | undefined)?.tenant;
        const scope = tenantParam ? await container.tenants.resolve(tenantParam) : null;
        const tenant = scope ? await container.tenants.pageBranding(scope) : undefined;
        return tenant ? { tenantName: tenant.displayName, logoUrl: tenant.branding.logoUrl, backgroundColor: tenant.branding.backgroundColor } : null;
      },
    });
    await pages.register(fastifyRateLimit, { global: false });
    await pages.register(signInRoutes, { container });
    // the development mailbox answers only while no SMTP server is configured
    await pages.register(devMailRoutes, { mail: container.mail });
  });
  // B2B guests: redemption (/redeem) and home sign-in (/federation), branded for the inviting organization.
  await app.register(federationPagesPlugin, { container });
  // My Account (/myaccount): end-user self-service pages, an OpenID client of this server.
  await app.register(myAccountPlugin, { container, accountSessions: container.accountSessions });
  // The admin center SPA (/admin): a first-party public client that calls only the Graph API.
  await app.register(adminPlugin, { baseUrl: config.baseUrl, adminClientId: ADMIN_CENTER_APP_ID });
  return app;
}
