import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isEmail } from '../../kernel/body.ts';
import { isAppError } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';
import type { TicketView } from '../../modules/invitations/index.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { homeSignInFor, type RedeemState } from '../federation/home-signin.tsx';
import type { PlainMessageKey } from '../pages/i18n/catalog.ts';
import { verifyCsrf } from '../pages/index.ts';
import { CancelledPage, InvitationPage, RedeemErrorPage } from './redemption.pages.tsx';
import { ReviewPermissionsPage } from './review-page.tsx';

/**
 * Why an invitation link cannot be used, by the invitations module's error code: the page's
 * status and message. Gone (410) for what will never work again, 400 for a link that is wrong.
 */
const TICKET_PROBLEMS: Readonly<Record<string, { status: number; message: PlainMessageKey }>> = {
  'invitations.ticketInvalid': { status: 400, message: 'redeem.error.linkInvalid' },
  'invitations.ticketExpired': { status: 410, message: 'redeem.error.expired' },
  'invitations.ticketUsed': { status: 410, message: 'redeem.error.used' },
  'invitations.guestNotFound': { status: 410, message: 'redeem.error.guestGone' },
  'invitations.guestDisabled': { status: 403, message: 'redeem.error.disabled' },
  'invitations.domainBlocked': { status: 400, message: 'redeem.error.blocked' },
  'invitations.homeMismatch': { status: 409, message: 'redeem.error.otherAccount' },
  'invitations.homeAlreadyLinked': { status: 409, message: 'redeem.error.otherAccount' },
};

/** Limits of the redemption form, as data: a ticket is 43 characters (32 bytes base64url); addresses 254 (RFC 5321). */
export const REDEEM_LIMITS = { ticket: 128, email: 254 } as const;
const TICKET = /^[A-Za-z0-9_-]+$/;

/**
 * Redemption by the e-mail link (issue 15 item 4): `GET /redeem?tenant&user&ticket&ver` shows who
 * invited whom, "Sign in" starts home sign-in (http/federation), and Review permissions
 * (`/redeem/review`) accepts (InvitationsService.redeem, then the invitation's redirect URL) or
 * cancels (nothing shared). The ticket binds, not the address: the invitee may sign in with another.
 */
