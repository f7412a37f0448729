import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import Provider from 'oidc-provider';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { freePort } from '../helpers/ports.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { authorization, createApp, createTenant, heading, newClient, nextHop, redeemCode, text } from './b2b-flow.ts';

/**
 * Partners' own identity providers (issue 15 item 3b): `/beta/identity/identityProviders` (shape,
 * validation of every property, authorization, the write-only secret sealed at rest, tenant
 * isolation), and guests of such a partner signing in there, a bare oidc-provider on loopback
 * standing in for the partner's Keycloak or Google Workspace: redemption by link, then a direct
 * sign-in whose tokens name the partner as `idp`; a provider vouching for an address outside its
 * domains, or saying the address is unverified, lets nobody in. SQLite and PostgreSQL.
 */
const REDIRECT = 'https://apps.contoso.example/welcome';
const APP_REDIRECT = 'https://apps.contoso.example/signin';
const PATH = '/beta/identity/identityProviders';
const SECRET = 'partner-client-secret-0123456789';

/** The partner's provider: any login name signs in (oidc-provider's development pages), as one of these accounts. */
async function startPartnerIdp(redirectUri: string, domain: string): Promise<{ issuer: string; close(): Promise<void> }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts: Record<string, Record<string, unknown>> = {
    kim: { sub: 'kim', email: `kim@${domain}`, email_verified: true, name: 'Kim Partner' },
    lee: { sub: 'lee', email: `lee@${domain}`, name: 'Lee Partner' },
    // the provider speaks for an address outside the domains it is configured for
    mallory: { sub: 'mallory', email: 'ceo@elsewhere.example', email_verified: true, name: 'Mallory' },
    unverified: { sub: 'unverified', email: `unverified@${domain}`, email_verified: false, name: 'Unverified' },
    nomail: { sub: 'nomail', name: 'No Mail' },
  };
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'tessera-guests', client_secret: SECRET, redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic' }],
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => accounts[id] ?? { sub: id } }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['partner-cookie-key-0123456789'] },
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Follows redirects across origins (the partner's pages, Tessera's) until a page or one of `stops`. */
async function walk(client: FormClient, url: string, body?: URLSearchParams, stops: string[] = [APP_REDIRECT, REDIRECT]): Promise<{ status: number; url: string; html: string; location?: string }> {
  let response = await client.request(url, body ? { body } : {});
  for (let hops = 0; nextHop(response, url); hops++) {
    assert.ok(hops < 20);
    await response.arrayBuffer();
    const next = nextHop(response, url)!;
    if (stops.some((stop) => next.startsWith(stop))) return { status: response.status, url, html: '', location: next };
    url = next;
    response = await client.request(url);
  }
  return { status: response.status, url, html: await response.text() };
}

/** Through the partner's login (any name) and consent pages, back to Tessera. */
async function partnerSignIn(client: FormClient, page: { status: number; url: string; html: string; location?: string }, login: string) {
  for (let step = 0; step < 3 && !page.location; step++) {
    if (/name="login"/.test(page.html)) {
      const form = parseForm(page.html, page.url);
      page = await walk(client, form.action, new URLSearchParams({ ...form.fields, login, password: 'any' }));
    } else if (/name="prompt" value="consent"/.test(page.html)) {
      const form = parseForm(page.html, page.url);
      page = await walk(client, form.action, new URLSearchParams(form.fields));
    } else break;
  }
  return page;
}

