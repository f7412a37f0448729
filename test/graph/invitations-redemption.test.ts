import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../../src/modules/directory/index.ts';
import type { HomeIdentity, Invitation } from '../../src/modules/invitations/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { ManualClock } from './invitations.helpers.ts';

/**
 * The InvitationsService methods the redemption pages and sign-in use (contract: H2), on a
 * harness, both dialects: tickets (single use under concurrency, expiry, tampering, wrong user),
 * the allow/deny list at redemption, alias addresses, direct-link matching, organizations and leave.
 */
const REDIRECT = 'https://apps.contoso.example/start';
const DAY = 24 * 3600 * 1000;

for (const dialect of testDialects) {
  describe(`invitation redemption (${dialect})`, () => {
    let h: Harness;
    let clock: ManualClock;
    let admin: Graph;
    let system: Principal;
    let counter = 0;
    const address = (domain = 'partner.example') => `guest${++counter}@${domain}`;
    const scope = () => tenantScope(h.tenant.id);
    const invitations = () => h.container.invitations;
    const ticketOf = (invitation: Invitation) => new URL(invitation.inviteRedeemUrl!).searchParams.get('ticket')!;
    const home = (overrides: Partial<HomeIdentity> = {}): HomeIdentity => ({ kind: 'oidc', issuer: 'https://idp.partner.example', subject: `sub-${++counter}`, email: 'someone@partner.example', ...overrides });
    const invite = async (email = address(), extra: Record<string, unknown> = {}) => {
      clock.advance(10_000); // a fresh throttle window
      return invitations().invite(scope(), system, { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, ...extra });
    };
    const user = async (id: string) => (await admin('GET', `/users/${id}?$select=id,externalUserState,externalUserStateChangeDateTime,identities,otherMails,mail,accountEnabled`)).body;

    before(async () => {
      clock = new ManualClock(Date.parse('2026-12-03T10:00:00.000Z'));
      h = await createHarness(dialect, { clock, config: { baseUrl: 'https://tessera.test' } });
      admin = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['Directory.ReadWrite.All', 'User.Invite.All', 'Policy.ReadWrite.Authorization', 'Policy.Read.All']));
      system = { kind: 'system', tenantId: h.tenant.id };
    });
    after(() => h?.close());

    test('openTicket shows who invited whom, for which organization, until when', async () => {
      const adminInvite = await admin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT, invitedUserDisplayName: 'Pat Partner' });
      const redeemUrl = new URL(adminInvite.body.inviteRedeemUrl);
      const view = await invitations().openTicket(h.tenant.id, adminInvite.body.id, redeemUrl.searchParams.get('ticket')!);
      assert.equal(view.tenantId, h.tenant.id);
      assert.equal(view.guestId, adminInvite.body.id);
      assert.equal(view.invitedEmail, adminInvite.body.invitedUserEmailAddress);
      assert.equal(view.guestDisplayName, 'Pat Partner');
      assert.equal(view.guestMail, adminInvite.body.invitedUserEmailAddress);
      assert.deepEqual(view.inviter, { displayName: 'Administrator' });
      assert.deepEqual(view.organization, { displayName: 'Contoso', initialDomain: h.tenant.domain, privacyStatementUrl: null, privacyContactEmail: null });
      assert.equal(view.redirectUrl, REDIRECT);
      assert.equal(Date.parse(view.expiresAt) - clock.now().getTime(), 90 * DAY);
      // the tenant may be named by its id in any case
      await invitations().openTicket(h.tenant.id.toUpperCase(), adminInvite.body.id.toUpperCase(), redeemUrl.searchParams.get('ticket')!);
    });

    test('tampered, foreign and malformed tickets are invalid; nothing changes', async () => {
      const first = await invite();
      const second = await invite();
      const ticket = ticketOf(first);
      const flipped = `${ticket.slice(0, -1)}${ticket.endsWith('A') ? 'B' : 'A'}`;
      const invalid = { code: 'invitations.ticketInvalid' };
      await assert.rejects(invitations().openTicket(h.tenant.id, first.id, flipped), invalid);
      await assert.rejects(invitations().openTicket(h.tenant.id, second.id, ticket), invalid, 'a ticket binds to its own user');
      await assert.rejects(invitations().openTicket('00000000-0000-4000-8000-000000000000', first.id, ticket), invalid);
      const other = await h.container.tenants.create({ displayName: 'Elsewhere', domain: `elsewhere${counter}.example` });
      await assert.rejects(invitations().openTicket(other.tenant.id, first.id, ticket), invalid, 'a ticket binds to its tenant');
      for (const bad of ['', 'short', `${ticket}x`, `${ticket.slice(0, 42)}!`, '../../etc/passwd']) {
        await assert.rejects(invitations().openTicket(h.tenant.id, first.id, bad), invalid, bad);
      }
      await assert.rejects(invitations().openTicket(h.tenant.id, 'not-a-guid', ticket), invalid);
      await assert.rejects(invitations().redeem(scope(), { guestId: first.id, ticket: flipped, home: home() }), invalid);
      await assert.rejects(invitations().redeem(scope(), { guestId: second.id, ticket, home: home() }), invalid);
      assert.equal((await user(first.id)).externalUserState, 'PendingAcceptance');
      assert.equal((await user(second.id)).externalUserState, 'PendingAcceptance');
    });

    test('redeem: Accepted with the change time, the home identity recorded, single use', async () => {
      const invitation = await invite();
      clock.advance(60_000);
      const result = await invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home({ kind: 'tenant', issuer: `https://tessera.test/${'1'.repeat(8)}-1111-4111-8111-111111111111/v2.0`, subject: 'home-oid', homeTenantId: '11111111-1111-4111-8111-111111111111', email: 'Home@Partner.example' }) });
      assert.deepEqual(result, { guestId: invitation.id, redirectUrl: REDIRECT });
      const accepted = await user(invitation.id);
      assert.equal(accepted.externalUserState, 'Accepted');
      assert.equal(accepted.externalUserStateChangeDateTime, clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
      assert.deepEqual(accepted.identities[1], { signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: null });
      assert.equal(await invitations().guestHomeIssuer(scope(), invitation.id), 'https://tessera.test/11111111-1111-4111-8111-111111111111/v2.0');
      await assert.rejects(invitations().openTicket(h.tenant.id, invitation.id, ticketOf(invitation)), { code: 'invitations.ticketUsed' });
      await assert.rejects(invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home() }), { code: 'invitations.ticketUsed' });
    });

    test('each kind of home adds its identities entry', async () => {
      const expectations: [HomeIdentity, object][] = [
        [home({ kind: 'oidc', issuer: 'https://accounts.google.com', subject: '1234567890' }), { signInType: 'federated', issuer: 'accounts.google.com', issuerAssignedId: '1234567890' }],
        [home({ kind: 'personal', issuer: 'https://tessera.test/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0', subject: 'personal-oid', homeTenantId: '9188040d-6c67-4c5b-b112-36a304b66dad' }), { signInType: 'federated', issuer: 'PersonalAccount', issuerAssignedId: 'personal-oid' }],
        [home({ kind: 'emailOtp', issuer: 'mail', subject: 'otp@partner.example', email: 'OTP@partner.example' }), { signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: 'otp@partner.example' }],
      ];
      for (const [who, identity] of expectations) {
        const invitation = await invite();
        await invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: who });
        const identities = (await user(invitation.id)).identities;
        assert.equal(identities[0].signInType, 'userPrincipalName');
        assert.deepEqual(identities[1], identity);
      }
    });

    test('two redemptions of one ticket at once: exactly one wins', async () => {
      for (let round = 0; round < 3; round++) {
        const invitation = await invite();
        const ticket = ticketOf(invitation);
        const results = await Promise.allSettled([
          invitations().redeem(scope(), { guestId: invitation.id, ticket, home: home({ subject: `racer-a-${round}` }) }),
          invitations().redeem(scope(), { guestId: invitation.id, ticket, home: home({ subject: `racer-b-${round}` }) }),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results));
        const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal(loser.reason.code, 'invitations.ticketUsed');
        const identities = (await user(invitation.id)).identities;
        assert.equal(identities.length, 2);
      }
    });

    test('tickets expire after 90 days', async () => {
      const invitation = await invite();
      clock.advance(90 * DAY - 60_000);
      await invitations().openTicket(h.tenant.id, invitation.id, ticketOf(invitation));
      clock.advance(120_000);
      await assert.rejects(invitations().openTicket(h.tenant.id, invitation.id, ticketOf(invitation)), { code: 'invitations.ticketExpired' });
      await assert.rejects(invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home() }), { code: 'invitations.ticketExpired' });
      assert.equal((await user(invitation.id)).externalUserState, 'PendingAcceptance');
      // a re-invite issues a fresh ticket
      const again = await invite(invitation.invitedUserEmailAddress);
      await invitations().openTicket(h.tenant.id, invitation.id, ticketOf(again));
    });

    test('an alias address redeems: the ticket binds, not the address', async () => {
      const invitation = await invite('alice@partner.example');
      const result = await invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home({ email: 'a.smith@partner-alias.example' }) });
      assert.equal(result.guestId, invitation.id);
      assert.equal((await user(invitation.id)).externalUserState, 'Accepted');
    });

    test('a domain blocked after the invitation fails at redemption, and nothing changes', async () => {
      const invitation = await invite(address('soon-blocked.example'));
      const toOther = await invite(address('fine.example'));
      const patch = await admin('PATCH', '/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: ['soon-blocked.example', 'blocked-home.example'] } });
      assert.equal(patch.status, 204);
      try {
        await assert.rejects(invitations().openTicket(h.tenant.id, invitation.id, ticketOf(invitation)), { code: 'invitations.domainBlocked' });
        await assert.rejects(invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home({ email: 'x@soon-blocked.example' }) }), { code: 'invitations.domainBlocked' });
        // the home address counts too
        await assert.rejects(invitations().redeem(scope(), { guestId: toOther.id, ticket: ticketOf(toOther), home: home({ email: 'x@blocked-home.example' }) }), { code: 'invitations.domainBlocked' });
        assert.equal((await user(invitation.id)).externalUserState, 'PendingAcceptance');
        // the ticket was not used up by the refusal
        await invitations().openTicket(h.tenant.id, toOther.id, ticketOf(toOther));
      } finally {
        await admin('PATCH', '/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: [] } });
      }
      await invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home({ email: 'x@soon-blocked.example' }) });
    });

    test('findGuestForSignIn: the linked Accepted guest, else a pending guest by mail or otherMails, never a disabled one', async () => {
      const email = address();
      const invitation = await invite(email);
      const who = home({ email: email.toUpperCase() });
      const pending = await invitations().findGuestForSignIn(scope(), { ...who, email: email.toUpperCase() });
      assert.deepEqual(pending, { guestId: invitation.id, state: 'PendingAcceptance', redirectUrl: REDIRECT });
      // by otherMails
      const patch = await admin('PATCH', `/users/${invitation.id}`, { otherMails: ['second@partner-other.example'] });
      assert.equal(patch.status, 204);
      assert.equal((await invitations().findGuestForSignIn(scope(), home({ email: 'second@partner-other.example' })))?.guestId, invitation.id);
      assert.equal(await invitations().findGuestForSignIn(scope(), home({ email: 'nobody@partner.example' })), null);
      // direct-link redemption: no ticket, the verified address matches
      await assert.rejects(invitations().redeem(scope(), { guestId: invitation.id, home: home({ email: 'nobody@partner.example' }) }), { code: 'invitations.homeMismatch' });
      await invitations().redeem(scope(), { guestId: invitation.id, home: who });
      // the e-mail link is dead once redeemed another way
      await assert.rejects(invitations().openTicket(h.tenant.id, invitation.id, ticketOf(invitation)), { code: 'invitations.ticketUsed' });
      const accepted = await invitations().findGuestForSignIn(scope(), who);
      assert.deepEqual(accepted, { guestId: invitation.id, state: 'Accepted', redirectUrl: null });
      // accepting again with the same home is harmless; with another home it is refused
      await invitations().redeem(scope(), { guestId: invitation.id, home: who });
      await assert.rejects(invitations().redeem(scope(), { guestId: invitation.id, home: home({ email }) }), { code: 'invitations.homeMismatch' });
      // disabled: nobody
      assert.equal((await admin('PATCH', `/users/${invitation.id}`, { accountEnabled: false })).status, 204);
      assert.equal(await invitations().findGuestForSignIn(scope(), who), null);
      const other = await invite();
      await admin('PATCH', `/users/${other.id}`, { accountEnabled: false });
      assert.equal(await invitations().findGuestForSignIn(scope(), home({ email: other.invitedUserEmailAddress })), null);
      await assert.rejects(invitations().openTicket(h.tenant.id, other.id, ticketOf(other)), { code: 'invitations.guestDisabled' });
    });

    test('a guest without a mail redeems only by the e-mail link', async () => {
      const invitation = await invite();
      assert.equal((await admin('PATCH', `/users/${invitation.id}`, { mail: null })).status, 204);
      assert.equal(await invitations().findGuestForSignIn(scope(), home({ email: invitation.invitedUserEmailAddress })), null);
      await assert.rejects(invitations().redeem(scope(), { guestId: invitation.id, home: home({ email: invitation.invitedUserEmailAddress }) }), { code: 'invitations.homeMismatch' });
      await invitations().redeem(scope(), { guestId: invitation.id, ticket: ticketOf(invitation), home: home({ email: invitation.invitedUserEmailAddress }) });
    });

    test('one home identity is one guest per organization; a member of this organization cannot redeem', async () => {
      const who = home();
      const first = await invite();
      const second = await invite();
      await invitations().redeem(scope(), { guestId: first.id, ticket: ticketOf(first), home: who });
      await assert.rejects(invitations().redeem(scope(), { guestId: second.id, ticket: ticketOf(second), home: who }), { code: 'invitations.homeAlreadyLinked' });
      await assert.rejects(
        invitations().redeem(scope(), { guestId: second.id, ticket: ticketOf(second), home: home({ kind: 'tenant', homeTenantId: h.tenant.id, issuer: `https://tessera.test/${h.tenant.id}/v2.0` }) }),
        { code: 'invitations.homeIsThisOrganization' },
      );
      await assert.rejects(invitations().redeem(scope(), { guestId: second.id, ticket: ticketOf(second), home: { ...who, kind: 'unknown' as never } }), { kind: 'badRequest' });
      assert.equal((await user(second.id)).externalUserState, 'PendingAcceptance');
    });

    test('organizationsOf lists every tenant where the home identity is a guest; leave follows the policy', async () => {
      const who = home({ email: 'roamer@partner.example' });
      const first = await invite('roamer@partner.example');
      await invitations().redeem(scope(), { guestId: first.id, ticket: ticketOf(first), home: who });
      const other = await h.container.tenants.create({ displayName: 'Fabrikam', domain: `fabrikam${counter}.example` });
      const otherScope = tenantScope(other.tenant.id);
      const otherInvitation = await invitations().invite(otherScope, { kind: 'system', tenantId: other.tenant.id }, { invitedUserEmailAddress: 'roamer@partner.example', inviteRedirectUrl: REDIRECT });
      await invitations().redeem(otherScope, { guestId: otherInvitation.id, ticket: ticketOf(otherInvitation), home: who });

      const memberships = await invitations().organizationsOf(who);
      assert.deepEqual(memberships.map((m) => m.displayName).sort(), ['Contoso', 'Fabrikam']);
      const contoso = memberships.find((m) => m.tenantId === h.tenant.id)!;
      assert.deepEqual(contoso, { tenantId: h.tenant.id, displayName: 'Contoso', initialDomain: h.tenant.domain, guestId: first.id, state: 'Accepted', mayLeave: false, privacyStatementUrl: null, privacyContactEmail: null });
      assert.deepEqual(await invitations().organizationsOf({ issuer: who.issuer, subject: 'somebody-else' }), []);

      // not allowed by default
      await assert.rejects(invitations().leave(h.tenant.id, first.id, who), { code: 'invitations.leaveNotAllowed' });
      // the policy needs a privacy contact first
      const refused = await admin('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: true });
      assert.equal(refused.status, 400);
      assert.equal((await admin('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { contactEmail: 'privacy@contoso.example', statementUrl: 'https://contoso.example/privacy' } })).status, 204);
      assert.equal((await admin('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: true })).status, 204);
      assert.equal((await invitations().organizationsOf(who)).find((m) => m.tenantId === h.tenant.id)?.mayLeave, true);
      // only the guest's own home identity may leave, and a member never leaves their home tenant
      await assert.rejects(invitations().leave(h.tenant.id, first.id, { issuer: who.issuer, subject: 'somebody-else' }), { code: 'invitations.notAGuest' });
      await assert.rejects(invitations().leave(h.tenant.id, h.tenant.adminId, who), { code: 'invitations.notAGuest' });
      await assert.rejects(invitations().leave(other.tenant.id, otherInvitation.id, who), { code: 'invitations.leaveNotAllowed' });
      await invitations().leave(h.tenant.id, first.id, who);
      assert.equal((await admin('GET', `/users/${first.id}`)).status, 404);
      assert.deepEqual((await invitations().organizationsOf(who)).map((m) => m.tenantId), [other.tenant.id]);
      // the guest in the other tenant is untouched
      assert.equal((await invitations().findGuestForSignIn(otherScope, who))?.guestId, otherInvitation.id);
    });

    test('externalSettings gives the sign-in side the collaboration settings', async () => {
      const settings = await invitations().externalSettings(scope());
      assert.equal(settings.allowInvitesFrom, 'everyone');
      assert.equal(settings.guestUserRoleId, '10dae51f-b6af-4016-8d66-8c2a99b929b3');
      assert.equal(settings.allowConsumerDomains, false);
      assert.equal(settings.emailOtpForGuests, true);
      assert.equal((await admin('PATCH', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email', { allowExternalIdToUseEmailOtp: 'disabled' })).status, 204);
      assert.equal((await invitations().externalSettings(scope())).emailOtpForGuests, false);
      await admin('PATCH', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email', { allowExternalIdToUseEmailOtp: 'default' });
    });
  });
}
