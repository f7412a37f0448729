import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { JobRunner } from '../../src/jobs/runner.ts';
import { registerJobHandlers } from '../../src/jobs/handlers.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { auditRepo } from '../../src/modules/audit/index.ts';
import type { HomeIdentity } from '../../src/modules/invitations/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import { appToken, decodeMail, ManualClock, ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * `POST /v1.0/invitations` (issue 15 items 1, 2, 7): Graph's shape, every bad input of the issue
 * with nothing changed, re-invites, resetRedemption and the target's roles, who may invite
 * (allowInvitesFrom x caller), consumer domains, allow/deny lists, the throttle, and the mail
 * through the outbox to a real SMTP server.
 */
const REDIRECT = 'https://apps.contoso.example/welcome';
const POLICY_SCOPES = ['Policy.ReadWrite.Authorization', 'Policy.Read.All', 'User.Invite.All', 'Directory.ReadWrite.All'];

for (const dialect of testDialects) {
  describe(`POST /invitations (${dialect})`, () => {
    let h: Harness;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let clock: ManualClock;
    let runner: JobRunner;
    let admin: Graph;
    let gaToken: string;
    let counter = 0;
    const address = (domain = 'partner.example') => `invitee${++counter}@${domain}`;

    before(async () => {
      smtp = await startSmtpServer();
      clock = new ManualClock();
      h = await createHarness(dialect, { clock, config: { smtpUrl: smtp.url, baseUrl: 'https://tessera.test' } });
      runner = new JobRunner(h.container.queue, createLogger('silent'));
      registerJobHandlers(runner, { mail: h.container.mail });
      gaToken = h.tokens.user(h.tenant.id, h.tenant.adminId, POLICY_SCOPES);
      admin = graphCaller(h.app, gaToken);
    });
    after(async () => {
      await h?.close();
      await smtp?.close();
    });

    /** a fresh throttle window for each test that invites */
    const nextWindow = () => clock.advance(10_000);
    const userCount = async () => (await h.db.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', h.tenant.id).executeTakeFirstOrThrow()).n;
    const setPolicy = async (path: string, body: unknown) => {
      const response = await admin('PATCH', path, body);
      assert.equal(response.status, 204, JSON.stringify(response.body));
    };
    const scope = () => tenantScope(h.tenant.id);
    const accept = (guestId: string, url: string, home: Partial<HomeIdentity> = {}) =>
      h.container.invitations.redeem(scope(), {
        guestId,
        ticket: new URL(url).searchParams.get('ticket')!,
        home: { kind: 'oidc', issuer: 'https://idp.partner.example', subject: `sub-${guestId}`, email: 'x@partner.example', ...home },
      });

    test("Graph's shape: 201, the invitation, the guest created at once, the ticket stored only as a hash, an audit record", async () => {
      nextWindow();
      const email = 'Alice.Smith@Partner.example';
      const response = await admin('POST', '/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: REDIRECT,
        invitedUserDisplayName: 'Alice Smith',
        invitedUserMessageInfo: { customizedMessageBody: 'Welcome!', messageLanguage: 'en-US', ccRecipients: [{ emailAddress: { address: 'manager@partner.example', name: 'Manager' } }] },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      const body = response.body;
      assert.equal(body['@odata.context'], 'https://tessera.test/v1.0/$metadata#invitations/$entity');
      assert.equal(body.id, body.invitedUser.id);
      assert.equal(body.status, 'PendingAcceptance');
      assert.equal(body.invitedUserEmailAddress, email);
      assert.equal(body.invitedUserDisplayName, 'Alice Smith');
      assert.equal(body.invitedUserType, 'Guest');
      assert.equal(body.inviteRedirectUrl, REDIRECT);
      assert.equal(body.sendInvitationMessage, false);
      assert.equal(body.resetRedemption, false);
      assert.deepEqual(body.invitedUserMessageInfo, { ccRecipients: [{ emailAddress: { address: 'manager@partner.example', name: 'Manager' } }], customizedMessageBody: 'Welcome!', messageLanguage: 'en-US' });
      const url = new URL(body.inviteRedeemUrl);
      assert.equal(`${url.origin}${url.pathname}`, 'https://tessera.test/redeem');
      assert.equal(url.searchParams.get('tenant'), h.tenant.id);
      assert.equal(url.searchParams.get('user'), body.id);
      assert.equal(url.searchParams.get('ver'), '2.0');
      const ticket = url.searchParams.get('ticket')!;
      assert.match(ticket, /^[A-Za-z0-9_-]{43}$/);

      const user = await admin('GET', `/users/${body.id}?$select=id,displayName,userPrincipalName,mail,userType,externalUserState,externalUserStateChangeDateTime,creationType,identities,accountEnabled`);
      assert.equal(user.status, 200);
      assert.equal(user.body.userType, 'Guest');
      assert.equal(user.body.externalUserState, 'PendingAcceptance');
      assert.ok(user.body.externalUserStateChangeDateTime);
      assert.equal(user.body.creationType, 'Invitation');
      assert.equal(user.body.mail, email);
      assert.equal(user.body.userPrincipalName, `Alice.Smith_Partner.example#EXT#@${h.tenant.domain}`);
      assert.deepEqual(user.body.identities, [{ signInType: 'userPrincipalName', issuer: h.tenant.domain, issuerAssignedId: user.body.userPrincipalName }]);

      // the ticket itself is nowhere in the database
      const rows = await sql<Record<string, unknown>>`select * from guest_invitations where tenant_id = ${h.tenant.id}`.execute(h.db.db);
      assert.ok(rows.rows.length > 0);
      assert.ok(!JSON.stringify(rows.rows).includes(ticket));
      const events = await auditRepo.list(scoped(h.container.database, scope()), 20);
      assert.ok(events.some((e) => e.action === 'Invite external user' && e.targetId === body.id && e.actorId === h.tenant.adminId));
      // no mail unless asked
      assert.equal((await h.container.mail.outbox(scope())).filter((m) => m.to.includes(email)).length, 0);
    });

    test('guests are filterable and selectable by invitation state (the admin center list)', async () => {
      nextWindow();
      const pending = await admin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT });
      const accepted = await admin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT });
      await accept(accepted.body.id, accepted.body.inviteRedeemUrl);
      const select = '$select=id,displayName,mail,userPrincipalName,userType,externalUserState,externalUserStateChangeDateTime,creationType,accountEnabled,createdDateTime';
      const guests = await admin('GET', `/users?$filter=userType eq 'Guest'&${select}`);
      assert.equal(guests.status, 200);
      assert.ok(guests.body.value.every((u: { userType: string }) => u.userType === 'Guest'));
      assert.ok(guests.body.value.some((u: { id: string }) => u.id === pending.body.id));
      const pendingOnly = await admin('GET', `/users?$filter=userType eq 'Guest' and externalUserState eq 'PendingAcceptance'&${select}`);
      assert.ok(pendingOnly.body.value.some((u: { id: string }) => u.id === pending.body.id));
      assert.ok(!pendingOnly.body.value.some((u: { id: string }) => u.id === accepted.body.id));
      const acceptedOnly = await admin('GET', `/users?$filter=externalUserState eq 'Accepted'&${select}`);
      assert.deepEqual(acceptedOnly.body.value.map((u: { id: string }) => u.id), [accepted.body.id]);
      assert.equal(acceptedOnly.body.value[0].creationType, 'Invitation');
      const since = await admin('GET', `/users?$filter=externalUserStateChangeDateTime ge ${new Date(clock.now().getTime() - 1000).toISOString()}&$select=id`);
      assert.equal(since.status, 200, JSON.stringify(since.body));
      assert.ok(since.body.value.some((u: { id: string }) => u.id === accepted.body.id));
    });

    test('bad input: a clear 400 for each, and nothing created', async () => {
      nextWindow();
      const before = await userCount();
      const valid = { invitedUserEmailAddress: 'bob@partner.example', inviteRedirectUrl: REDIRECT };
      const cases: [string, unknown, RegExp][] = [
        ['no address', { inviteRedirectUrl: REDIRECT }, /invitedUserEmailAddress|email address/i],
        ['empty address', { ...valid, invitedUserEmailAddress: '' }, /not valid/],
        ['space', { ...valid, invitedUserEmailAddress: 'bob smith@partner.example' }, /not valid/],
        ['plus', { ...valid, invitedUserEmailAddress: 'bob+x@partner.example' }, /not valid/],
        ['hash', { ...valid, invitedUserEmailAddress: 'bo#b@partner.example' }, /not valid/],
        ['leading dot', { ...valid, invitedUserEmailAddress: '.bob@partner.example' }, /not valid/],
        ['trailing dash', { ...valid, invitedUserEmailAddress: 'bob-@partner.example' }, /not valid/],
        ['two @', { ...valid, invitedUserEmailAddress: 'bob@x@partner.example' }, /not valid/],
        ['no domain dot', { ...valid, invitedUserEmailAddress: 'bob@localhost' }, /not valid/],
        ['accented', { ...valid, invitedUserEmailAddress: 'bób@partner.example' }, /not valid/],
        ['angle brackets', { ...valid, invitedUserEmailAddress: '<bob@partner.example>' }, /not valid/],
        ['too long', { ...valid, invitedUserEmailAddress: `${'b'.repeat(250)}@partner.example` }, /limit of 254/],
        ['no redirect', { invitedUserEmailAddress: 'bob@partner.example' }, /inviteRedirectUrl.*required/],
        ['http redirect', { ...valid, inviteRedirectUrl: 'http://apps.contoso.example/' }, /https/],
        ['javascript redirect', { ...valid, inviteRedirectUrl: 'javascript:alert(1)' }, /https/],
        ['relative redirect', { ...valid, inviteRedirectUrl: '/welcome' }, /absolute https URL/],
        ['credentials in redirect', { ...valid, inviteRedirectUrl: 'https://user:pw@apps.contoso.example/' }, /user name or password/],
        ['two cc recipients', { ...valid, invitedUserMessageInfo: { ccRecipients: [{ emailAddress: { address: 'a@partner.example' } }, { emailAddress: { address: 'b@partner.example' } }] } }, /limit is 1 entry/],
        ['bad cc', { ...valid, invitedUserMessageInfo: { ccRecipients: [{ emailAddress: { address: 'not an address' } }] } }, /not valid/],
        ['message too long', { ...valid, invitedUserMessageInfo: { customizedMessageBody: 'x'.repeat(10_001) } }, /limit of 10000 characters/],
        ['bad language', { ...valid, invitedUserMessageInfo: { messageLanguage: 'not a language!' } }, /language code/],
        ['unknown property', { ...valid, favouriteColour: 'blue' }, /favouriteColour/],
        ['read-only status', { ...valid, status: 'Completed' }, /read-only/],
        ['bad user type', { ...valid, invitedUserType: 'Administrator' }, /'Guest' or 'Member'/],
        ['wrong type', { ...valid, sendInvitationMessage: 'yes' }, /true or false/],
        ['reset without user', { ...valid, resetRedemption: true }, /invitedUser/],
        ['reset with a bad id', { ...valid, resetRedemption: true, invitedUser: { id: 'nope' } }, /GUID/],
        ['prototype key', '{"invitedUserEmailAddress":"bob@partner.example","inviteRedirectUrl":"https://a.example","__proto__":{"x":1}}', /__proto__/],
        ['nested prototype key', { ...valid, invitedUserMessageInfo: { constructor: { x: 1 } } }, /constructor/],
        ['consumer domain', { ...valid, invitedUserEmailAddress: 'bob@gmail.com' }, /consumer e-mail domains.*not supported in this organization/],
        ['consumer domain family', { ...valid, invitedUserEmailAddress: 'bob@gmx.de' }, /consumer e-mail domains/],
        ['an existing member', { ...valid, invitedUserEmailAddress: `admin@${h.tenant.domain}` }, /belongs to a member of this organization/],
        ['an existing member, other case', { ...valid, invitedUserEmailAddress: `ADMIN@${h.tenant.domain.toUpperCase()}` }, /belongs to a member/],
        ['not an object', '[1,2]', /JSON object/],
      ];
      for (const [name, body, message] of cases) {
        const response = await admin('POST', '/invitations', body);
        assert.equal(response.status, 400, `${name}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, 'Request_BadRequest', name);
        assert.match(response.body.error.message, message, name);
      }
      assert.equal(await userCount(), before);
      // loopback http redirects are allowed (development)
      for (const redirect of ['http://localhost:5173/cb', 'http://127.0.0.1/x']) {
        const ok = await admin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: redirect });
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
      }
    });

    test('re-inviting a pending guest reuses the user and issues a fresh ticket; the old link dies', async () => {
      nextWindow();
      const email = address();
      const first = await admin('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT });
      const second = await admin('POST', '/invitations', { invitedUserEmailAddress: email.toUpperCase(), inviteRedirectUrl: 'https://apps.contoso.example/other', invitedUserDisplayName: 'Renamed' });
      assert.equal(second.status, 201);
      assert.equal(second.body.id, first.body.id);
      assert.equal(second.body.status, 'PendingAcceptance');
      assert.notEqual(second.body.inviteRedeemUrl, first.body.inviteRedeemUrl);
      const ticketOf = (url: string) => new URL(url).searchParams.get('ticket')!;
      await assert.rejects(h.container.invitations.openTicket(h.tenant.id, first.body.id, ticketOf(first.body.inviteRedeemUrl)), { code: 'invitations.ticketInvalid' });
      const view = await h.container.invitations.openTicket(h.tenant.id, first.body.id, ticketOf(second.body.inviteRedeemUrl));
      assert.equal(view.redirectUrl, 'https://apps.contoso.example/other');
      assert.equal(view.guestDisplayName, 'Renamed');
      const guests = await admin('GET', `/users?$filter=mail eq '${email}'&$select=id`);
      assert.equal(guests.body.value.length, 1);
    });

    test('an accepted guest invited again comes back Completed, without a new ticket', async () => {
      nextWindow();
      const email = address();
      const first = await admin('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT });
      await accept(first.body.id, first.body.inviteRedeemUrl);
      const again = await admin('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, sendInvitationMessage: true });
      assert.equal(again.status, 201);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.status, 'Completed');
      assert.equal(again.body.inviteRedeemUrl, null);
      const user = await admin('GET', `/users/${first.body.id}?$select=externalUserState`);
      assert.equal(user.body.externalUserState, 'Accepted');
      assert.equal((await h.container.mail.outbox(scope())).filter((m) => m.to.includes(email)).length, 0);
    });

    test('resetRedemption: same object and UPN, pending again, the new address in otherMails, home forgotten, fresh ticket', async () => {
      nextWindow();
      const email = address();
      const first = await admin('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT });
      const id = first.body.id;
      await accept(id, first.body.inviteRedeemUrl);
      assert.equal(await h.container.invitations.guestHomeIssuer(scope(), id), 'https://idp.partner.example');
      const before = await admin('GET', `/users/${id}?$select=userPrincipalName,identities`);
      assert.equal(before.body.identities.length, 2);
      const newEmail = address('newpartner.example');
      const reset = await admin('POST', '/invitations', { invitedUserEmailAddress: newEmail, inviteRedirectUrl: REDIRECT, resetRedemption: true, invitedUser: { id } });
      assert.equal(reset.status, 201, JSON.stringify(reset.body));
      assert.equal(reset.body.id, id);
      assert.equal(reset.body.status, 'PendingAcceptance');
      assert.equal(reset.body.resetRedemption, true);
      const after = await admin('GET', `/users/${id}?$select=userPrincipalName,externalUserState,otherMails,mail,identities`);
      assert.equal(after.body.userPrincipalName, before.body.userPrincipalName);
      assert.equal(after.body.externalUserState, 'PendingAcceptance');
      assert.deepEqual(after.body.otherMails, [newEmail]);
      assert.equal(after.body.mail, email);
      assert.deepEqual(after.body.identities.map((i: { signInType: string }) => i.signInType), ['userPrincipalName']);
      assert.equal(await h.container.invitations.guestHomeIssuer(scope(), id), null);
      // the new ticket redeems with a new home
      const redeemed = await accept(id, reset.body.inviteRedeemUrl, { issuer: 'https://login.newpartner.example', subject: 'new-sub', email: newEmail });
      assert.equal(redeemed.guestId, id);
      // an address another user has is refused, an unknown id is 404
      const taken = await admin('POST', '/invitations', { invitedUserEmailAddress: `admin@${h.tenant.domain}`, inviteRedirectUrl: REDIRECT, resetRedemption: true, invitedUser: { id } });
      assert.equal(taken.status, 400);
      const unknown = await admin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT, resetRedemption: true, invitedUser: { id: '00000000-0000-4000-8000-000000000000' } });
      assert.equal(unknown.status, 404);
    });

    test("resetRedemption follows the target's roles: Helpdesk and User Administrators reach plain guests only, apps no role holder", async () => {
      nextWindow();
      const invite = async () => (await admin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT })).body.id as string;
      const plain = await invite();
      const reader = await invite();
      const privileged = await invite();
      const system = { kind: 'system' as const, tenantId: h.tenant.id };
      const { inTransaction } = await import('../../src/storage/scoped.ts');
      await inTransaction(h.container.database, scope(), (tdb) => h.container.roles.assignByTemplate(tdb, system, ROLE.directoryReaders, reader));
      await inTransaction(h.container.database, scope(), (tdb) => h.container.roles.assignByTemplate(tdb, system, ROLE.globalAdministrator, privileged));
      const reset = (graph: Graph, id: string) => graph('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT, resetRedemption: true, invitedUser: { id } });

      const helpdesk = graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.helpdeskAdministrator], scopes: ['User.Invite.All'] })).token);
      const userAdmin = graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.userAdministrator], scopes: ['User.Invite.All'] })).token);
      const member = graphCaller(h.app, (await userWithRoles(h, { scopes: ['User.Invite.All'] })).token);
      const app = graphCaller(h.app, appToken(h, ['User.Invite.All']));
      assert.equal((await reset(member, plain)).status, 403);
      assert.equal((await reset(helpdesk, plain)).status, 201);
      assert.equal((await reset(helpdesk, reader)).status, 201);
      assert.equal((await reset(helpdesk, privileged)).status, 403);
      assert.equal((await reset(userAdmin, privileged)).status, 403);
      assert.equal((await reset(userAdmin, plain)).status, 201);
      assert.equal((await reset(app, plain)).status, 201);
      // app-only: no target holding any directory role, not even a non-privileged one
      const appOnReader = await reset(app, reader);
      assert.equal(appOnReader.status, 403);
      assert.equal(appOnReader.body.error.code, 'Authorization_RequestDenied');
      assert.equal((await reset(admin, privileged)).status, 201);
    });

    test('who may invite: allowInvitesFrom x caller (Guest Inviter role, members, guests, apps)', async () => {
      const ga = { graph: admin };
      const userAdmin = { graph: graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.userAdministrator] })).token) };
      const inviter = { graph: graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.guestInviter] })).token) };
      const member = { graph: graphCaller(h.app, (await userWithRoles(h)).token) };
      const guest = { graph: graphCaller(h.app, (await userWithRoles(h, { userType: 'Guest' })).token) };
      const app = { graph: graphCaller(h.app, appToken(h, ['User.Invite.All'])) };
      const callers = { ga, userAdmin, inviter, member, guest, app };
      const expected: Record<string, Record<keyof typeof callers, number>> = {
        none: { ga: 403, userAdmin: 403, inviter: 403, member: 403, guest: 403, app: 403 },
        adminsAndGuestInviters: { ga: 201, userAdmin: 201, inviter: 201, member: 403, guest: 403, app: 403 },
        adminsGuestInvitersAndAllMembers: { ga: 201, userAdmin: 201, inviter: 201, member: 201, guest: 403, app: 201 },
        everyone: { ga: 201, userAdmin: 201, inviter: 201, member: 201, guest: 201, app: 201 },
      };
      try {
        for (const [policy, outcomes] of Object.entries(expected)) {
          nextWindow();
          await setPolicy('/policies/authorizationPolicy', { allowInvitesFrom: policy });
          for (const [name, caller] of Object.entries(callers)) {
            const before = await userCount();
            const response = await caller.graph('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT });
            assert.equal(response.status, outcomes[name as keyof typeof callers], `${policy} / ${name}: ${JSON.stringify(response.body)}`);
            if (response.status === 403) {
              assert.equal(response.body.error.code, 'Authorization_RequestDenied');
              assert.equal(await userCount(), before, `${policy} / ${name} changed something`);
            }
          }
        }
        // a delegated token without an invite permission is refused whatever the roles
        const noScope = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']));
        assert.equal((await noScope('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT })).status, 403);
        const appNoPermission = graphCaller(h.app, appToken(h, ['User.Read.All']));
        assert.equal((await appNoPermission('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT })).status, 403);
        // Member invitations: User Administrators and Global Administrators only
        nextWindow();
        const asMember = { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT, invitedUserType: 'Member' };
        assert.equal((await member.graph('POST', '/invitations', asMember)).status, 403);
        assert.equal((await inviter.graph('POST', '/invitations', asMember)).status, 403);
        const created = await userAdmin.graph('POST', '/invitations', asMember);
        assert.equal(created.status, 201);
        assert.equal(created.body.invitedUserType, 'Member');
        const user = await admin('GET', `/users/${created.body.id}?$select=userType,externalUserState,creationType`);
        assert.deepEqual({ ...user.body, '@odata.context': undefined }, { '@odata.context': undefined, userType: 'Member', externalUserState: 'PendingAcceptance', creationType: 'Invitation' });
      } finally {
        await setPolicy('/policies/authorizationPolicy', { allowInvitesFrom: 'everyone' });
      }
    });

    test('consumer domains are refused by default and allowed by the b2bManagementPolicy', async () => {
      nextWindow();
      const refused = await admin('POST', '/invitations', { invitedUserEmailAddress: 'someone@outlook.com', inviteRedirectUrl: REDIRECT });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /Invitations to consumer e-mail domains such as 'outlook.com' are not supported in this organization/);
      try {
        await setPolicy('/beta/policies/b2bManagementPolicy', { allowConsumerDomains: true });
        const allowed = await admin('POST', '/invitations', { invitedUserEmailAddress: 'someone@outlook.com', inviteRedirectUrl: REDIRECT });
        assert.equal(allowed.status, 201);
      } finally {
        await setPolicy('/beta/policies/b2bManagementPolicy', { allowConsumerDomains: false });
      }
    });

    test('the allow list and the deny list are checked at invite', async () => {
      nextWindow();
      try {
        await setPolicy('/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: ['Partner.example', '*.friends.example'] } });
        assert.equal((await admin('POST', '/invitations', { invitedUserEmailAddress: address('partner.example'), inviteRedirectUrl: REDIRECT })).status, 201);
        assert.equal((await admin('POST', '/invitations', { invitedUserEmailAddress: address('eu.friends.example'), inviteRedirectUrl: REDIRECT })).status, 201);
        const outside = await admin('POST', '/invitations', { invitedUserEmailAddress: address('other.example'), inviteRedirectUrl: REDIRECT });
        assert.equal(outside.status, 400);
        assert.match(outside.body.error.message, /'other.example' are blocked/);
        await setPolicy('/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: ['blocked.example'] } });
        const policy = await admin('GET', '/beta/policies/b2bManagementPolicy');
        assert.deepEqual(policy.body.invitationsAllowedAndBlockedDomainsPolicy, { allowedDomains: [], blockedDomains: ['blocked.example'] });
        assert.equal((await admin('POST', '/invitations', { invitedUserEmailAddress: address('blocked.example'), inviteRedirectUrl: REDIRECT })).status, 400);
        assert.equal((await admin('POST', '/invitations', { invitedUserEmailAddress: address('other.example'), inviteRedirectUrl: REDIRECT })).status, 201);
      } finally {
        await setPolicy('/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: [], blockedDomains: [] } });
      }
    });

    test('throttle: 150 calls per 5 s per tenant, then 429 with Retry-After; bulk rows are not throttled one by one', async () => {
      nextWindow();
      // the manual clock stands still, so all of these fall in one window
      for (let i = 0; i < 150; i++) {
        const response = await admin('POST', '/invitations', { invitedUserEmailAddress: address('throttle.example'), inviteRedirectUrl: REDIRECT });
        assert.equal(response.status, 201, `call ${i + 1}: ${JSON.stringify(response.body)}`);
      }
      const before = await userCount();
      const throttled = await admin('POST', '/invitations', { invitedUserEmailAddress: address('throttle.example'), inviteRedirectUrl: REDIRECT });
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.error.code, 'TooManyRequests');
      const retryAfter = Number(throttled.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 5, `Retry-After ${throttled.headers['retry-after']}`);
      assert.equal(await userCount(), before);
      // a bulk upload is admitted (counted) as one call, so it is refused as a whole now...
      const principal = { kind: 'user' as const, tenantId: h.tenant.id, userId: h.tenant.adminId, clientAppId: null, scopes: new Set(['User.Invite.All']), userType: 'Member' as const, roleTemplateIds: new Set([ROLE.globalAdministrator]) };
      await assert.rejects(h.container.invitations.admitBulk(scope(), principal), { kind: 'throttled' });
      // ...but the rows of an upload admitted earlier go on
      const row = await h.container.invitations.invite(scope(), principal, { invitedUserEmailAddress: address('bulk.example'), inviteRedirectUrl: REDIRECT }, { bulk: true });
      assert.equal(row.status, 'PendingAcceptance');
      // another tenant has its own budget
      const other = await h.container.tenants.create({ displayName: 'Other', domain: `other${Date.now()}.example`, admin: { email: `boss@other${Date.now()}.example`, password: 'Admin-Passw0rd!' } });
      const otherAdmin = graphCaller(h.app, h.tokens.user(other.tenant.id, other.adminUserId!, ['User.Invite.All']));
      assert.equal((await otherAdmin('POST', '/invitations', { invitedUserEmailAddress: address(), inviteRedirectUrl: REDIRECT })).status, 201);
      // the next window admits again
      clock.advance(5_000);
      assert.equal((await admin('POST', '/invitations', { invitedUserEmailAddress: address('throttle.example'), inviteRedirectUrl: REDIRECT })).status, 201);
      await h.container.invitations.admitBulk(scope(), principal);
    });

    test("inviteWithin (a bulk row): it commits or rolls back with the caller's transaction", async () => {
      const { inTransaction } = await import('../../src/storage/scoped.ts');
      const principal = { kind: 'user' as const, tenantId: h.tenant.id, userId: h.tenant.adminId, clientAppId: null, scopes: new Set(['User.Invite.All']), userType: 'Member' as const, roleTemplateIds: new Set([ROLE.globalAdministrator]) };
      const undone = address('bulk.example');
      await assert.rejects(
        inTransaction(h.container.database, scope(), async (tdb) => {
          const row = await h.container.invitations.inviteWithin(tdb, principal, { invitedUserEmailAddress: undone, inviteRedirectUrl: REDIRECT, sendInvitationMessage: true }, { bulk: true, requestId: 'op:1' });
          assert.equal(row.status, 'PendingAcceptance');
          throw new Error('the row fails later');
        }),
        /the row fails later/,
      );
      assert.equal((await admin('GET', `/users?$filter=mail eq '${undone}'&$select=id`)).body.value.length, 0);
      assert.equal((await h.container.mail.outbox(scope())).filter((m) => m.to.includes(undone)).length, 0);
      const kept = address('bulk.example');
      const row = await inTransaction(h.container.database, scope(), (tdb) => h.container.invitations.inviteWithin(tdb, principal, { invitedUserEmailAddress: kept, inviteRedirectUrl: REDIRECT }, { bulk: true }));
      assert.equal((await admin('GET', `/users?$filter=mail eq '${kept}'&$select=id`)).body.value[0].id, row.id);
      // a row is still checked like a single invitation
      await assert.rejects(
        inTransaction(h.container.database, scope(), (tdb) => h.container.invitations.inviteWithin(tdb, principal, { invitedUserEmailAddress: 'x@gmail.com', inviteRedirectUrl: REDIRECT }, { bulk: true })),
        { code: 'invitations.consumerDomain' },
      );
    });

    test('the invitation e-mail: inviter, organization, custom message, Get started, privacy link, cc, over SMTP', async () => {
      nextWindow();
      const orgPatch = await admin('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { contactEmail: 'privacy@contoso.example', statementUrl: 'https://contoso.example/privacy' } });
      assert.equal(orgPatch.status, 204);
      const email = address();
      const response = await admin('POST', '/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: REDIRECT,
        sendInvitationMessage: true,
        invitedUserMessageInfo: { customizedMessageBody: 'Hi <b>there</b> & "welcome"', ccRecipients: [{ emailAddress: { address: 'cc@partner.example' } }], messageLanguage: 'nl-NL' },
      });
      assert.equal(response.status, 201);
      const outbox = (await h.container.mail.outbox(scope())).filter((m) => m.to.includes(email));
      assert.equal(outbox.length, 1);
      assert.ok((await runner.runDue()) >= 1);
      const received = smtp.received.filter((m) => m.to.includes(email));
      assert.equal(received.length, 1);
      assert.deepEqual([...received[0]!.to].sort(), ['cc@partner.example', email].sort());
      const mail = decodeMail(received[0]!.raw);
      // customizedMessageBody set: messageLanguage is ignored (Graph), so English
      assert.equal(mail.subject, 'Administrator invited you to access applications within their organization');
      assert.match(mail.headers.cc ?? '', /cc@partner.example/);
      assert.ok(mail.text.includes(response.body.inviteRedeemUrl), 'redeem URL in the text part');
      assert.match(mail.text, /Get started/);
      assert.match(mail.text, /Contoso/);
      assert.match(mail.text, new RegExp(h.tenant.domain.replace(/\./g, '\\.')));
      assert.match(mail.text, /Hi <b>there<\/b> & "welcome"/);
      assert.match(mail.text, /https:\/\/contoso.example\/privacy/);
      // the HTML escapes the message and links the button to the redeem URL
      assert.ok(mail.html.includes('Hi &lt;b&gt;there&lt;/b&gt; &amp; &quot;welcome&quot;'));
      assert.ok(!mail.html.includes('<b>there</b>'));
      assert.ok(mail.html.includes(`href="${response.body.inviteRedeemUrl.replace(/&/g, '&amp;')}"`));
      assert.ok(mail.html.includes('href="https://contoso.example/privacy"'));

      // Dutch without a custom message; no privacy statement: a line says so
      await admin('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: null });
      const dutch = address();
      await admin('POST', '/invitations', { invitedUserEmailAddress: dutch, inviteRedirectUrl: REDIRECT, sendInvitationMessage: true, invitedUserMessageInfo: { messageLanguage: 'nl-BE' } });
      const english = address();
      await admin('POST', '/invitations', { invitedUserEmailAddress: english, inviteRedirectUrl: REDIRECT, sendInvitationMessage: true, invitedUserMessageInfo: { messageLanguage: 'de-DE' } });
      await runner.runDue();
      const nl = decodeMail(smtp.received.find((m) => m.to.includes(dutch))!.raw);
      assert.equal(nl.subject, 'Administrator heeft u uitgenodigd voor toegang tot toepassingen binnen de organisatie');
      assert.match(nl.text, /Aan de slag/);
      assert.match(nl.text, /heeft geen privacyverklaring opgegeven/);
      const en = decodeMail(smtp.received.find((m) => m.to.includes(english))!.raw);
      assert.match(en.subject, /invited you to access applications/);
      assert.match(en.text, /has not provided a privacy statement/);
    });

    test('a display name with markup is escaped in the mail and cannot break the subject line', async () => {
      nextWindow();
      const sneaky = await userWithRoles(h, { name: 'Eve <script>', roles: [ROLE.guestInviter] });
      await h.db.db.updateTable('users').set({ display_name: 'Eve <script>alert(1)</script>\r\nBcc: victim@evil.example' }).where('id', '=', sneaky.id).execute();
      const email = address();
      const response = await graphCaller(h.app, sneaky.token)('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, sendInvitationMessage: true });
      assert.equal(response.status, 201);
      await runner.runDue();
      const received = smtp.received.find((m) => m.to.includes(email))!;
      assert.deepEqual(received.to, [email]);
      const mail = decodeMail(received.raw);
      assert.ok(!mail.html.includes('<script>'));
      assert.ok(mail.html.includes('&lt;script&gt;'));
      assert.equal(mail.headers.bcc, undefined);
    });
  });
}
