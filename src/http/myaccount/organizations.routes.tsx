import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isAppError } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';
import { PERSONAL_TENANT_ID, tenantIssuer } from '../../modules/federation/index.ts';
import type { GuestMembership } from '../../modules/invitations/index.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { verifyCsrf } from '../pages/index.ts';
import type { Visitor } from './myaccount.plugin.tsx';
import { type HomeAccount, LeavePage, LeftPage, NotAGuestPage, OrganizationsPage } from './organizations.pages.tsx';

export interface OrganizationsOptions {
  container: Container;
  visitorOf: (request: FastifyRequest) => Promise<Visitor | null>;
  startSignIn: (request: FastifyRequest, reply: FastifyReply, returnTo?: string) => Promise<FastifyReply>;
  /** ends the My Account session (its cookie) */
  endSession: (reply: FastifyReply) => void;
}

/**
 * `/myaccount/organizations` (issue 15 item 7): the signed-in user's home organization and the
 * organizations where their account is a guest (InvitationsService.organizationsOf, by the home
 * identity), and leaving one of them: a confirmation, then a CSRF-protected POST; an organization
 * that does not let guests leave says so, with its privacy contact and statement. A member can
 * never leave their home organization (it is not listed as leavable).
 *
 * The home identity is `{issuer of the session's tenant, user id}` for a member, and the guest's
 * home link for a guest signed in at the organization itself (`/myaccount?tenantId=`: personal
 * accounts and e-mail one-time passcode have no organization of their own to sign in at). Each
 * organization links to `/myaccount?tenantId={id}`, My Account signed in there. A guest who leaves
 * the organization they are signed in at loses that session with the guest object.
 */
export const organizationsRoutes: FastifyPluginAsync<OrganizationsOptions> = async (app, { container, visitorOf, startSignIn, endSession }) => {
  const homeOf = (visitor: Visitor) =>
    visitor.guest ? { issuer: visitor.guest.issuer, subject: visitor.guest.subject } : { issuer: tenantIssuer(container.config.baseUrl, visitor.scope.tenantId), subject: visitor.session.userId };

  /** The organizations a visitor is a guest of (none for a guest without a home link: nothing is known about its home). */
  const membershipsOf = (visitor: Visitor): Promise<GuestMembership[]> =>
    visitor.profile.isGuest && !visitor.guest ? Promise.resolve([]) : container.invitations.organizationsOf(homeOf(visitor));

  const displayNameOf = async (tenantId: string) => (await container.tenants.pageBranding(tenantScope(tenantId)))?.displayName ?? null;

  /** Where the visitor's account lives, as the Organizations page shows it. */
  async function homeAccountOf(visitor: Visitor): Promise<HomeAccount | null> {
    if (!visitor.profile.isGuest) return { kind: 'organization', name: visitor.profile.organization, tenantId: visitor.scope.tenantId };
    const home = visitor.guest;
    if (!home) return null;
    switch (home.kind) {
      case 'tenant': {
        const name = home.homeTenantId && (await displayNameOf(home.homeTenantId));
        return name ? { kind: 'organization', name, tenantId: home.homeTenantId! } : { kind: 'external', email: home.email, provider: issuerHost(home.issuer) };
      }
      case 'personal':
        return { kind: 'personal', email: home.email, tenantId: PERSONAL_TENANT_ID };
      case 'emailOtp':
        return { kind: 'emailOtp', email: home.email };
      default:
        return { kind: 'external', email: home.email, provider: issuerHost(home.issuer) };
    }
  }

  async function membershipOf(visitor: Visitor, tenantId: unknown): Promise<GuestMembership | undefined> {
    if (!isGuid(tenantId)) return undefined;
    const memberships = await membershipsOf(visitor);
    return memberships.find((m) => m.tenantId === tenantId.toLowerCase());
  }

  app.get('/organizations', async (request, reply) => {
    const visitor = await visitorOf(request);
    if (!visitor) return startSignIn(request, reply, '/myaccount/organizations');
    const [memberships, home] = await Promise.all([membershipsOf(visitor), homeAccountOf(visitor)]);
    const leftId = (request.query as Record<string, unknown>).left;
    const left = isGuid(leftId) && !memberships.some((m) => m.tenantId === leftId) ? await displayNameOf(leftId.toLowerCase()) : null;
    return reply.page(<OrganizationsPage home={home} memberships={memberships} current={visitor.profile.isGuest ? visitor.scope.tenantId : null} left={left} />, {
      title: request.t('myAccount.organizations.title'),
      width: 'wide',
    });
  });

  app.get('/organizations/leave', async (request, reply) => {
    const visitor = await visitorOf(request);
    if (!visitor) return startSignIn(request, reply, '/myaccount/organizations');
    const membership = await membershipOf(visitor, (request.query as Record<string, unknown>).tenant);
    if (!membership) return reply.page(<NotAGuestPage />, { status: 404, title: request.t('myAccount.organizations.title') });
    return reply.page(<LeavePage membership={membership} refused={false} />, {
      status: membership.mayLeave ? 200 : 403,
      title: request.t('myAccount.organizations.leaveTitle', { organization: membership.displayName }),
    });
  });

  app.post('/organizations/leave', { preHandler: verifyCsrf }, async (request, reply) => {
    const visitor = await visitorOf(request);
    if (!visitor) return startSignIn(request, reply, '/myaccount/organizations');
    const membership = await membershipOf(visitor, (request.body as Record<string, unknown>).tenant);
    if (!membership) return reply.page(<NotAGuestPage />, { status: 404, title: request.t('myAccount.organizations.title') });
    try {
      await container.invitations.leave(membership.tenantId, membership.guestId, homeOf(visitor));
    } catch (error) {
      if (!isAppError(error) || error.kind !== 'forbidden') throw error;
      return reply.page(<LeavePage membership={membership} refused />, { status: 403, title: request.t('myAccount.organizations.leaveTitle', { organization: membership.displayName }) });
    }
    // Leaving the organization this session is signed in at ends the session (its account is gone):
    // the answer is the "You have left" page itself, as no My Account page is left to go back to.
    if (membership.tenantId === visitor.scope.tenantId) {
      endSession(reply);
      const organization = membership.displayName;
      return reply.header('cache-control', 'no-store').page(<LeftPage organization={organization} />, { title: request.t('myAccount.organizations.left', { organization }) });
    }
    return reply.header('cache-control', 'no-store').redirect(`/myaccount/organizations?left=${membership.tenantId}`, 303);
  });
};

function issuerHost(issuer: string): string {
  try {
    return new URL(issuer).host || issuer;
  } catch {
    return issuer;
  }
}
