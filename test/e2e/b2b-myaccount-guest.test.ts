import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MyAccountRelyingParty, SignInError } from '../../src/http/myaccount/relying-party.ts';
import { PERSONAL_TENANT_ID } from '../../src/modules/federation/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import type { FormClient } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { codeFromOutbox, createMember, createTenant, go, heading, newClient, signInAtHome, submit, text, type Visit } from './b2b-flow.ts';

/**
 * My Account for guests who have no organization of their own (issue 15 item 7; Entra's
 * `myaccount.microsoft.com?tenantId=`): `/myaccount?tenantId={tenant id or verified domain}` signs
 * in at that tenant, where a guest goes home (a personal account, or an e-mail one-time passcode)
 * and comes back as the guest; My Account then shows the organizations of that home identity and
 * lets them leave one (the guest object is deleted, and with it this session), or shows the
 * organization's privacy contact when it does not allow leaving. A member using `?tenantId=` of
 * their own tenant gets the member view; a member of another tenant follows the Organizations
 * page's `/myaccount?tenantId=` link into the organization they are a guest of. Real pages, a
 * cookie-jar client, a listening server, SQLite and PostgreSQL.
 */
const REDIRECT = 'https://apps.contoso.example/welcome';
const PERSONAL_PASSWORD = 'Personal-Passw0rd!';
const MEMBER_PASSWORD = 'Member-Passw0rd!';
const PRIVACY_CONTACT = 'privacy@contoso.example';

