import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { readBody } from '../../kernel/body.ts';
import { requireObjectIdParams } from './object-id-params.ts';
import { principalOf, scopeOf } from './request-context.ts';

/**
 * "Grant admin consent for {tenant}" (issue 16 item 5) as a Tessera extension on `/beta`: Entra's
 * portal does this in a popup (the /adminconsent flow), which an API-only admin center cannot, so
 * `POST /beta/servicePrincipals/{id}/grantAdminConsent` grants the app's whole
 * requiredResourceAccess for everyone (AllPrincipals grants and app role assignments) and answers 204.
 */
export const adminConsentRoutes: FastifyPluginAsync<{ container: Container; version: 'v1.0' | 'beta' }> = async (app, { container, version }) => {
  if (version !== 'beta') return;
  requireObjectIdParams(app);

  app.post<{ Params: { id: string } }>('/servicePrincipals/:id/grantAdminConsent', { config: { operation: 'adminConsent.grant' } }, async (request, reply) => {
    // no parameters: an empty body (or `{}`) only
    if (request.body !== undefined) readBody(request.body, {}, 'tessera.grantAdminConsent');
    await container.consent.grantAdminConsentToServicePrincipal(scopeOf(request), principalOf(request), request.params.id.toLowerCase());
    return reply.code(204).send();
  });
};
