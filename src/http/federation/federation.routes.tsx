import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isAppError } from '../../kernel/errors.ts';
import { EMAIL_CODE_LIMITS } from '../../modules/federation/index.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { verifyCsrf } from '../pages/index.ts';
import { EmailOtpPage, HomeFailedPage, OtpCodePage } from './federation.pages.tsx';
import { type FederationFlow, homeSignInFor, HomeSignInError } from './home-signin.tsx';

/**
 * `/federation/*`: the browser side of home sign-in that is not another tenant's page. The
 * OpenID Connect callback (one route, `/federation/callback`, for every home), and e-mail
 * one-time passcode for guests (issue 15 item 3d): "Send a code to {address}", then the code.
 * Every step reads the flow from its sealed cookie (home-signin.ts); every POST verifies its CSRF
 * token and counts against the per-IP limit of the sign-in forms.
 */
export const federationRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const home = homeSignInFor(container);
  const limit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  const expired = (reply: FastifyReply) =>
    reply.page(<HomeFailedPage message={reply.request.t('federation.expired')} retryHref={null} />, { status: 400, title: reply.request.t('federation.failed.title') });

  const organizationOf = async (flow: FederationFlow) => (await container.tenants.pageBranding(tenantScope(flow.invitingTenantId)))?.displayName ?? '';

  app.get('/callback', async (request, reply) => {
    const flow = home.readFlow(request);
    if (!flow?.oidc) return expired(reply);
    const query = new URLSearchParams(request.query as Record<string, string>);
    try {
      const identity = await home.complete(flow, query);
      return home.deliver(reply, flow, identity);
    } catch (error) {
      const refused = error instanceof HomeSignInError;
      // a home whose answer breaks the e-mail rules: the rule's own explanation
      if (!refused && !(isAppError(error) && error.kind === 'badRequest')) throw error;
      request.log.warn({ err: error, tenantId: flow.invitingTenantId }, 'home sign-in failed');
      home.clearFlow(reply);
      const message = refused ? request.t('federation.failed.lead') : (error as Error).message;
      return reply.page(<HomeFailedPage message={message} retryHref={home.restartUrl(flow)} />, { status: 400, title: request.t('federation.failed.title') });
    }
  });

  /** The running flow when it may use one-time passcodes, else null (the page answers 400). */
  const otpFlow = (request: FastifyRequest): FederationFlow | null => {
    const flow = home.readFlow(request);
    return flow?.emailOtp ? flow : null;
  };

  app.get('/email', async (request, reply) => {
    const flow = otpFlow(request);
    if (!flow) return expired(reply);
    return reply.page(<EmailOtpPage organization={await organizationOf(flow)} email={flow.email} personalHref={home.pageUrl('/federation/personal', flow)} />, { title: request.t('emailOtp.title') });
  });

  // the personal account instead of a passcode
  app.get('/personal', async (request, reply) => {
    const flow = home.readFlow(request);
    if (!flow) return expired(reply);
    return home.authorize(reply, flow, { kind: 'personal', tenantId: (await container.federation.personalTenant()).tenantId });
  });

  app.post('/email/send', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const flow = otpFlow(request);
    if (!flow) return expired(reply);
    try {
      const codeId = await container.federation.sendGuestCode(tenantScope(flow.invitingTenantId), flow.email, request.locale);
      home.writeFlow(reply, { ...flow, otp: { codeId } });
    } catch (error) {
      if (!isAppError(error) || error.kind !== 'throttled') throw error;
      return reply.page(<HomeFailedPage message={request.t('emailOtp.error.tooMany')} retryHref={null} />, { status: 429, title: request.t('emailOtp.title') });
    }
    return home.redirect(reply, home.pageUrl('/federation/email/code', flow));
  });

  const codePage = (reply: FastifyReply, flow: FederationFlow, status = 200, error?: string, resend = false) =>
    reply.page(<OtpCodePage email={flow.email} minutes={EMAIL_CODE_LIMITS.validMinutes} errors={error ? { code: error } : undefined} resend={resend} />, {
      status,
      title: reply.request.t('emailOtp.codeTitle'),
    });

  app.get('/email/code', async (request, reply) => {
    const flow = otpFlow(request);
    if (!flow?.otp) return expired(reply);
    return codePage(reply, flow);
  });

  app.post('/email/code', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const flow = otpFlow(request);
    if (!flow?.otp) return expired(reply);
    const code = String((request.body as Record<string, unknown>).code ?? '').trim();
    if (!code) return codePage(reply, flow, 400, request.t('emailOtp.error.codeRequired'));
    const result = await container.federation.verifyGuestCode(tenantScope(flow.invitingTenantId), { codeId: flow.otp.codeId, email: flow.email, code: code.slice(0, 16) });
    if (result.home) return home.deliver(reply, flow, result.home);
    if (result.check === 'wrong') return codePage(reply, flow, 400, request.t('emailOtp.error.wrong'));
    return codePage(reply, flow, 400, request.t(result.check === 'exhausted' ? 'emailOtp.error.exhausted' : 'emailOtp.error.expired'), true);
  });
};