export const redemptionRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const home = homeSignInFor(container);
  const { invitations } = container;
  const limit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  const problemPage = (reply: FastifyReply, status: number, message: PlainMessageKey) =>
    reply.page(<RedeemErrorPage message={reply.request.t(message)} />, { status, title: reply.request.t('redeem.errorTitle') });

  /** Runs `work`; an invitation error becomes its page. */
  async function orProblem<T>(reply: FastifyReply, work: () => Promise<T>, beforePage?: () => void): Promise<{ value: T } | { sent: FastifyReply }> {
    try {
      return { value: await work() };
    } catch (error) {
      const problem = isAppError(error) ? TICKET_PROBLEMS[error.code] : undefined;
      if (!problem) throw error;
      reply.request.log.info({ err: error }, 'invitation cannot be redeemed');
      beforePage?.();
      await problemPage(reply, problem.status, problem.message);
      return { sent: reply };
    }
  }

  /** The link's parameters, when well-formed. */
  function linkOf(fields: Record<string, unknown>): { tenantId: string; guestId: string; ticket: string } | null {
    const tenant = typeof fields.tenant === 'string' ? fields.tenant.toLowerCase() : '';
    const user = typeof fields.user === 'string' ? fields.user.toLowerCase() : '';
    const ticket = typeof fields.ticket === 'string' ? fields.ticket : '';
    if (!isGuid(tenant) || !isGuid(user) || !ticket || ticket.length > REDEEM_LIMITS.ticket || !TICKET.test(ticket)) return null;
    return { tenantId: tenant, guestId: user, ticket };
  }

  const invitationPage = (reply: FastifyReply, view: TicketView, link: { tenantId: string; guestId: string; ticket: string }, value: string, error?: string) =>
    reply.page(
      <InvitationPage
        inviter={view.inviter?.displayName ?? null}
        organization={view.organization.displayName}
        invitedEmail={view.invitedEmail}
        value={value}
        hidden={{ tenant: link.tenantId, user: link.guestId, ticket: link.ticket }}
        errors={error ? { email: error } : undefined}
      />,
      { status: error ? 400 : 200, title: reply.request.t('redeem.title') },
    );

  app.get('/', { prefixTrailingSlash: 'no-slash' }, async (request, reply) => {
    const link = linkOf(request.query as Record<string, unknown>);
    if (!link) return problemPage(reply, 400, 'redeem.error.linkInvalid');
    const opened = await orProblem(reply, () => invitations.openTicket(link.tenantId, link.guestId, link.ticket));
    if ('sent' in opened) return opened.sent;
    return invitationPage(reply, opened.value, link, opened.value.invitedEmail);
  });

  app.post('/', { preHandler: verifyCsrf, config: limit, prefixTrailingSlash: 'no-slash' }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const link = linkOf(body);
    if (!link) return problemPage(reply, 400, 'redeem.error.linkInvalid');
    const opened = await orProblem(reply, () => invitations.openTicket(link.tenantId, link.guestId, link.ticket));
    if ('sent' in opened) return opened.sent;
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    if (!email) return invitationPage(reply, opened.value, link, email, request.t('redeem.error.emailRequired'));
    if (email.length > REDEEM_LIMITS.email || !isEmail(email)) return invitationPage(reply, opened.value, link, email, request.t('redeem.error.emailInvalid'));
    return home.begin(reply, {
      inviting: tenantScope(opened.value.tenantId),
      email,
      continuation: { kind: 'redeem', tenantId: opened.value.tenantId, guestId: opened.value.guestId, ticket: link.ticket },
      uiLocales: request.locale,
    });
  });

  /** The redemption this browser is in the middle of, with its invitation still good. */
  async function pending(request: FastifyRequest, reply: FastifyReply): Promise<{ state: RedeemState; view: TicketView } | { sent: FastifyReply }> {
    const state = home.readRedeem(request);
    if (!state) {
      await problemPage(reply, 400, 'redeem.error.sessionExpired');
      return { sent: reply };
    }
    // a link that stopped working meanwhile (used elsewhere, expired, blocked) ends this redemption
    const opened = await orProblem(reply, () => invitations.openTicket(state.tenantId, state.guestId, state.ticket), () => home.clearRedeem(reply));
    return 'sent' in opened ? opened : { state, view: opened.value };
  }

  /** The redirect after Accept leaves this origin: the page's form-action must allow it (CSP checks redirects too). */
  const redirectOrigin = (view: TicketView) => {
    try {
      return [new URL(view.redirectUrl).origin];
    } catch {
      return [];
    }
  };

  app.get('/review', async (request, reply) => {
    const found = await pending(request, reply);
    if ('sent' in found) return found.sent;
    return reply.page(<ReviewPermissionsPage organization={found.view.organization} email={found.state.home.email} action="/redeem/review" />, {
      title: request.t('redeem.review.title'),
      formActionOrigins: redirectOrigin(found.view),
    });
  });

  app.post('/review', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const found = await pending(request, reply);
    if ('sent' in found) return found.sent;
    const { state, view } = found;
    const decision = (request.body as Record<string, unknown>).decision;
    if (decision === 'cancel') {
      home.clearRedeem(reply);
      return reply.page(<CancelledPage organization={view.organization.displayName} />, { title: request.t('redeem.cancelled.title') });
    }
    if (decision !== 'accept') return reply.redirect('/redeem/review', 303);
    home.clearRedeem(reply);
    const redeemed = await orProblem(reply, () => invitations.redeem(tenantScope(state.tenantId), { guestId: state.guestId, ticket: state.ticket, home: state.home }));
    if ('sent' in redeemed) return redeemed.sent;
    return reply.header('cache-control', 'no-store').redirect(redeemed.value.redirectUrl, 303);
  });
};