for (const dialect of testDialects) {
  describe(`My Account for guests: /myaccount?tenantId= (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let graph: Graph;
    let contoso: string;
    let counter = 0;

    before(async () => {
      h = await createHarness(dialect, { listen: true });
      base = h.container.config.baseUrl;
      contoso = h.tenant.id;
      graph = graphCaller(h.app, h.tokens.user(contoso, h.tenant.adminId, ['Directory.ReadWrite.All', 'User.Invite.All', 'Policy.ReadWrite.Authorization', 'Policy.Read.All']));
      const privacy = await graph('PATCH', `/organization/${contoso}`, { privacyProfile: { statementUrl: 'https://contoso.example/privacy', contactEmail: PRIVACY_CONTACT } });
      assert.equal(privacy.status, 204, privacy.text);
    });
    after(() => h?.close());

    async function allowLeaving(allow: boolean): Promise<void> {
      const response = await graph('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: allow });
      assert.ok(response.status === 200 || response.status === 204, response.text);
    }

    async function invite(email: string): Promise<{ guestId: string; url: string }> {
      const response = await graph('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, sendInvitationMessage: false });
      assert.equal(response.status, 201, response.text);
      return { guestId: response.body.invitedUser.id, url: response.body.inviteRedeemUrl };
    }

    const guestStatus = async (guestId: string) => (await graph('GET', `/users/${guestId}?$select=id,externalUserState`)).status;

    /** An invitee with no organization redeems by creating a personal account (code by mail, then a password). */
    async function personalGuest(): Promise<{ address: string; guestId: string }> {
      const address = `pia${++counter}@nowhere${process.pid}.example`;
      const { guestId, url } = await invite(address);
      const client = newClient();
      const offer = await submit(client, base, await go(client, base, url), { email: address });
      const link = /<a href="([^"]*\/federation\/personal[^"]*)"/.exec(offer.html)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(link, 'a personal account is offered');
      const create = await go(client, base, new URL(link, base).toString());
      assert.equal(heading(create.html), 'Create account');
      const codePage = await submit(client, base, create, {});
      const details = await submit(client, base, codePage, { code: await codeFromOutbox(h, PERSONAL_TENANT_ID, address) });
      const review = await submit(client, base, details, { displayName: 'Pia Personal', newPassword: PERSONAL_PASSWORD, confirmPassword: PERSONAL_PASSWORD });
      assert.equal(heading(review.html), 'Review permissions', review.html.slice(0, 500));
      assert.equal((await submit(client, base, review, { decision: 'accept' })).location, REDIRECT);
      assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(contoso), guestId), `${base}/${PERSONAL_TENANT_ID}/v2.0`);
      return { address, guestId };
    }

    /** An invitee redeems with an e-mail one-time passcode (on by default for guests). */
    async function emailOtpGuest(): Promise<{ address: string; guestId: string }> {
      const address = `otto${++counter}@otp${process.pid}.example`;
      const { guestId, url } = await invite(address);
      const client = newClient();
      const offer = await submit(client, base, await go(client, base, url), { email: address });
      assert.equal(new URL(offer.url).pathname, '/federation/email');
      const codePage = await submit(client, base, offer, {});
      const review = await submit(client, base, codePage, { code: await codeFromOutbox(h, contoso, address) });
      assert.equal(heading(review.html), 'Review permissions', review.html.slice(0, 500));
      assert.equal((await submit(client, base, review, { decision: 'accept' })).location, REDIRECT);
      assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(contoso), guestId), 'mail');
      return { address, guestId };
    }

    /** `/myaccount?tenantId=` up to the organization's own sign-in page. */
    async function myAccountAt(client: FormClient, tenant: string): Promise<Visit> {
      const page = await go(client, base, `${base}/myaccount?tenantId=${encodeURIComponent(tenant)}`);
      assert.equal(page.status, 200, page.html.slice(0, 400));
      assert.match(new URL(page.url).pathname, new RegExp(`^/${contoso}/interaction/`), `signs in at the organization itself, not through organizations: ${page.url}`);
      assert.equal(heading(page.html), 'Sign in');
      return page;
    }

    /** The sign-in at the organization with a one-time passcode sent to the guest's address, back to My Account. */
    async function passcodeSignIn(client: FormClient, page: Visit, address: string): Promise<Visit> {
      const offer = await submit(client, base, page, { username: address });
      assert.equal(new URL(offer.url).pathname, '/federation/email', 'a guest of the organization is offered a passcode');
      const codePage = await submit(client, base, offer, {});
      assert.equal(heading(codePage.html), 'Enter code');
      return submit(client, base, codePage, { code: await codeFromOutbox(h, contoso, address) });
    }

    test('a personal-account guest signs in to /myaccount?tenantId=A, sees A, and leaves it: the guest is deleted and the session is gone', async () => {
      const { address, guestId } = await personalGuest();
      await allowLeaving(true);
      try {
        const client = newClient();
        const signIn = await myAccountAt(client, contoso);
        const atHome = await submit(client, base, signIn, { username: address });
        assert.match(atHome.url, new RegExp(`/${PERSONAL_TENANT_ID}/interaction/`), 'home: the personal-accounts tenant');
        const profile = await signInAtHome(client, base, atHome, address, PERSONAL_PASSWORD);
        assert.equal(profile.status, 200, profile.html.slice(0, 600));
        assert.equal(new URL(profile.url).pathname, '/myaccount');
        assert.equal(new URL(profile.url).searchParams.get('tenantId'), contoso);
        assert.equal(heading(profile.html), 'My Account');
        assert.match(text(profile.html), /Your guest profile in Contoso/);
        assert.ok(text(profile.html).includes(address), "the guest's address");

        const organizations = await go(client, base, `${base}/myaccount/organizations`);
        assert.equal(heading(organizations.html), 'Organizations');
        const shown = text(organizations.html);
        assert.ok(shown.includes(`Personal account ${address}`), shown);
        assert.doesNotMatch(shown, /You can't leave your home organization/, 'a personal account is no organization');
        assert.match(organizations.html, new RegExp(`<li[^>]*data-tenant-id="${contoso}"`), 'Contoso, where the account is a guest');
        assert.match(organizations.html, new RegExp(`href="/myaccount\\?tenantId=${contoso}"`), 'each organization opens My Account there');
        assert.match(shown, /Contoso \([^)]+\) · signed in here/);

        const confirm = await go(client, base, `${base}/myaccount/organizations/leave?tenant=${contoso}`);
        assert.equal(confirm.status, 200);
        assert.equal(heading(confirm.html), 'Leave Contoso?');
        // the confirmation needs this browser's CSRF token (and session)
        const forged = await go(newClient(), base, `${base}/myaccount/organizations/leave`, new URLSearchParams({ tenant: contoso }));
        assert.notEqual(forged.status, 200);
        assert.equal(await guestStatus(guestId), 200);

        const left = await submit(client, base, confirm, {});
        assert.equal(left.status, 200, left.html.slice(0, 400));
        assert.match(text(left.html), /You have left Contoso/);
        assert.match(text(left.html), /signed out of it/);
        assert.equal(await guestStatus(guestId), 404, 'the guest object is deleted');
        assert.deepEqual(await h.container.invitations.organizationsOf({ issuer: `${base}/${PERSONAL_TENANT_ID}/v2.0`, subject: (await h.container.users.find(tenantScope(PERSONAL_TENANT_ID), address))!.id }), []);

        // the session is gone: My Account asks to sign in again, and Contoso no longer knows the account
        const again = await go(client, base, `${base}/myaccount/organizations`);
        assert.equal(heading(again.html), 'Sign in', 'no session: the sign-in page');
        const atContoso = await myAccountAt(client, contoso);
        const refused = await signInAtHome(client, base, await submit(client, base, atContoso, { username: address }), address, PERSONAL_PASSWORD);
        assert.equal(refused.status, 403, refused.html.slice(0, 400));
        assert.match(text(refused.html), new RegExp(`Your account ${address} doesn't exist in Contoso`));
      } finally {
        await allowLeaving(false);
      }
    });

    test('an e-mail one-time passcode guest signs in to /myaccount?tenantId=A with a code and leaves A', async () => {
      const { address, guestId } = await emailOtpGuest();
      await allowLeaving(true);
      try {
        const client = newClient();
        const profile = await passcodeSignIn(client, await myAccountAt(client, contoso), address);
        assert.equal(profile.status, 200, profile.html.slice(0, 600));
        assert.equal(heading(profile.html), 'My Account');
        assert.match(text(profile.html), /Your guest profile in Contoso/);

        const organizations = await go(client, base, `${base}/myaccount/organizations`);
        assert.ok(text(organizations.html).includes(`You sign in with one-time passcodes sent to ${address}.`));
        assert.match(organizations.html, new RegExp(`data-tenant-id="${contoso}"`));

        const left = await submit(client, base, await go(client, base, `${base}/myaccount/organizations/leave?tenant=${contoso}`), {});
        assert.equal(left.status, 200);
        assert.match(text(left.html), /You have left Contoso/);
        assert.equal(await guestStatus(guestId), 404);
        assert.equal(heading((await go(client, base, `${base}/myaccount`)).html), 'Sign in', 'the session ended with the guest');
      } finally {
        await allowLeaving(false);
      }
    });

    test("leaving is refused while A doesn't allow it: the page shows A's privacy contact, and the guest stays", async () => {
      const { address, guestId } = await emailOtpGuest();
      const client = newClient();
      await passcodeSignIn(client, await myAccountAt(client, contoso), address);

      const page = await go(client, base, `${base}/myaccount/organizations/leave?tenant=${contoso}`);
      assert.equal(page.status, 403);
      assert.match(text(page.html), /Contoso doesn't let guests leave on their own/);
      assert.match(text(page.html), new RegExp(`Privacy contact: ${PRIVACY_CONTACT}`));
      assert.match(page.html, /href="https:\/\/contoso\.example\/privacy"/);
      assert.doesNotMatch(page.html, /<form[^>]*organizations\/leave/, 'no leave form');

      // posting the leave anyway (with this browser's CSRF token) is refused the same way
      const csrf = /name="csrf_token" value="([^"]+)"/.exec((await go(client, base, `${base}/myaccount`)).html)?.[1];
      assert.ok(csrf);
      const posted = await go(client, base, `${base}/myaccount/organizations/leave`, new URLSearchParams({ csrf_token: csrf, tenant: contoso }));
      assert.equal(posted.status, 403);
      assert.match(text(posted.html), new RegExp(`Privacy contact: ${PRIVACY_CONTACT}`));
      assert.equal(await guestStatus(guestId), 200, 'the guest stays');
      // an organization the guest is not in cannot be left either
      const other = await createTenant(h, 'Tailspin');
      const elsewhere = await go(client, base, `${base}/myaccount/organizations/leave`, new URLSearchParams({ csrf_token: csrf, tenant: other.id }));
      assert.equal(elsewhere.status, 404);
      // and the session still stands
      assert.equal(heading((await go(client, base, `${base}/myaccount/organizations`)).html), 'Organizations');
    });

    test("a member of A using /myaccount?tenantId=A (its domain works too) gets the member view, at A's own sign-in", async () => {
      const member = await createMember(h, { id: contoso, domain: h.tenant.domain }, `mila${++counter}`, 'Mila Member', MEMBER_PASSWORD);
      const client = newClient();
      const signIn = await go(client, base, `${base}/myaccount?tenantId=${h.tenant.domain.toUpperCase()}`);
      assert.match(new URL(signIn.url).pathname, new RegExp(`^/${contoso}/interaction/`));
      const profile = await signInAtHome(client, base, signIn, member.upn, MEMBER_PASSWORD);
      assert.equal(profile.status, 200, profile.html.slice(0, 400));
      assert.equal(heading(profile.html), 'My Account');
      assert.match(text(profile.html), /Your profile in Contoso\./);
      assert.doesNotMatch(text(profile.html), /guest/i);

      const organizations = await go(client, base, `${base}/myaccount/organizations`);
      assert.match(organizations.html, /data-testid="home-organization"/);
      assert.ok(text(organizations.html).includes("You can't leave your home organization"));
      assert.match(text(organizations.html), /You aren't a guest of any other organization/);
      // the home organization is not something to leave
      assert.equal((await go(client, base, `${base}/myaccount/organizations/leave?tenant=${contoso}`)).status, 404);
      // and plain /myaccount stays the member's
      assert.match(text((await go(client, base, `${base}/myaccount`)).html), /Your profile in Contoso\./);
    });

    test("a member of B follows the Organizations link /myaccount?tenantId=A into A as its guest (through B), and back home", async () => {
      const fabrikam = await createTenant(h, 'Fabrikam');
      const bea = await createMember(h, fabrikam, `bea${++counter}`, 'Bea Fabrikam', MEMBER_PASSWORD);
      const { guestId, url } = await invite(bea.upn);
      const redeemer = newClient();
      const review = await signInAtHome(redeemer, base, await submit(redeemer, base, await go(redeemer, base, url), { email: bea.upn }), bea.upn, MEMBER_PASSWORD);
      assert.equal((await submit(redeemer, base, review, { decision: 'accept' })).location, REDIRECT);

      const client = newClient();
      const home = await signInAtHome(client, base, await go(client, base, `${base}/myaccount`), bea.upn, MEMBER_PASSWORD);
      assert.match(text(home.html), /Your profile in Fabrikam\./);
      const organizations = await go(client, base, `${base}/myaccount/organizations`);
      const link = new RegExp(`href="(/myaccount\\?tenantId=${contoso})"`).exec(organizations.html)?.[1];
      assert.ok(link, 'Contoso is linked as /myaccount?tenantId=');

      const signIn = await go(client, base, `${base}${link}`);
      assert.match(new URL(signIn.url).pathname, new RegExp(`^/${contoso}/interaction/`));
      const asGuest = await signInAtHome(client, base, await submit(client, base, signIn, { username: bea.upn }), bea.upn, MEMBER_PASSWORD);
      assert.equal(asGuest.status, 200, asGuest.html.slice(0, 400));
      assert.match(text(asGuest.html), /Your guest profile in Contoso/);
      const guestView = await go(client, base, `${base}/myaccount/organizations`);
      assert.match(guestView.html, new RegExp(`href="/myaccount\\?tenantId=${fabrikam.id}"`), 'the home organization, Fabrikam, links back');
      assert.ok(text(guestView.html).includes('Fabrikam'));
      assert.match(text(guestView.html), /Contoso \([^)]+\) · signed in here/);
      // the same home identity: the organizations are the member's
      assert.deepEqual(
        (await h.container.invitations.organizationsOf({ issuer: `${base}/${fabrikam.id}/v2.0`, subject: bea.id })).map((m) => m.guestId),
        [guestId],
      );
    });

    test('bad tenantId values get a clear page and start no sign-in', async () => {
      for (const [name, value] of [
        ['unknown id', '00000000-0000-0000-0000-000000000000'],
        ['unknown domain', `nobody${process.pid}.example`],
        ['markup', '<script>alert(1)</script>'],
        ['too long', `${'a'.repeat(250)}.example`],
        ['empty', ''],
      ] as const) {
        const client = newClient();
        const response = await client.request(`${base}/myaccount?tenantId=${encodeURIComponent(value)}`);
        const html = await response.text();
        assert.equal(response.status, 404, name);
        assert.equal(heading(html), "We couldn't find that organization", name);
        assert.doesNotMatch(html, /<script>alert/, name);
        assert.equal(response.headers.getSetCookie().filter((c) => c.startsWith('tessera_myaccount_signin=')).length, 0, `${name}: no sign-in begun`);
      }
      // the parameter twice is no organization either
      const twice = await newClient().request(`${base}/myaccount?tenantId=${contoso}&tenantId=${contoso}`);
      assert.equal(twice.status, 404);
    });

    test('a sign-in sent to one organization accepts an answer from that organization only', async () => {
      const relyingParty = new MyAccountRelyingParty(() => base, () => 'unused');
      const { url, pending } = await relyingParty.startSignIn('/myaccount', 'en', contoso);
      assert.ok(url.startsWith(`${base}/${contoso}/oauth2/v2.0/authorize?`), url);
      assert.equal(pending.tenantId, contoso);
      const other = await createTenant(h, 'Woodgrove');
      const answer = new URLSearchParams({ code: 'x', state: pending.state, iss: `${base}/${other.id}/v2.0` });
      await assert.rejects(relyingParty.completeSignIn(answer, pending), (error) => error instanceof SignInError && /sent to/.test(error.message));
      // through the pages: the browser's own pending sign-in (sent to Contoso) does not take another tenant's answer
      const client = newClient();
      await client.request(`${base}/myaccount?tenantId=${contoso}`);
      const callback = await go(client, base, `${base}/myaccount/callback?code=x&state=x&iss=${encodeURIComponent(`${base}/${other.id}/v2.0`)}`);
      assert.equal(callback.status, 400);
      assert.equal(heading(callback.html), 'Something went wrong');
    });
  });
}
