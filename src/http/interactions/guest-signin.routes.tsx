import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { homeSignInFor } from '../federation/home-signin.tsx';
import { Alert, Button, PageHeading, usePage, verifyCsrf } from '../pages/index.ts';
import { ReviewPermissionsPage } from '../redemption/review-page.tsx';
import { interactionTools, loginResult } from './interaction.ts';

/** No guest of this organization matches the account the person signed in with at home (Entra's AADSTS50020). */
function NoAccountPage({ email, organization, backHref }: { email: string; organization: string; backHref: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('federation.noAccount.title')} />
      <Alert tone="error">{t('federation.noAccount.lead', { email, organization })}</Alert>
      <p>
        <Button href={backHref}>{t('federation.noAccount.useAnother')}</Button>
      </p>
    </>
  );
}

function ExpiredPage({ backHref }: { backHref: string }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('federation.failed.title')} />
      <Alert tone="error">{t('federation.expired')}</Alert>
      <p>
        <Button href={backHref}>{t('federation.failed.tryAgain')}</Button>
      </p>
    </>
  );
}

/**
 * Guests at the inviting tenant's sign-in interaction (issue 15 items 5 and 6): after home
 * sign-in (http/federation) the browser comes back to `/{tenant}/interaction/{uid}/federated`
 * with who the person is at home. An accepted guest linked to that identity is signed in as the
 * guest (`oid` is the guest's object here, `tid` this tenant); a pending guest whose `mail` or
 * `otherMails` is the verified address sees Review permissions once (`/review`) and is redeemed
 * without a ticket; anyone else gets "Your account ... doesn't exist in {organization}".
 */
export const guestSignInRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { load, clientOrigins, finish, at } = interactionTools(container);
  const homeSignIn = homeSignInFor(container);
  const limit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  app.get('/:tenant/interaction/:uid/federated', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const home = homeSignIn.takeGuestHome(request, reply, scope.tenantId, interaction.uid);
    if (!home) return reply.page(<ExpiredPage backHref={at(request, interaction, '/username')} />, { status: 400, title: request.t('federation.failed.title') });
    const guest = await container.invitations.findGuestForSignIn(scope, home);
    if (!guest) {
      const organization = (await container.tenants.pageBranding(scope))?.displayName ?? '';
      request.log.info({ tenantId: scope.tenantId, issuer: home.issuer }, 'no guest matches the home identity');
      return reply.page(<NoAccountPage email={home.email} organization={organization} backHref={at(request, interaction, '/username')} />, {
        status: 403,
        title: request.t('federation.noAccount.title'),
      });
    }
    if (guest.state === 'Accepted') return finish(reply, interaction, loginResult(interaction, guest.guestId, ['fed']));
    interaction.result = { guestReview: { guestId: guest.guestId, home } };
    await interaction.persist();
    return reply.redirect(at(request, interaction, '/review'), 303);
  });

  app.get('/:tenant/interaction/:uid/review', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const pending = interaction.result?.guestReview;
    const tenant = pending ? await container.tenants.get(scope) : undefined;
    if (!pending || !tenant) return reply.redirect(at(request, interaction), 303);
    const organization = {
      displayName: tenant.displayName,
      initialDomain: tenant.initialDomain,
      privacyStatementUrl: tenant.privacyProfile.statementUrl,
      privacyContactEmail: tenant.privacyProfile.contactEmail,
    };
    return reply.page(<ReviewPermissionsPage organization={organization} email={pending.home.email} action={at(request, interaction, '/review')} />, {
      title: request.t('redeem.review.title'),
      formActionOrigins: clientOrigins(interaction),
    });
  });

  app.post('/:tenant/interaction/:uid/review', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const pending = interaction.result?.guestReview;
    if (!pending) return reply.redirect(at(request, interaction), 303);
    const decision = (request.body as Record<string, unknown>).decision;
    if (decision === 'cancel') {
      return finish(reply, interaction, { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.' });
    }
    if (decision !== 'accept') return reply.redirect(at(request, interaction, '/review'), 303);
    // direct-link redemption: no ticket; the verified address matched the guest (InvitationsService rules)
    const redeemed = await container.invitations.redeem(scope, { guestId: pending.guestId, home: pending.home });
    return finish(reply, interaction, loginResult(interaction, redeemed.guestId, ['fed']));
  });
};
