import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isGuid } from '../../kernel/ids.ts';
import { verifyCsrf } from '../pages/index.ts';
import { AppsPage, NotConsentedPage } from './apps.pages.tsx';
import type { Visitor } from './myaccount.plugin.tsx';

export interface AppsOptions {
  container: Container;
  visitorOf: (request: FastifyRequest) => Promise<Visitor | null>;
  startSignIn: (request: FastifyRequest, reply: FastifyReply, returnTo?: string) => Promise<FastifyReply>;
}

/**
 * `/myaccount/apps` (issue 16 item 5): the apps the signed-in user has consented to and those
 * consented for everyone in the organization (PermissionGrantsService.myApps), and revoking the
 * user's own consent to an app. Only the user's own (Principal) grants can be revoked here: the
 * organization's are an administrator's.
 */
export const appsRoutes: FastifyPluginAsync<AppsOptions> = async (app, { container, visitorOf, startSignIn }) => {
  app.get('/apps', async (request, reply) => {
    const visitor = await visitorOf(request);
    if (!visitor) return startSignIn(request, reply, '/myaccount/apps');
    const { mine, organization } = await container.grants.myApps(visitor.scope, visitor.session.userId);
    const revoked = (request.query as Record<string, unknown>).revoked === '1';
    return reply.header('cache-control', 'no-store').page(<AppsPage mine={mine} organization={organization} revoked={revoked} />, { title: request.t('myAccount.apps.title'), width: 'wide' });
  });

  app.post('/apps/revoke', { preHandler: verifyCsrf }, async (request, reply) => {
    const visitor = await visitorOf(request);
    if (!visitor) return startSignIn(request, reply, '/myaccount/apps');
    const client = (request.body as Record<string, unknown> | undefined)?.client;
    const revoked = isGuid(client) && (await container.grants.revokeMyConsent(visitor.scope, visitor.session.userId, client.toLowerCase()));
    if (!revoked) return reply.page(<NotConsentedPage />, { status: 404, title: request.t('myAccount.apps.title') });
    return reply.header('cache-control', 'no-store').redirect('/myaccount/apps?revoked=1', 303);
  });
};
