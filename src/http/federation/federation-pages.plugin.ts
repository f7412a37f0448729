import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isGuid } from '../../kernel/ids.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { type Branding, pagesPlugin } from '../pages/index.ts';
import { redemptionRoutes } from '../redemption/redemption.routes.tsx';
import { federationRoutes } from './federation.routes.tsx';
import { homeSignInFor } from './home-signin.tsx';

/**
 * The guest-facing pages outside any tenant's sign-in interaction: redemption (`/redeem`) and home
 * sign-in (`/federation`), in one encapsulated scope on the pages framework (en/nl, CSRF, per-IP
 * limits on every POST). They speak for the inviting organization, so they carry its branding:
 * the tenant named by the link, or by the flow the browser is in.
 */
export const federationPagesPlugin: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const home = homeSignInFor(container);

  function invitingTenant(request: FastifyRequest): string | null {
    const fields = [request.query, request.body].map((value) => (value && typeof value === 'object' ? (value as Record<string, unknown>).tenant : undefined));
    const named = fields.find((value): value is string => isGuid(value));
    if (named) return named.toLowerCase();
    return home.readRedeem(request)?.tenantId ?? home.readFlow(request)?.invitingTenantId ?? null;
  }

  async function resolveBranding(request: FastifyRequest): Promise<Branding | null> {
    const tenantId = invitingTenant(request);
    const tenant = tenantId ? await container.tenants.pageBranding(tenantScope(tenantId)) : undefined;
    return tenant ? { tenantName: tenant.displayName, logoUrl: tenant.branding.logoUrl, backgroundColor: tenant.branding.backgroundColor } : null;
  }

  // two scopes, one per path prefix: the pages framework serves its own assets in each scope
  for (const [prefix, routes] of [
    ['/redeem', redemptionRoutes],
    ['/federation', federationRoutes],
  ] as const) {
    await app.register(
      async (pages) => {
        await pages.register(pagesPlugin, { secret: container.config.secret, baseUrl: container.config.baseUrl, resolveBranding });
        await pages.register(fastifyRateLimit, { global: false });
        await pages.register(routes, { container });
      },
      { prefix },
    );
  }
};
