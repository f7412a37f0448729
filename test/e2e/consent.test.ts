import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { GRAPH_APP_ID, graphPermission, grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { authorizeUrl, signInThroughPages } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Consent end to end (issue 16 items 3-5), with the real sign-in pages and openid-client: the
 * consent prompt for another tenant's multi-tenant app (publisher, permissions' texts, terms and
 * privacy links), Accept recording a Principal grant and the token's `scp` being exactly what was
 * accepted, Cancel, "Consent on behalf of your organization", the three user consent settings,
 * Admin-type scopes, unknown scopes, replayed and forged consent POSTs, a disabled service
 * principal; and `/{tenant}/v2.0/adminconsent` for an administrator, a non-administrator and bad input.
 */
const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Consent-Passw0rd!';
const ADMIN_PASSWORD = 'Admin-Passw0rd!';
const LOW = 'ManagePermissionGrantsForSelf.microsoft-user-default-low';
const LEGACY = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';

for (const dialect of testDialects) {
  describe(`consent prompt and admin consent (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let tid: string;
    let adminGraph: Graph;
    let homeGraph: Graph;
    let home: { id: string; name: string };
    let notes: { appId: string; secret: string };
    const users: Record<string, { id: string; upn: string }> = {};

    /** A member of tenant A who signs in with PASSWORD. */
    async function member(name: string) {
      const upn = `${name}@${h.tenant.domain}`;
      const user = await h.container.users.createMember(tenantScope(tid), { kind: 'system', tenantId: tid }, { userPrincipalName: upn, displayName: name, mailNickname: name, accountEnabled: true, password: PASSWORD });
      return { id: user.id, upn };
    }

    /** A multi-tenant app registered in the home tenant (B), with a client secret. */
    async function multiTenantApp(displayName: string, scopes: string[], roles: string[] = []): Promise<{ appId: string; secret: string }> {
      const created = await homeGraph('POST', '/applications', {
        displayName,
        signInAudience: 'AzureADMultipleOrgs',
        web: { redirectUris: [REDIRECT] },
        info: { termsOfServiceUrl: 'https://notes.example/terms', privacyStatementUrl: 'https://notes.example/privacy' },
        requiredResourceAccess: [
          {
            resourceAppId: GRAPH_APP_ID,
            resourceAccess: [...scopes.map((s) => ({ id: graphPermission(s)!.scopeId!, type: 'Scope' })), ...roles.map((r) => ({ id: graphPermission(r)!.roleId!, type: 'Role' }))],
          },
        ],
      });
      assert.equal(created.status, 201, created.text);
      const password = await homeGraph('POST', `/applications/${created.body.id}/addPassword`, { passwordCredential: { displayName: 'test' } });
      assert.equal(password.status, 200, password.text);
      return { appId: created.body.appId, secret: password.body.secretText };
    }

    const setting = async (value: string[]) => {
      const patch = await adminGraph('PATCH', '/policies/authorizationPolicy', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: value } });
      assert.equal(patch.status, 204, patch.text);
    };

    /** This tenant's grants for a client app (by appId): [consentType, principalId, scope] */
    async function grantsFor(appId: string): Promise<[string, string | null, string][]> {
      const sp = await h.container.applications.servicePrincipal(tenantScope(tid), appId);
      const graphSp = (await h.container.applications.servicePrincipal(tenantScope(tid), GRAPH_APP_ID))!;
      if (!sp) return [];
      const grants = await grantsRepo.permissionGrants(scoped(h.container.database, tenantScope(tid)), sp.id, graphSp.id);
      return grants.map((g) => [g.consentType, g.principalId, g.scope.split(' ').sort().join(' ')] as [string, string | null, string]).sort();
    }

    /** Signs in from an authorization URL; returns the consent (or other) page where the flow stops, or the redirect. */
    async function start(client: FormClient, url: string, upn: string, password = PASSWORD) {
      return signInThroughPages(client, url, upn, password, REDIRECT);
    }

    /** Submits the page's first form with `decision` (and the extra fields) and follows to the app (or a page). */
    async function decide(client: FormClient, page: { html: string; url: string }, decision: 'accept' | 'cancel', extra: Record<string, string> = {}) {
      const form = parseForm(page.html, page.url);
      return client.follow(form.action, { body: new URLSearchParams({ ...form.fields, decision, ...extra }) }, (u) => u.startsWith(REDIRECT));
    }

    async function config(app: { appId: string; secret: string }) {
      return oidc.discovery(new URL(`${base}/${tid}/v2.0`), app.appId, app.secret, undefined, { execute: [oidc.allowInsecureRequests] });
    }

    before(async () => {
      h = await createHarness(dialect, { listen: true });
      base = h.container.config.baseUrl;
      tid = h.tenant.id;
      adminGraph = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Directory.ReadWrite.All', 'Policy.ReadWrite.Authorization', 'Application.ReadWrite.All']));
      const domainB = `fabrikam${process.pid}${dialect}.example`;
      const b = await h.container.tenants.create({ displayName: 'Fabrikam Notes Inc', domain: domainB, admin: { email: `admin@${domainB}`, password: ADMIN_PASSWORD } });
      home = { id: b.tenant.id, name: 'Fabrikam Notes Inc' };
      homeGraph = graphCaller(h.app, h.tokens.user(b.tenant.id, b.adminUserId!, ['Directory.ReadWrite.All', 'Application.ReadWrite.All']));
      notes = await multiTenantApp('Fabrikam Notes', ['User.Read', 'User.ReadBasic.All']);
      for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) users[name] = await member(name);
    });
    after(() => h?.close());

    test("a user consents to another tenant's multi-tenant app; the token's scp is exactly what they accepted", async () => {
      const client = new FormClient();
      const verifier = oidc.randomPKCECodeVerifier();
      const cfg = await config(notes);
      const url = oidc.buildAuthorizationUrl(cfg, { redirect_uri: REDIRECT, scope: 'openid profile User.Read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'st' });
      const stop = await start(client, url.toString(), users.alice!.upn);
      assert.equal(stop.redirect, null, 'a consent prompt, not a redirect');
      const html = stop.page!.html;
      assert.match(html, /Permissions requested/);
      assert.match(html, /Fabrikam Notes/);
      assert.match(html, /Fabrikam Notes Inc/, "the publisher is the app's home tenant");
      assert.match(html, /data-testid="publisher-unverified"/);
      assert.match(html, /Sign you in and read your profile/, "User.Read's user-facing text");
      assert.doesNotMatch(html, /Sign in and read user profile/, 'not the admin text');
      assert.match(html, /href="https:\/\/notes.example\/terms"/);
      assert.match(html, /href="https:\/\/notes.example\/privacy"/);
      assert.doesNotMatch(html, /forOrganization/, 'a user is not offered consent for the organization');
      assert.deepEqual(await grantsFor(notes.appId), [], 'nothing recorded before Accept');

      const accepted = await decide(client, stop.page!, 'accept');
      assert.ok(accepted.location, `back at the app: ${accepted.response.status}`);
      const tokens = await oidc.authorizationCodeGrant(cfg, new URL(accepted.location), { pkceCodeVerifier: verifier, expectedState: 'st' });
      const claims = decodeJwt(tokens.access_token);
      assert.equal(claims.scp, 'User.Read');
      assert.equal(claims.tid, tid);
      assert.equal(claims.aud, GRAPH_APP_ID);
      // this tenant now has the app's service principal, published by its home tenant, and Alice's grant
      const sp = (await h.container.applications.servicePrincipal(tenantScope(tid), notes.appId))!;
      assert.equal(sp.appOwnerOrganizationId, home.id);
      assert.deepEqual(await grantsFor(notes.appId), [['Principal', users.alice!.id, 'User.Read openid profile']]);

      // signing in again asks nothing; asking for more prompts for it, and the token carries both
      const again = await start(new FormClient(), authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', state: 'x' }), users.alice!.upn);
      assert.ok(again.redirect?.searchParams.get('code'), 'no prompt for what is consented');
      const more = await start(new FormClient(), authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid User.Read User.ReadBasic.All', state: 'y' }), users.alice!.upn);
      assert.match(more.page?.html ?? '', /Read all users&#x27;? basic profiles|basic profiles/);
      const client2 = new FormClient();
      const verifier2 = oidc.randomPKCECodeVerifier();
      const url2 = oidc.buildAuthorizationUrl(cfg, { redirect_uri: REDIRECT, scope: 'openid User.Read User.ReadBasic.All', code_challenge: await oidc.calculatePKCECodeChallenge(verifier2), code_challenge_method: 'S256', state: 'z' });
      const prompt2 = await start(client2, url2.toString(), users.alice!.upn);
      const accepted2 = await decide(client2, prompt2.page!, 'accept');
      const tokens2 = await oidc.authorizationCodeGrant(cfg, new URL(accepted2.location!), { pkceCodeVerifier: verifier2, expectedState: 'z' });
      assert.equal(decodeJwt(tokens2.access_token).scp, 'User.Read User.ReadBasic.All');
      assert.deepEqual(await grantsFor(notes.appId), [['Principal', users.alice!.id, 'User.Read User.ReadBasic.All openid profile']], 'one grant, merged');
    });

    test('Cancel returns access_denied (AADSTS65004) to the app and records nothing; a replayed Accept afterwards is refused', async () => {
      const app = await multiTenantApp('Cancelled app', ['User.Read']);
      const client = new FormClient();
      const stop = await start(client, authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', state: 'c1' }), users.bob!.upn);
      const cancelled = await decide(client, stop.page!, 'cancel');
      const redirect = new URL(cancelled.location!);
      assert.equal(redirect.searchParams.get('error'), 'access_denied');
      assert.match(redirect.searchParams.get('error_description') ?? '', /^AADSTS65004/);
      assert.equal(redirect.searchParams.get('state'), 'c1');
      assert.equal(redirect.searchParams.get('code'), null);
      // the same form posted again, now accepting: the interaction is over, an error page, no grant
      const replay = await decide(client, stop.page!, 'accept');
      assert.equal(replay.location, undefined);
      assert.equal(replay.response.status, 400);
      // and from a browser without the interaction's cookies
      const forged = await decide(new FormClient(), stop.page!, 'accept');
      assert.equal(forged.location, undefined);
      assert.ok(forged.response.status >= 400);
      assert.deepEqual(await grantsFor(app.appId), []);
    });

    test('a consent POST without its CSRF token is refused, nothing recorded', async () => {
      const app = await multiTenantApp('CSRF app', ['User.Read']);
      const client = new FormClient();
      const stop = await start(client, authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), users.bob!.upn);
      const form = parseForm(stop.page!.html, stop.page!.url);
      const response = await client.request(form.action, { body: new URLSearchParams({ decision: 'accept' }) });
      assert.equal(response.status, 403);
      assert.deepEqual(await grantsFor(app.appId), []);
    });

    test('an administrator consents on behalf of the organization: the next user is not asked', async () => {
      const app = await multiTenantApp('Org-wide app', ['User.Read']);
      const client = new FormClient();
      const adminUpn = `admin@${h.tenant.domain}`;
      const stop = await start(client, authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), adminUpn, ADMIN_PASSWORD);
      assert.match(stop.page!.html, /name="forOrganization"/);
      assert.match(stop.page!.html, /Consent on behalf of your organization/);
      assert.match(stop.page!.html, /Sign in and read user profile/, 'administrators see the admin texts');
      const accepted = await decide(client, stop.page!, 'accept', { forOrganization: 'on' });
      assert.ok(new URL(accepted.location!).searchParams.get('code'));
      assert.deepEqual(await grantsFor(app.appId), [['AllPrincipals', null, 'User.Read openid']]);
      const other = await start(new FormClient(), authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), users.carol!.upn);
      assert.ok(other.redirect?.searchParams.get('code'), 'no prompt for another user');
    });

    test("a user's forged 'on behalf of the organization' is refused, nothing recorded", async () => {
      const app = await multiTenantApp('Forged org consent', ['User.Read']);
      const client = new FormClient();
      const stop = await start(client, authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), users.dave!.upn);
      const forged = await decide(client, stop.page!, 'accept', { forOrganization: 'on' });
      assert.equal(forged.location, undefined);
      assert.equal(forged.response.status, 403);
      assert.deepEqual(await grantsFor(app.appId), []);
    });

    test('Admin-type scopes need an administrator: "Need admin approval" (AADSTS90094), back to the app with access_denied', async () => {
      const client = new FormClient();
      const stop = await start(client, authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid User.Read.All', state: 'adm' }), users.erin!.upn);
      assert.match(stop.page!.html, /Need admin approval/);
      assert.match(stop.page!.html, /AADSTS90094/);
      assert.doesNotMatch(stop.page!.html, /value="accept"/, 'nothing to accept');
      // accepting anyway (a crafted POST) is refused
      const crafted = await decide(client, stop.page!, 'accept');
      assert.equal(crafted.response.status, 403);
      const back = await decide(client, stop.page!, 'cancel');
      assert.equal(new URL(back.location!).searchParams.get('error'), 'access_denied');
      assert.deepEqual((await grantsFor(notes.appId)).filter(([, principal]) => principal === users.erin!.id), []);
    });

    test('user consent off, and -low for an unverified publisher: no prompt to accept, "Need admin approval"', async () => {
      const app = await multiTenantApp('Setting app', ['User.Read']);
      try {
        for (const value of [[], [LOW]]) {
          await setting(value);
          const stop = await start(new FormClient(), authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), users.erin!.upn);
          assert.match(stop.page?.html ?? '', /Need admin approval/, JSON.stringify(value));
        }
        // an administrator still gets the prompt
        await setting([]);
        const admin = await start(new FormClient(), authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), `admin@${h.tenant.domain}`, ADMIN_PASSWORD);
        assert.match(admin.page?.html ?? '', /value="accept"/);
      } finally {
        await setting([LEGACY]);
      }
      assert.deepEqual(await grantsFor(app.appId), []);
    });

    test('-low: verified publishers and this tenant\'s own apps, for scopes classified low; anything else needs an administrator', async () => {
      const graphSp = (await h.container.applications.servicePrincipal(tenantScope(tid), GRAPH_APP_ID))!;
      const classifier = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Policy.ReadWrite.PermissionGrant']));
      const classified = await classifier('POST', `/servicePrincipals/${graphSp.id}/delegatedPermissionClassifications`, { permissionId: graphPermission('User.Read')!.scopeId, permissionName: 'User.Read', classification: 'low' });
      assert.equal(classified.status, 201, classified.text);
      const verified = await multiTenantApp('Verified notes', ['User.Read', 'User.ReadBasic.All']);
      await h.container.applications.setVerifiedPublisher(tenantScope(home.id), verified.appId, { displayName: 'Fabrikam Notes Inc', verifiedPublisherId: '7654321' });
      const own = await h.container.applications.create(tenantScope(tid), { displayName: 'Our own app', redirectUris: [REDIRECT], withSecret: true });
      await setting([LOW]);
      try {
        const ask = (appId: string, scope: string) => start(new FormClient(), authorizeUrl(base, tid, { client_id: appId, redirect_uri: REDIRECT, scope }), users.erin!.upn);
        const verifiedLow = await ask(verified.appId, 'openid profile User.Read');
        assert.match(verifiedLow.page?.html ?? '', /data-testid="publisher-verified"/);
        assert.match(verifiedLow.page?.html ?? '', /value="accept"/, 'a verified publisher, a low scope: the user may consent');
        const verifiedUnclassified = await ask(verified.appId, 'openid User.ReadBasic.All');
        assert.match(verifiedUnclassified.page?.html ?? '', /Need admin approval/, 'an unclassified scope needs an administrator');
        const ownLow = await ask(own.appId, 'openid User.Read');
        assert.match(ownLow.page?.html ?? '', /value="accept"/, "this tenant's own app, a low scope: the user may consent");
        const client = new FormClient();
        const accepted = await decide(client, ownLow.page!, 'accept');
        assert.equal(accepted.location, undefined, 'that page belongs to another browser');
        const mine = await start(client, authorizeUrl(base, tid, { client_id: own.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), users.erin!.upn);
        const done = await decide(client, mine.page!, 'accept');
        assert.ok(new URL(done.location!).searchParams.get('code'));
        assert.deepEqual(await grantsFor(own.appId), [['Principal', users.erin!.id, 'User.Read openid']]);
      } finally {
        await setting([LEGACY]);
      }
    });

    test("{resource}/.default asks for the app's requiredResourceAccess on that resource", async () => {
      const client = new FormClient();
      const stop = await start(client, authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid https://graph.microsoft.com/.default', state: 'd' }), users.carol!.upn);
      const listed = [...(stop.page?.html ?? '').matchAll(/data-scope="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(listed.sort(), ['User.Read', 'User.ReadBasic.All', 'openid']);
      const accepted = await decide(client, stop.page!, 'accept');
      assert.ok(new URL(accepted.location!).searchParams.get('code'));
      assert.ok((await grantsFor(notes.appId)).some(([type, principal, scope]) => type === 'Principal' && principal === users.carol!.id && scope === 'User.Read User.ReadBasic.All openid'));
    });

    test('an app that requires assignment always needs an administrator, even for an assigned user', async () => {
      const app = await multiTenantApp('Assigned-only app', ['User.Read']);
      // its service principal here (made by an administrator's consent to sign-in only), then assignment required
      await h.container.consent.grantTenantWide(tenantScope(tid), { kind: 'system' }, { clientAppId: app.appId, scopes: { [GRAPH_APP_ID]: ['openid'] } });
      const sp = (await h.container.applications.servicePrincipal(tenantScope(tid), app.appId))!;
      const patched = await adminGraph('PATCH', `/servicePrincipals/${sp.id}`, { appRoleAssignmentRequired: true });
      assert.equal(patched.status, 204, patched.text);
      const assigned = await adminGraph('POST', `/users/${users.dave!.id}/appRoleAssignments`, { principalId: users.dave!.id, resourceId: sp.id, appRoleId: '00000000-0000-0000-0000-000000000000' });
      assert.equal(assigned.status, 201, assigned.text);
      const stop = await start(new FormClient(), authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), users.dave!.upn);
      assert.match(stop.page?.html ?? '', /Need admin approval/);
    });

    test('the prompt speaks the language the app asked for', async () => {
      const stop = await start(new FormClient(), authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'consent', ui_locales: 'nl' }), users.alice!.upn);
      assert.match(stop.page?.html ?? '', /<html lang="nl"/);
      assert.match(stop.page?.html ?? '', /Machtigingen aangevraagd/);
      assert.match(stop.page?.html ?? '', /Accepteren/);
    });

    test('prompt=consent always prompts, even for what is consented; Accept carries on', async () => {
      const client = new FormClient();
      const stop = await start(client, authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'consent', state: 'pc' }), users.alice!.upn);
      assert.match(stop.page?.html ?? '', /Permissions requested/);
      const accepted = await decide(client, stop.page!, 'accept');
      assert.ok(new URL(accepted.location!).searchParams.get('code'));
    });

    test('unknown scopes: invalid_scope (AADSTS70011) before any sign-in or prompt', async () => {
      const client = new FormClient();
      const response = await client.follow(authorizeUrl(base, tid, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid User.Read Nonsense.ReadWrite' }), {}, (u) => u.startsWith(REDIRECT));
      assert.equal(response.response.status, 400);
      const html = await response.response.text();
      assert.match(html, /AADSTS70011/);
      assert.doesNotMatch(html, /name="username"/);
    });

    test("a disabled service principal: no sign-in at all", async () => {
      const app = await multiTenantApp('Disabled app', ['User.Read']);
      await h.container.consent.grantTenantWide(tenantScope(tid), { kind: 'system' }, { clientAppId: app.appId });
      await h.container.applications.setServicePrincipalEnabled(tenantScope(tid), app.appId, false);
      const response = await new FormClient().follow(authorizeUrl(base, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid User.Read' }), {}, (u) => u.startsWith(REDIRECT));
      assert.equal(response.location, undefined, 'never sent back with a code');
      assert.equal(response.response.status, 400);
      assert.doesNotMatch(await response.response.text(), /name="username"/);
    });

    describe('/{tenant}/v2.0/adminconsent', () => {
      const adminConsentUrl = (tenant: string, params: Record<string, string>) => `${base}/${tenant}/v2.0/adminconsent?${new URLSearchParams(params)}`;

      test('an administrator grants the whole requiredResourceAccess, application permissions included: admin_consent=True', async () => {
        const app = await multiTenantApp('Admin consent app', ['User.Read'], ['User.Read.All']);
        const client = new FormClient();
        const stop = await start(client, adminConsentUrl(tid, { client_id: app.appId, redirect_uri: REDIRECT, state: 'ac', scope: 'https://graph.microsoft.com/.default' }), `admin@${h.tenant.domain}`, ADMIN_PASSWORD);
        assert.equal(stop.redirect, null);
        const html = stop.page!.html;
        assert.match(html, /Permissions requested for your organization/);
        assert.match(html, /data-testid="admin-consent-application"/);
        assert.match(html, /User\.Read\.All/);
        assert.deepEqual(await grantsFor(app.appId), []);
        const accepted = await decide(client, stop.page!, 'accept');
        const redirect = new URL(accepted.location!);
        assert.equal(redirect.origin + redirect.pathname, REDIRECT);
        assert.equal(redirect.searchParams.get('admin_consent'), 'True');
        assert.equal(redirect.searchParams.get('tenant'), tid);
        assert.equal(redirect.searchParams.get('state'), 'ac');
        assert.equal(redirect.searchParams.get('scope'), 'https://graph.microsoft.com/.default');
        assert.deepEqual(await grantsFor(app.appId), [['AllPrincipals', null, 'User.Read']]);
        assert.deepEqual(await h.container.applications.applicationRoles(tenantScope(tid), app.appId, GRAPH_APP_ID), ['User.Read.All']);
        // the app's own client credentials token now carries the role
        const token = await fetch(`${base}/${tid}/oauth2/v2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.appId, client_secret: app.secret, scope: 'https://graph.microsoft.com/.default' }),
        });
        assert.equal(token.status, 200);
        assert.deepEqual(decodeJwt(((await token.json()) as { access_token: string }).access_token).roles, ['User.Read.All']);
      });

      test('organizations: the administrator\'s own tenant; Cancel returns error=access_denied&error_subcode=cancel', async () => {
        const app = await multiTenantApp('Cancelled admin consent', ['User.Read']);
        const client = new FormClient();
        const stop = await start(client, adminConsentUrl('organizations', { client_id: app.appId, redirect_uri: REDIRECT, state: 'org' }), `admin@${h.tenant.domain}`, ADMIN_PASSWORD);
        const cancelled = await decide(client, stop.page!, 'cancel');
        const redirect = new URL(cancelled.location!);
        assert.equal(redirect.searchParams.get('error'), 'access_denied');
        assert.equal(redirect.searchParams.get('error_subcode'), 'cancel');
        assert.match(redirect.searchParams.get('error_description') ?? '', /^AADSTS65004/);
        assert.equal(redirect.searchParams.get('tenant'), tid);
        assert.equal(redirect.searchParams.get('state'), 'org');
        assert.deepEqual(await grantsFor(app.appId), []);
      });

      test('a non-administrator: error=access_denied to the app, nothing changed (a crafted Accept too)', async () => {
        const app = await multiTenantApp('Non-admin attempt', ['User.Read']);
        const client = new FormClient();
        const stop = await start(client, adminConsentUrl(tid, { client_id: app.appId, redirect_uri: REDIRECT, state: 'na' }), users.bob!.upn);
        assert.ok(stop.redirect, 'sent back to the app');
        assert.equal(stop.redirect.searchParams.get('error'), 'access_denied');
        assert.match(stop.redirect.searchParams.get('error_description') ?? '', /^AADSTS90094/);
        assert.equal(stop.redirect.searchParams.get('admin_consent'), null);
        // a crafted POST from the signed-in non-administrator's browser
        const page = await client.follow(`${base}/myaccount`);
        const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.response.text())?.[1] ?? '';
        const crafted = await client.follow(`${base}/myaccount/adminconsent`, { body: new URLSearchParams({ csrf_token: csrf, tenant: tid, client_id: app.appId, redirect_uri: REDIRECT, decision: 'accept' }) }, (u) => u.startsWith(REDIRECT));
        if (crafted.location) assert.equal(new URL(crafted.location).searchParams.get('error'), 'access_denied');
        else assert.ok(crafted.response.status >= 400);
        assert.deepEqual(await grantsFor(app.appId), []);
      });

      test('bad input: an unknown app, an unregistered redirect URI, a malformed client_id or tenant: an error page, never a redirect', async () => {
        const cases: [string, number, RegExp][] = [
          [adminConsentUrl(tid, { client_id: '0b0b0b0b-0000-4000-8000-000000000000', redirect_uri: REDIRECT }), 400, /isn(?:'|&#x27;|&#39;)t known/],
          [adminConsentUrl(tid, { client_id: notes.appId, redirect_uri: 'https://evil.example/steal' }), 400, /isn(?:'|&#x27;|&#39;)t registered/],
          [adminConsentUrl(tid, { client_id: 'not-a-guid', redirect_uri: REDIRECT }), 400, /client_id/],
          [adminConsentUrl(tid, { client_id: notes.appId }), 400, /redirect_uri/],
          [adminConsentUrl('nowhere.invalid', { client_id: notes.appId, redirect_uri: REDIRECT }), 404, /tenant/],
        ];
        for (const [url, status, message] of cases) {
          const visit = await new FormClient().follow(url, {}, (u) => u.startsWith('https://evil.example') || u.startsWith(REDIRECT));
          assert.equal(visit.location, undefined, url);
          assert.equal(visit.response.status, status, url);
          assert.match(await visit.response.text(), message, url);
        }
      });
    });
  });
}