for (const dialect of testDialects) {
  describe(`partners' identity providers (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let admin: Graph;
    let partner: { issuer: string; close(): Promise<void> };
    let domain: string;
    let appId: string;

    before(async () => {
      h = await createHarness(dialect, { listen: true });
      base = h.container.config.baseUrl;
      domain = `partner${process.pid}.example`;
      partner = await startPartnerIdp(`${base}/federation/callback`, domain);
      admin = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['IdentityProvider.ReadWrite.All', 'Directory.ReadWrite.All']));
      appId = await createApp(h, h.tenant.id, APP_REDIRECT);
    });
    after(async () => {
      await partner?.close();
      await h?.close();
    });

    const valid = () => ({ '@odata.type': '#microsoft.graph.openIdConnectIdentityProvider', displayName: 'Partner Keycloak', issuer: partner.issuer, clientId: 'tessera-guests', clientSecret: SECRET, domains: [domain] });

    test('an administrator adds, reads, changes and removes a provider in Graph shape; the secret is write-only and sealed at rest', async () => {
      const created = await admin('POST', PATH, { ...valid(), domains: ['Other-Partner.example'], issuer: 'https://login.other-partner.example/realms/x' });
      assert.equal(created.status, 201, created.text);
      const { id } = created.body;
      assert.equal(created.headers.location, `${base}/beta/identity/identityProviders/${id}`);
      assert.deepEqual({ ...created.body, '@odata.context': undefined }, {
        '@odata.context': undefined,
        '@odata.type': '#microsoft.graph.openIdConnectIdentityProvider',
        id,
        displayName: 'Partner Keycloak',
        issuer: 'https://login.other-partner.example/realms/x',
        clientId: 'tessera-guests',
        clientSecret: null,
        scope: 'openid profile email',
        domains: ['other-partner.example'],
      });
      const stored = await sql<{ client_secret_sealed: string }>`select client_secret_sealed from identity_providers where id = ${id}`.execute(h.db.db);
      assert.ok(stored.rows[0] && !stored.rows[0].client_secret_sealed.includes(SECRET), 'the secret is sealed, not stored as sent');

      const list = await admin('GET', PATH);
      assert.equal(list.status, 200);
      assert.ok(list.body.value.some((p: { id: string; clientSecret: unknown }) => p.id === id && p.clientSecret === null));

      const patched = await admin('PATCH', `${PATH}/${id}`, { displayName: 'Renamed', clientSecret: 'a-new-secret-value', domains: ['other-partner.example', 'second.example'] });
      assert.equal(patched.status, 204, patched.text);
      const read = await admin('GET', `${PATH}/${id}`);
      assert.equal(read.body.displayName, 'Renamed');
      assert.deepEqual(read.body.domains, ['other-partner.example', 'second.example']);
      assert.equal(read.body.clientSecret, null);

      assert.equal((await admin('DELETE', `${PATH}/${id}`)).status, 204);
      assert.equal((await admin('GET', `${PATH}/${id}`)).status, 404);
      assert.equal((await admin('DELETE', `${PATH}/${id}`)).status, 404);
    });

    test('every property is validated, and a refused body changes nothing', async () => {
      const before = (await admin('GET', PATH)).body.value.length;
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['no issuer', { ...valid(), issuer: undefined }, /'issuer' is required/],
        ['no client id', { ...valid(), clientId: undefined }, /'clientId' is required/],
        ['no secret', { ...valid(), clientSecret: undefined }, /'clientSecret' is required/],
        ['no domains', { ...valid(), domains: undefined }, /'domains' is required/],
        ['empty domains', { ...valid(), domains: [] }, /at least one domain/],
        ['plain http elsewhere', { ...valid(), issuer: 'http://idp.partner.example' }, /https/],
        ['issuer with a query', { ...valid(), issuer: 'https://idp.partner.example/?x=1' }, /no query/],
        ['not a URL', { ...valid(), issuer: 'idp.partner.example' }, /absolute https URL/],
        ['scope without openid', { ...valid(), scope: 'profile email' }, /must include 'openid'/],
        ['bad domain', { ...valid(), domains: ['not a domain'] }, /domain name/],
        ['too many domains', { ...valid(), domains: Array.from({ length: 51 }, (_, i) => `d${i}.example`) }, /limit is 50/],
        ['long name', { ...valid(), displayName: 'x'.repeat(257) }, /limit of 256/],
        ['unknown property', { ...valid(), metadataUrl: 'https://x.example' }, /does not exist/],
        ['another type', { ...valid(), '@odata.type': '#microsoft.graph.socialIdentityProvider' }, /not supported/],
        ['the organization’s own domain', { ...valid(), domains: [h.tenant.domain] }, /verified domain of this organization/],
      ];
      for (const [name, body, message] of cases) {
        const response = await admin('POST', PATH, JSON.parse(JSON.stringify(body)));
        assert.equal(response.status, 400, `${name}: ${response.text}`);
        assert.match(response.body.error.message, message, name);
      }
      const proto = await admin('POST', PATH, `{"__proto__":{"x":1},"displayName":"x"}`);
      assert.equal(proto.status, 400);
      assert.equal((await admin('GET', PATH)).body.value.length, before);
    });

    test('one provider per domain in an organization; other organizations do not see it', async () => {
      const first = await admin('POST', PATH, { ...valid(), domains: ['shared-domain.example'] });
      assert.equal(first.status, 201);
      const second = await admin('POST', PATH, { ...valid(), domains: ['shared-domain.example'] });
      assert.equal(second.status, 400);
      assert.equal(second.body.error.code, 'Request_MultipleObjectsWithSameKeyValue');
      const other = await createTenant(h, 'Woodgrove');
      const otherAdmin = graphCaller(h.app, h.tokens.user(other.id, (await h.container.users.find(tenantScope(other.id), `admin@${other.domain}`))!.id, ['IdentityProvider.ReadWrite.All']));
      assert.equal((await otherAdmin('GET', `${PATH}/${first.body.id}`)).status, 404);
      assert.equal((await otherAdmin('PATCH', `${PATH}/${first.body.id}`, { displayName: 'x' })).status, 404);
      assert.equal((await otherAdmin('DELETE', `${PATH}/${first.body.id}`)).status, 404);
      // the same domain in another organization is that organization's business
      assert.equal((await otherAdmin('POST', PATH, { ...valid(), domains: ['shared-domain.example'] })).status, 201);
      assert.equal((await admin('DELETE', `${PATH}/${first.body.id}`)).status, 204);
    });

    test('who may: Global Administrators with the scope, apps with IdentityProvider.ReadWrite.All; readers only read', async () => {
      const member = await h.container.users.createMember(tenantScope(h.tenant.id), { kind: 'system', tenantId: h.tenant.id }, {
        userPrincipalName: `plain${process.pid}@${h.tenant.domain}`,
        displayName: 'Plain',
        mailNickname: 'plain',
        accountEnabled: true,
        password: 'Str0ng-Passw0rd!',
      });
      const plain = graphCaller(h.app, h.tokens.user(h.tenant.id, member.id, ['IdentityProvider.ReadWrite.All', 'Directory.ReadWrite.All']));
      assert.equal((await plain('GET', PATH)).status, 403, 'a member without a role');
      assert.equal((await plain('POST', PATH, valid())).status, 403);
      const scopeless = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']));
      assert.equal((await scopeless('GET', PATH)).status, 403, 'an administrator whose token lacks the scope');
      const reader = graphCaller(h.app, h.tokens.app(h.tenant.id, ['IdentityProvider.Read.All']));
      assert.equal((await reader('GET', PATH)).status, 200);
      assert.equal((await reader('POST', PATH, valid())).status, 403);
      const writer = graphCaller(h.app, h.tokens.app(h.tenant.id, ['IdentityProvider.ReadWrite.All']));
      const created = await writer('POST', PATH, { ...valid(), domains: ['app-made.example'] });
      assert.equal(created.status, 201, created.text);
      assert.equal((await writer('DELETE', `${PATH}/${created.body.id}`)).status, 204);
      assert.equal((await graphCaller(h.app, '')('GET', PATH)).status, 401);
    });

    test("a partner's guest redeems through the partner's provider and signs in to an app with idp naming it", async () => {
      const configured = await admin('POST', PATH, valid());
      assert.equal(configured.status, 201, configured.text);
      const invited = await admin('POST', '/v1.0/invitations', { invitedUserEmailAddress: `kim@${domain}`, inviteRedirectUrl: REDIRECT });
      assert.equal(invited.status, 201, invited.text);
      const guestId = invited.body.invitedUser.id;

      const client = newClient();
      const landing = await walk(client, invited.body.inviteRedeemUrl);
      const form = parseForm(landing.html, landing.url);
      const atPartner = await walk(client, form.action, new URLSearchParams({ ...form.fields, email: `kim@${domain}` }));
      assert.ok(atPartner.url.startsWith(partner.issuer), `the partner's sign-in: ${atPartner.url}`);
      assert.equal(new URL(atPartner.url).origin, partner.issuer);
      const review = await partnerSignIn(client, atPartner, 'kim');
      assert.equal(heading(review.html), 'Review permissions', review.html.slice(0, 800));
      assert.match(text(review.html), new RegExp(`Signed in as kim@${domain}`));
      const reviewForm = parseForm(review.html, review.url);
      const accepted = await walk(client, reviewForm.action, new URLSearchParams({ ...reviewForm.fields, decision: 'accept' }));
      assert.equal(accepted.location, REDIRECT);
      const guest = await admin('GET', `/v1.0/users/${guestId}?$select=externalUserState,identities`);
      assert.equal(guest.body.externalUserState, 'Accepted');
      assert.ok(guest.body.identities.some((i: { issuer: string; issuerAssignedId: string }) => i.issuer === new URL(partner.issuer).host && i.issuerAssignedId === 'kim'), JSON.stringify(guest.body.identities));

      // straight to the app: the name goes to the partner, the tokens come from Contoso
      const app = newClient();
      const { url, verifier } = await authorization(base, h.tenant.id, appId, APP_REDIRECT);
      const signIn = await walk(app, url);
      const usernameForm = parseForm(signIn.html, signIn.url);
      const done = await partnerSignIn(app, await walk(app, usernameForm.action, new URLSearchParams({ ...usernameForm.fields, username: `kim@${domain}` })), 'kim');
      assert.ok(done.location?.startsWith(APP_REDIRECT), done.html.slice(0, 500));
      const tokens = await redeemCode(base, h.tenant.id, appId, APP_REDIRECT, done.location!, verifier);
      assert.equal(tokens.id.tid, h.tenant.id);
      assert.equal(tokens.id.oid, guestId);
      assert.equal(tokens.id.idp, partner.issuer);
      assert.equal(tokens.access.idp, partner.issuer);
    });

    test('a missing email_verified is accepted; a provider speaking for another domain, an unverified or a missing address lets nobody in', async () => {
      // lee's provider sends no email_verified at all (as Entra does): accepted
      const lee = await admin('POST', '/v1.0/invitations', { invitedUserEmailAddress: `lee@${domain}`, inviteRedirectUrl: REDIRECT });
      const leeClient = newClient();
      const leeLanding = await walk(leeClient, lee.body.inviteRedeemUrl);
      const leeForm = parseForm(leeLanding.html, leeLanding.url);
      const leeReview = await partnerSignIn(leeClient, await walk(leeClient, leeForm.action, new URLSearchParams({ ...leeForm.fields, email: `lee@${domain}` })), 'lee');
      assert.equal(heading(leeReview.html), 'Review permissions');

      for (const [login, message] of [
        ['mallory', /outside the domains it is trusted for/],
        ['unverified', /has not been verified/],
        ['nomail', /did not tell us your e-mail address/],
      ] as const) {
        const invited = await admin('POST', '/v1.0/invitations', { invitedUserEmailAddress: `${login}-invitee@${domain}`, inviteRedirectUrl: REDIRECT });
        assert.equal(invited.status, 201, invited.text);
        const client = newClient();
        const landing = await walk(client, invited.body.inviteRedeemUrl);
        const form = parseForm(landing.html, landing.url);
        const page = await partnerSignIn(client, await walk(client, form.action, new URLSearchParams({ ...form.fields, email: `${login}-invitee@${domain}` })), login);
        assert.equal(page.status, 400, `${login}: ${page.html.slice(0, 300)}`);
        assert.equal(heading(page.html), "We couldn't sign you in");
        assert.match(text(page.html), message, login);
        assert.equal((await admin('GET', `/v1.0/users/${invited.body.invitedUser.id}?$select=externalUserState`)).body.externalUserState, 'PendingAcceptance');
      }
    });
  });
}
