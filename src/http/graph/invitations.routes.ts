import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import type { InvitationInput } from '../../modules/invitations/index.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot } from './serialize.ts';

/**
 * `POST /invitations` (graph-reference §1): thin; InvitationsService validates the body, authorizes,
 * throttles, creates or reuses the guest and queues the mail in one transaction. Graph has no
 * GET on invitations, so neither do we.
 */
export const invitationsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { invitations, config } = container;

  app.post('/invitations', { config: { operation: 'invitations.create' } }, async (request, reply) => {
    // the body is read field by field (own properties, every limit) by the service
    const invitation = await invitations.invite(scopeOf(request), principalOf(request), request.body as InvitationInput, { requestId: request.id });
    reply.code(201);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'invitations/$entity', null), ...invitation };
  });
};
