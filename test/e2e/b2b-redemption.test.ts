import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { FEDERATION_APP_ID } from '../../src/modules/consent/index.ts';
import { PERSONAL_TENANT_ID } from '../../src/modules/federation/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { authorization, codeFromOutbox, createApp, createMember, createTenant, go, heading, newClient, redeemCode, signInAtHome, submit, text, type Visit } from './b2b-flow.ts';

/**
 * B2B redemption and guest sign-in end to end (issue 15 items 3-7), through the real pages with a
 * cookie-jar client on a listening server, on SQLite and PostgreSQL: an invitee of Contoso (A)
 * redeems the e-mail link by signing in at their own tenant Fabrikam (B), sees Review permissions
 * and lands on the redirect URL; then signs in to an app of A as the guest (tid A, oid the guest,
 * idp B). Bad tickets, an alias address, Cancel, a domain blocked after the invite, direct-link
 * redemption, an account nobody invited, a personal account created with a mailed code, e-mail
 * one-time passcode, and leaving the organization from My Account.
 */
const REDIRECT = 'https://apps.contoso.example/welcome';
const APP_REDIRECT = 'https://apps.contoso.example/signin';
const PASSWORD = 'Fabrikam-Passw0rd!';

for (const dialect of testDialects) {
  describe(`B2B redemption and guest sign-in (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let graph: Graph;
    let fabrikam: { id: string; domain: string };
    let appId: string;
    let counter = 0;

    // the server's clock, moved forward only around the expiry test (the OIDC flows run on real time)
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };

    before(async () => {
      h = await createHarness(dialect, { listen: true, clock });
      base = h.container.config.baseUrl;
      graph = graphCaller(h.app, h.tenant.adminToken);
      fabrikam = await createTenant(h, 'Fabrikam');
      appId = await createApp(h, h.tenant.id, APP_REDIRECT);
      const privacy = await graph('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { statementUrl: 'https://contoso.example/privacy', contactEmail: 'privacy@contoso.example' } });
      assert.equal(privacy.status, 204, privacy.text);
    });
    after(() => h?.close());

    async function invite(email: string): Promise<{ guestId: string; url: string }> {
      const response = await graph('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, sendInvitationMessage: false });
      assert.equal(response.status, 201, response.text);
      return { guestId: response.body.invitedUser.id, url: response.body.inviteRedeemUrl };
    }

    async function guest(id: string): Promise<Record<string, any>> {
      const response = await graph('GET', `/users/${id}?$select=id,userType,externalUserState,externalUserStateChangeDateTime,identities,mail`);
      assert.equal(response.status, 200, response.text);
      return response.body;
    }

    /** A fresh member of Fabrikam. */
    const fabrikamMember = (name: string) => createMember(h, fabrikam, `${name}${++counter}`, `${name[0]!.toUpperCase()}${name.slice(1)} Example`, PASSWORD);

    /** From an invitation link: the invitation page, then (with `email`) home sign-in at Fabrikam, up to Review permissions. */
    async function toReview(url: string, email: string, password = PASSWORD): Promise<{ client: ReturnType<typeof newClient>; review: Visit }> {
      const client = newClient();
      const landing = await go(client, base, url);
      assert.equal(landing.status, 200, landing.html);
      const home = await submit(client, base, landing, { email });
      const review = await signInAtHome(client, base, home, email, password);
      return { client, review };
    }

    test('an invitee redeems the link: who invited them, sign-in at their own tenant, Review permissions, then the redirect URL', async () => {
      const alice = await fabrikamMember('alice');
      const { guestId, url } = await invite(alice.upn);
      assert.ok(url.startsWith(`${base}/redeem?`), url);

      const client = newClient();
      const landing = await go(client, base, url);
      assert.equal(landing.status, 200);
      assert.equal(heading(landing.html), "You're invited");
      assert.match(text(landing.html), /Administrator from Contoso invited you/);
      assert.match(landing.html, new RegExp(`value="${alice.upn}"`), 'the invited address is prefilled');
      assert.doesNotMatch(landing.html, /<script/i);

      // "Sign in": the guest's own tenant, with the address as login hint, then back to Review permissions
      const home = await submit(client, base, landing, { email: alice.upn });
      assert.match(home.url, new RegExp(`/${fabrikam.id}/interaction/`), 'signs in at Fabrikam');
      assert.match(home.html, /type="password"/);
      const review = await signInAtHome(client, base, home, alice.upn, PASSWORD);
      assert.equal(review.status, 200, review.html);
      assert.equal(new URL(review.url).pathname, '/redeem/review');
      assert.equal(heading(review.html), 'Review permissions');
      const shown = text(review.html);
      for (const expected of ['Contoso', h.tenant.domain, `Signed in as ${alice.upn}`, 'Read your name, e-mail address and photo']) assert.ok(shown.includes(expected), `Review permissions shows ${expected}`);
      assert.match(review.html, /href="https:\/\/contoso\.example\/privacy"/, "the organization's privacy statement");
      assert.match(String((await guest(guestId)).externalUserState), /PendingAcceptance/, 'nothing is accepted before Accept');

      const accepted = await submit(client, base, review, { decision: 'accept' });
      assert.equal(accepted.location, REDIRECT);
      const after = await guest(guestId);
      assert.equal(after.externalUserState, 'Accepted');
      assert.ok(after.externalUserStateChangeDateTime);
      assert.ok(after.identities.some((i: { issuer: string; signInType: string }) => i.signInType === 'federated' && i.issuer === 'ExternalAzureAD'), JSON.stringify(after.identities));

      // the same link again: used
      const again = await go(newClient(), base, url);
      assert.equal(again.status, 410);
      assert.match(text(again.html), /already been accepted/);

      // then the guest opens an app of Contoso directly: authentication at home, tokens from Contoso
      const app = newClient();
      const { url: authorize, verifier } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const signIn = await go(app, base, authorize);
      assert.equal(heading(signIn.html), 'Sign in');
      const atHome = await submit(app, base, signIn, { username: alice.upn });
      assert.match(atHome.url, new RegExp(`/${fabrikam.id}/interaction/`));
      const done = await signInAtHome(app, base, atHome, alice.upn, PASSWORD);
      assert.ok(done.location?.startsWith(APP_REDIRECT), `back at the app: ${done.location ?? done.html.slice(0, 500)}`);
      const tokens = await redeemCode(base, h.tenant.id, appId, APP_REDIRECT, done.location!, verifier);
      for (const claims of [tokens.id, tokens.access]) {
        assert.equal(claims.tid, h.tenant.id, 'tid: the inviting tenant');
        assert.equal(claims.oid, guestId, "oid: the guest's object there");
        assert.equal(claims.idp, `${base}/${fabrikam.id}/v2.0`, 'idp: the home issuer');
      }
    });

    test('a member signing in to their own tenant gets no idp claim, and a guest never signs in with a password there', async () => {
      const member = await createMember(h, { id: h.tenant.id, domain: h.tenant.domain }, `member${++counter}`, 'Member', PASSWORD);
      const client = newClient();
      const { url: authorize, verifier } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const done = await signInAtHome(client, base, await go(client, base, authorize), member.upn, PASSWORD);
      assert.ok(done.location?.startsWith(APP_REDIRECT));
      const tokens = await redeemCode(base, h.tenant.id, appId, APP_REDIRECT, done.location!, verifier);
      assert.equal(tokens.id.idp, undefined);
      assert.equal(tokens.access.idp, undefined);

      // a guest's object here has no password sign-in, whatever is typed
      const bob = await fabrikamMember('bob');
      const { guestId } = await invite(bob.upn);
      const upn = (await graph('GET', `/users/${guestId}?$select=userPrincipalName`)).body.userPrincipalName as string;
      const other = newClient();
      const page = await go(other, base, (await authorization(base, h.tenant.id, appId, APP_REDIRECT)).url);
      const interaction = new URL(page.url).pathname;
      const attempt = await go(other, base, `${base}${interaction}/password`, new URLSearchParams({ csrf_token: /name="csrf_token" value="([^"]+)"/.exec(page.html)![1]!, username: upn, password: PASSWORD }));
      assert.equal(attempt.status, 400);
      assert.match(text(attempt.html), /Your account or password is incorrect/);
    });

    test('bad links get clear pages and change nothing: tampered, wrong user, missing, expired', async () => {
      const carol = await fabrikamMember('carol');
      const { guestId, url } = await invite(carol.upn);
      const link = new URL(url);
      const ticket = link.searchParams.get('ticket')!;
      const variant = (changes: Record<string, string | null>) => {
        const copy = new URL(link);
        for (const [name, value] of Object.entries(changes)) if (value === null) copy.searchParams.delete(name); else copy.searchParams.set(name, value);
        return copy.toString();
      };
      const flipped = `${ticket.slice(0, -1)}${ticket.endsWith('A') ? 'B' : 'A'}`;
      for (const [name, bad] of [
        ['tampered ticket', variant({ ticket: flipped })],
        ['another user', variant({ user: h.tenant.adminId })],
        ['another tenant', variant({ tenant: fabrikam.id })],
        ['no ticket', variant({ ticket: null })],
        ['not a guid', variant({ user: 'x' })],
        ['odd characters', variant({ ticket: `${ticket}<script>` })],
      ] as const) {
        const page = await go(newClient(), base, bad);
        assert.equal(page.status, 400, name);
        assert.equal(heading(page.html), "This invitation can't be accepted", name);
        assert.match(text(page.html), /link isn't valid/, name);
      }
      // a tampered ticket posted to the form fails the same way
      const client = newClient();
      const landing = await go(client, base, url);
      const posted = await submit(client, base, landing, { ticket: flipped, email: carol.upn });
      assert.equal(posted.status, 400);
      assert.equal((await guest(guestId)).externalUserState, 'PendingAcceptance');
      // without the CSRF token the form is refused before anything else
      const forged = await go(newClient(), base, `${base}/redeem`, new URLSearchParams({ tenant: h.tenant.id, user: guestId, ticket, email: carol.upn }));
      assert.equal(forged.status, 403);
      // an empty or malformed address is asked again
      const empty = await submit(client, base, landing, { email: '' });
      assert.equal(empty.status, 400);
      assert.match(text(empty.html), /Enter the e-mail address/);
      const malformed = await submit(client, base, landing, { email: 'not an address' });
      assert.equal(malformed.status, 400);

      // 90 days on, the link has expired (410 Gone) and the guest is still pending
      offset = 91 * 24 * 3600 * 1000;
      try {
        const expired = await go(newClient(), base, url);
        assert.equal(expired.status, 410);
        assert.match(text(expired.html), /This invitation has expired/);
      } finally {
        offset = 0;
      }
      assert.equal((await guest(guestId)).externalUserState, 'PendingAcceptance');
      assert.equal((await go(newClient(), base, url)).status, 200);
    });

    test('Cancel on Review permissions shares nothing, and the link still works afterwards', async () => {
      const dana = await fabrikamMember('dana');
      const { guestId, url } = await invite(dana.upn);
      const { client, review } = await toReview(url, dana.upn);
      assert.equal(heading(review.html), 'Review permissions');
      const cancelled = await submit(client, base, review, { decision: 'cancel' });
      assert.equal(cancelled.status, 200);
      assert.equal(heading(cancelled.html), 'Invitation not accepted');
      assert.match(text(cancelled.html), /Nothing about you was shared with it/);
      const state = await guest(guestId);
      assert.equal(state.externalUserState, 'PendingAcceptance');
      assert.equal(state.identities.filter((i: { signInType: string }) => i.signInType === 'federated').length, 0);
      // the review step is over: posting it again does nothing
      const replay = await submit(client, base, review, { decision: 'accept' });
      assert.equal(replay.status, 400);
      assert.equal((await guest(guestId)).externalUserState, 'PendingAcceptance');
      assert.equal((await go(newClient(), base, url)).status, 200, 'the link can still be redeemed');
    });

    test('in Dutch: the invitation, the home sign-in and Review permissions follow the browser language', async () => {
      const joost = await fabrikamMember('joost');
      const { url } = await invite(joost.upn);
      const client = new FormClient({ 'accept-language': 'nl-NL,nl;q=0.9' });
      const landing = await go(client, base, url);
      assert.match(landing.html, /<html lang="nl"/);
      assert.equal(heading(landing.html), 'U bent uitgenodigd');
      assert.match(text(landing.html), /Administrator van Contoso heeft u uitgenodigd/);
      const home = await submit(client, base, landing, { email: joost.upn });
      assert.equal(new URL(home.url).searchParams.get('ui_locales'), 'nl', 'the home sign-in is asked in Dutch');
      assert.match(home.html, /<html lang="nl"/);
      const review = await signInAtHome(client, base, home, joost.upn, PASSWORD);
      assert.equal(heading(review.html), 'Machtigingen controleren');
      assert.match(text(review.html), /Lees de privacyverklaring van Contoso/);
      const cancelled = await submit(client, base, review, { decision: 'cancel' });
      assert.equal(heading(cancelled.html), 'Uitnodiging niet aangenomen');
    });

    test('an organization made before home sign-in existed gets the home sign-in client on first need', async () => {
      const older = await createTenant(h, 'Litware');
      const scope = tenantScope(older.id);
      // as a tenant provisioned by an earlier release: no federation client
      const sp = await h.container.applications.servicePrincipal(scope, FEDERATION_APP_ID);
      await sql`delete from directory_objects where tenant_id = ${older.id} and id = ${sp!.id}`.execute(h.db.db);
      await sql`delete from applications where tenant_id = ${older.id} and app_id = ${FEDERATION_APP_ID}`.execute(h.db.db);
      await sql`update tenants set directory_stamp = directory_stamp + 1 where id = ${older.id}`.execute(h.db.db);
      assert.equal(await h.container.applications.client(scope, FEDERATION_APP_ID), undefined);

      const lena = await createMember(h, older, `lena${++counter}`, 'Lena', PASSWORD);
      const { guestId, url } = await invite(lena.upn);
      const { client, review } = await toReview(url, lena.upn);
      assert.equal(heading(review.html), 'Review permissions', review.html.slice(0, 400));
      assert.equal((await submit(client, base, review, { decision: 'accept' })).location, REDIRECT);
      assert.equal((await guest(guestId)).externalUserState, 'Accepted');
      assert.ok(await h.container.applications.client(scope, FEDERATION_APP_ID), 'registered on first need');
    });

    test('an alias address redeems: the ticket binds, not the address', async () => {
      const erin = await fabrikamMember('erin');
      const alias = `erin.alias${++counter}@erin-mail${process.pid}.example`;
      const { guestId, url } = await invite(alias);
      const { client, review } = await toReview(url, erin.upn);
      assert.match(text(review.html), new RegExp(`Signed in as ${erin.upn}`));
      const accepted = await submit(client, base, review, { decision: 'accept' });
      assert.equal(accepted.location, REDIRECT);
      const state = await guest(guestId);
      assert.equal(state.externalUserState, 'Accepted');
      assert.equal(state.mail, alias, 'the invited address stays the guest mail');
      assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(h.tenant.id), guestId), `${base}/${fabrikam.id}/v2.0`);
    });

    test('a domain blocked after the invitation makes the link fail at redemption', async () => {
      const northwind = await createTenant(h, 'Northwind');
      const nina = await createMember(h, northwind, `nina${++counter}`, 'Nina', PASSWORD);
      const { guestId, url } = await invite(nina.upn);
      const block = await graph('PATCH', '/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: [northwind.domain] } });
      assert.ok(block.status === 200 || block.status === 204, block.text);
      try {
        const client = newClient();
        let page = await go(client, base, url);
        if (page.status === 200) page = await signInAtHome(client, base, await submit(client, base, page, { email: nina.upn }), nina.upn, PASSWORD);
        if (page.status === 200 && heading(page.html) === 'Review permissions') page = await submit(client, base, page, { decision: 'accept' });
        assert.equal(page.status, 400, page.html.slice(0, 400));
        assert.match(text(page.html), /doesn't accept guests from your e-mail domain/);
        assert.equal((await guest(guestId)).externalUserState, 'PendingAcceptance');
      } finally {
        await graph('PATCH', '/beta/policies/b2bManagementPolicy', { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: [] } });
      }
    });

    test('direct link: a pending guest opens an app, signs in at home, sees Review permissions once, and the app continues', async () => {
      const frank = await fabrikamMember('frank');
      const { guestId } = await invite(frank.upn);
      const client = newClient();
      const { url: authorize, verifier } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const signIn = await go(client, base, authorize);
      const review = await signInAtHome(client, base, await submit(client, base, signIn, { username: frank.upn }), frank.upn, PASSWORD);
      assert.equal(review.status, 200, review.html.slice(0, 500));
      assert.equal(heading(review.html), 'Review permissions');
      assert.match(new URL(review.url).pathname, new RegExp(`^/${h.tenant.id}/interaction/[^/]+/review$`));
      const done = await submit(client, base, review, { decision: 'accept' });
      assert.ok(done.location?.startsWith(APP_REDIRECT), done.location ?? done.html.slice(0, 500));
      const tokens = await redeemCode(base, h.tenant.id, appId, APP_REDIRECT, done.location!, verifier);
      assert.equal(tokens.id.oid, guestId);
      assert.equal(tokens.id.idp, `${base}/${fabrikam.id}/v2.0`);
      assert.equal((await guest(guestId)).externalUserState, 'Accepted');

      // the next sign-in goes straight through (Review permissions is shown once)
      const next = newClient();
      const second = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const again = await signInAtHome(next, base, await submit(next, base, await go(next, base, second.url), { username: frank.upn }), frank.upn, PASSWORD);
      assert.ok(again.location?.startsWith(APP_REDIRECT), again.html.slice(0, 500));
    });

    test('Cancel during direct-link redemption returns access_denied to the app', async () => {
      const gina = await fabrikamMember('gina');
      const { guestId } = await invite(gina.upn);
      const client = newClient();
      const { url: authorize } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const review = await signInAtHome(client, base, await submit(client, base, await go(client, base, authorize), { username: gina.upn }), gina.upn, PASSWORD);
      const cancelled = await submit(client, base, review, { decision: 'cancel' });
      assert.equal(new URL(cancelled.location!).searchParams.get('error'), 'access_denied');
      assert.equal((await guest(guestId)).externalUserState, 'PendingAcceptance');
    });

    test("an account nobody invited gets \"doesn't exist in this organization\" and a way back", async () => {
      const henk = await fabrikamMember('henk');
      const client = newClient();
      const { url: authorize } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const page = await signInAtHome(client, base, await submit(client, base, await go(client, base, authorize), { username: henk.upn }), henk.upn, PASSWORD);
      assert.equal(page.status, 403);
      assert.match(text(page.html), new RegExp(`Your account ${henk.upn} doesn't exist in Contoso`));
      const back = /<a class="button button--primary" href="([^"]+)"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(back?.endsWith('/username'), back);
      const again = await go(client, base, new URL(back!, base).toString());
      assert.equal(heading(again.html), 'Sign in');
    });

    test('no organization: the invitee creates a personal account with a code mailed to them', async () => {
      const address = `pat${++counter}@nowhere${process.pid}.example`;
      const { guestId, url } = await invite(address);
      const client = newClient();
      const landing = await go(client, base, url);
      // e-mail one-time passcode is on by default (allowExternalIdToUseEmailOtp 'default'); a personal account is the alternative
      const offer = await submit(client, base, landing, { email: address });
      assert.equal(new URL(offer.url).pathname, '/federation/email');
      const link = /<a href="([^"]*\/federation\/personal[^"]*)"/.exec(offer.html)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(link, 'the page offers a personal account instead');
      const create = await go(client, base, new URL(link, base).toString());
      assert.match(create.url, new RegExp(`/${PERSONAL_TENANT_ID}/interaction/`), 'the personal-accounts tenant');
      assert.equal(heading(create.html), 'Create account');
      assert.match(text(create.html), new RegExp(`There's no account for ${address} yet`));

      const codePage = await submit(client, base, create, {});
      assert.equal(heading(codePage.html), 'Enter code');
      const code = await codeFromOutbox(h, PERSONAL_TENANT_ID, address);
      const wrong = await submit(client, base, codePage, { code: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      assert.match(text(wrong.html), /That code isn't right/);
      const details = await submit(client, base, wrong, { code });
      assert.equal(heading(details.html), 'Create your account');
      const weak = await submit(client, base, details, { displayName: 'Pat Example', newPassword: 'short', confirmPassword: 'short' });
      assert.equal(weak.status, 400);
      const review = await submit(client, base, weak, { displayName: 'Pat Example', newPassword: 'Personal-Passw0rd!', confirmPassword: 'Personal-Passw0rd!' });
      assert.equal(heading(review.html), 'Review permissions', review.html.slice(0, 600));
      const accepted = await submit(client, base, review, { decision: 'accept' });
      assert.equal(accepted.location, REDIRECT);
      assert.equal((await guest(guestId)).externalUserState, 'Accepted');
      const account = await h.container.users.find(tenantScope(PERSONAL_TENANT_ID), address);
      assert.equal(account?.creationType, 'EmailVerified');
      assert.equal(account?.mail, address);
      assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(h.tenant.id), guestId), `${base}/${PERSONAL_TENANT_ID}/v2.0`);

      // the personal tenant is no organization anyone discovers by domain
      assert.equal(await h.container.tenants.resolve('personal-accounts.invalid'), null);

      // later, straight to the app: the personal account's password (e-mail passcode is offered only to those without one)
      const app = newClient();
      const { url: authorize, verifier } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const atHome = await submit(app, base, await go(app, base, authorize), { username: address });
      assert.match(atHome.url, new RegExp(`/${PERSONAL_TENANT_ID}/interaction/`));
      assert.match(atHome.html, /type="password"/);
      const done = await signInAtHome(app, base, atHome, address, 'Personal-Passw0rd!');
      assert.ok(done.location?.startsWith(APP_REDIRECT), done.html.slice(0, 400));
      const tokens = await redeemCode(base, h.tenant.id, appId, APP_REDIRECT, done.location!, verifier);
      assert.equal(tokens.id.oid, guestId);
      assert.equal(tokens.id.idp, `${base}/${PERSONAL_TENANT_ID}/v2.0`);
    });

    test('with e-mail one-time passcode disabled, the personal account comes at once; its code dies after three wrong tries', async () => {
      const email = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email';
      const type = '#microsoft.graph.emailAuthenticationMethodConfiguration';
      assert.ok([200, 204].includes((await graph('PATCH', email, { '@odata.type': type, allowExternalIdToUseEmailOtp: 'disabled' })).status));
      try {
        const address = `quinn${++counter}@nowhere${process.pid}.example`;
        const { url } = await invite(address);
        const client = newClient();
        const create = await submit(client, base, await go(client, base, url), { email: address });
        assert.equal(heading(create.html), 'Create account');
        let page = await submit(client, base, create, {});
        const wrong = (await codeFromOutbox(h, PERSONAL_TENANT_ID, address)) === '000000' ? '111111' : '000000';
        for (let i = 0; i < 3; i++) page = await submit(client, base, page, { code: wrong });
        assert.equal(page.status, 400);
        assert.match(text(page.html), /entered wrongly too many times/);
        const fresh = await submit(client, base, page, {});
        assert.equal(heading(fresh.html), 'Enter code');
      } finally {
        await graph('PATCH', email, { '@odata.type': type, allowExternalIdToUseEmailOtp: 'default' });
      }
    });

    test('e-mail one-time passcode, when the organization allows it for guests', async () => {
      const enabled = await graph('PATCH', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email', { '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration', allowExternalIdToUseEmailOtp: 'enabled' });
      assert.ok(enabled.status === 200 || enabled.status === 204, enabled.text);
      try {
        const address = `otto${++counter}@otp${process.pid}.example`;
        const { guestId, url } = await invite(address);
        const client = newClient();
        const offer = await submit(client, base, await go(client, base, url), { email: address });
        assert.equal(new URL(offer.url).pathname, '/federation/email');
        assert.match(text(offer.html), new RegExp(`Contoso can send a one-time code to ${address}`));
        const codePage = await submit(client, base, offer, {});
        assert.equal(heading(codePage.html), 'Enter code');
        const review = await submit(client, base, codePage, { code: await codeFromOutbox(h, h.tenant.id, address) });
        assert.equal(heading(review.html), 'Review permissions', review.html.slice(0, 500));
        const accepted = await submit(client, base, review, { decision: 'accept' });
        assert.equal(accepted.location, REDIRECT);
        const state = await guest(guestId);
        assert.equal(state.externalUserState, 'Accepted');
        assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(h.tenant.id), guestId), 'mail');

        // later, straight to the app: a new code to the same address
        const app = newClient();
        const { url: authorize, verifier } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
        const offerAgain = await submit(app, base, await go(app, base, authorize), { username: address });
        assert.equal(new URL(offerAgain.url).pathname, '/federation/email');
        const before = (await h.container.mail.outbox(tenantScope(h.tenant.id), 500)).filter((m) => m.to.includes(address)).length;
        const codeAgain = await submit(app, base, offerAgain, {});
        const mails = (await h.container.mail.outbox(tenantScope(h.tenant.id), 500)).filter((m) => m.to.includes(address));
        assert.equal(mails.length, before + 1);
        const done = await submit(app, base, codeAgain, { code: /^(\d{6})$/m.exec(mails[0]!.text)![1]! });
        assert.ok(done.location?.startsWith(APP_REDIRECT), done.html.slice(0, 400));
        const tokens = await redeemCode(base, h.tenant.id, appId, APP_REDIRECT, done.location!, verifier);
        assert.equal(tokens.id.oid, guestId);
        assert.equal(tokens.id.idp, 'mail');

        // a stranger's address typed at the sign-in page gets no passcode mail (it is nobody's guest here)
        const stranger = `stranger${++counter}@otp${process.pid}.example`;
        const other = newClient();
        const page = await submit(other, base, await go(other, base, (await authorization(base, h.tenant.id, appId, APP_REDIRECT)).url), { username: stranger });
        assert.match(page.url, new RegExp(`/${PERSONAL_TENANT_ID}/interaction/`), 'no passcode offer: the personal-accounts sign-in');
        assert.equal((await h.container.mail.outbox(tenantScope(h.tenant.id), 500)).filter((m) => m.to.includes(stranger)).length, 0);
      } finally {
        await graph('PATCH', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email', { '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration', allowExternalIdToUseEmailOtp: 'default' });
      }
    });

    test("forged or foreign steps sign nobody in: callbacks without this browser's flow, state from another flow, handed-over identities, sign-up elsewhere", async () => {
      // a callback with no flow cookie in this browser (an attacker's code sent to a victim)
      const stranger = newClient();
      const orphan = await go(stranger, base, `${base}/federation/callback?code=abc&state=xyz&iss=${encodeURIComponent(`${base}/${fabrikam.id}/v2.0`)}`);
      assert.equal(orphan.status, 400);
      assert.match(text(orphan.html), /took too long, or was started in another browser/);

      // a real flow, answered with another state: refused, and the flow is over
      const kate = await fabrikamMember('kate');
      const { guestId, url } = await invite(kate.upn);
      const client = newClient();
      const home = await submit(client, base, await go(client, base, url), { email: kate.upn });
      assert.match(home.html, /type="password"/, 'the flow is at the home sign-in');
      const forged = await go(client, base, `${base}/federation/callback?code=forged&state=forged&iss=${encodeURIComponent(`${base}/${fabrikam.id}/v2.0`)}`);
      assert.equal(forged.status, 400);
      assert.equal(heading(forged.html), "We couldn't sign you in");
      assert.match(forged.html, /href="\/redeem\?/, 'with a way to start again');
      assert.equal((await guest(guestId)).externalUserState, 'PendingAcceptance');
      // the home's error answer (the person cancelled there) ends the same way
      const again = await submit(client, base, await go(client, base, url), { email: kate.upn });
      assert.equal(again.status, 200);
      const cancelled = await go(client, base, `${base}/federation/callback?error=access_denied&state=x`);
      assert.equal(cancelled.status, 400);

      // Review permissions of a redemption needs its sealed cookie; a made-up one is no cookie
      const noCookie = await go(newClient(), base, `${base}/redeem/review`);
      assert.equal(noCookie.status, 400);
      assert.match(text(noCookie.html), /took too long, or was started in another browser/);
      const tampered = new FormClient({ 'accept-language': 'en', cookie: 'tessera_redeem=v1.AAAA.BBBB.CCCC' });
      assert.equal((await go(tampered, base, `${base}/redeem/review`)).status, 400);

      // an interaction's `/federated` step without the identity handed to it: nothing happens
      const app = newClient();
      const signIn = await go(app, base, (await authorization(base, h.tenant.id, appId, APP_REDIRECT)).url);
      const interaction = new URL(signIn.url).pathname;
      const federated = await go(app, base, `${base}${interaction}/federated`);
      assert.equal(federated.status, 400);
      assert.match(text(federated.html), /took too long/);
      // the personal-account pages exist only in the personal-accounts tenant
      const signup = await go(app, base, `${base}${interaction}/signup/code`);
      assert.equal(signup.status, 404);
    });

    test('codes to one address are limited per hour', async () => {
      const address = `flood${++counter}@otp${process.pid}.example`;
      const { url } = await invite(address);
      const client = newClient();
      const offer = await submit(client, base, await go(client, base, url), { email: address });
      assert.equal(new URL(offer.url).pathname, '/federation/email');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await submit(client, base, offer, {}, '/federation/email/send')).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    });

    test('leaving an organization from My Account: refused until the organization allows it, then the guest is gone', async () => {
      const ivy = await fabrikamMember('ivy');
      const { guestId, url } = await invite(ivy.upn);
      const { client: redeemer, review } = await toReview(url, ivy.upn);
      assert.equal((await submit(redeemer, base, review, { decision: 'accept' })).location, REDIRECT);

      const client = newClient();
      const profile = await signInAtHome(client, base, await go(client, base, `${base}/myaccount`), ivy.upn, PASSWORD);
      assert.equal(heading(profile.html), 'My Account', profile.html.slice(0, 400));
      assert.match(profile.html, /href="\/myaccount\/organizations"/);
      const organizations = await go(client, base, `${base}/myaccount/organizations`);
      assert.equal(heading(organizations.html), 'Organizations');
      const shown = text(organizations.html);
      assert.ok(shown.includes('Fabrikam'), 'the home organization');
      assert.ok(shown.includes("You can't leave your home organization"));
      assert.match(organizations.html, new RegExp(`data-tenant-id="${h.tenant.id}"`), 'Contoso, where Ivy is a guest');

      const refused = await go(client, base, `${base}/myaccount/organizations/leave?tenant=${h.tenant.id}`);
      assert.equal(refused.status, 403);
      assert.match(text(refused.html), /doesn't let guests leave on their own/);
      assert.match(text(refused.html), /privacy@contoso\.example/);
      assert.equal((await guest(guestId)).externalUserState, 'Accepted');

      const allow = await graph('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: true });
      assert.ok(allow.status === 200 || allow.status === 204, allow.text);
      const confirm = await go(client, base, `${base}/myaccount/organizations/leave?tenant=${h.tenant.id}`);
      assert.equal(confirm.status, 200);
      assert.equal(heading(confirm.html), 'Leave Contoso?');
      // the confirmation needs this browser's CSRF token
      const forged = await go(newClient(), base, `${base}/myaccount/organizations/leave`, new URLSearchParams({ tenant: h.tenant.id }));
      assert.notEqual(forged.status, 200);
      const left = await submit(client, base, confirm, {});
      assert.equal(left.status, 200);
      assert.match(text(left.html), /You have left Contoso/);
      assert.doesNotMatch(left.html, new RegExp(`data-tenant-id="${h.tenant.id}"`));
      assert.equal((await graph('GET', `/users/${guestId}`)).status, 404, 'the guest object is deleted');
      // the home organization is not in the list of organizations one can leave
      const home = await go(client, base, `${base}/myaccount/organizations/leave?tenant=${fabrikam.id}`);
      assert.equal(home.status, 404);
      await graph('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: false });
    });
  });
}
