import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRAPH_APP_ID, grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { graphCaller } from '../helpers/graph.ts';
import { authorizeUrl, pkce, signInThroughPages } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * My Account → Apps, end to end through the real sign-in pages: the apps the user consented to
 * (their own grants: name, publisher, permissions) with "Revoke permissions", and the apps consented
 * for everyone (read-only); revoking removes only the user's own grants for that app (CSRF-protected),
 * after which signing in to the app no longer goes through without consent. English and Dutch.
 */
const PASSWORD = 'Lidia!Passw0rd';
const REDIRECT = 'http://localhost:8765/notes';

interface Visit {
  status: number;
  url: string;
  html: string;
}

/** Follows redirects like a browser (GET after 303), keeping the cookies; stops at a page. */
async function go(client: FormClient, url: string, body?: URLSearchParams): Promise<Visit> {
  let response = await client.request(url, body ? { body } : {});
  for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
    assert.ok(hops < 15, 'too many redirects');
    url = new URL(response.headers.get('location')!, url).toString();
    response = await client.request(url);
  }
  return { status: response.status, url, html: await response.text() };
}

/** From a sign-in page, fills in the username and password forms until the flow leaves them. */
async function signIn(client: FormClient, page: Visit, username: string): Promise<Visit> {
  for (let step = 0; step < 5; step++) {
    const hasUsername = /name="username"/.test(page.html);
    const hasPassword = /type="password"/.test(page.html);
    if (!hasUsername && !hasPassword) return page;
    const form = parseForm(page.html, page.url);
    page = await go(client, form.action, new URLSearchParams({ ...form.fields, ...(hasPassword ? { password: PASSWORD } : { username }) }));
  }
  throw new Error(`the sign-in did not finish:\n${page.html.slice(0, 1500)}`);
}

/** The part of the page listing one app (by its appId) in the given section. */
function appItem(html: string, section: 'my-apps' | 'organization-apps', appId: string): string | null {
  const list = new RegExp(`<ul[^>]*data-testid="${section}"[^>]*>([\\s\\S]*?)</ul>\\s*</section>`).exec(html)?.[1] ?? '';
  return new RegExp(`<li[^>]*data-app-id="${appId}"[^>]*>([\\s\\S]*?)</form>|<li[^>]*data-app-id="${appId}"[^>]*>([\\s\\S]*?)</li>`).exec(list)?.[0] ?? null;
}

for (const dialect of testDialects) {
  describe(`My Account → Apps (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let upn: string;
    let lidia: string;
    let other: string;
    let notes: { appId: string; clientSecret: string | null; servicePrincipalId: string };
    let wiki: { appId: string; servicePrincipalId: string };
    const scope = () => tenantScope(h.tenant.id);

    before(async () => {
      h = await createHarness(dialect, { listen: true });
      base = h.container.config.baseUrl;
      upn = `lidia@${h.tenant.domain}`;
      const system = { kind: 'system' as const, tenantId: h.tenant.id };
      lidia = (await h.container.users.createMember(scope(), system, { userPrincipalName: upn, displayName: 'Lidia Holloway', mailNickname: 'lidia', accountEnabled: true, password: PASSWORD })).id;
      other = (await h.container.users.createMember(scope(), system, { userPrincipalName: `megan@${h.tenant.domain}`, displayName: 'Megan', mailNickname: 'megan', accountEnabled: true, password: PASSWORD })).id;
      notes = await h.container.applications.create(scope(), { displayName: 'Contoso Notes', redirectUris: [REDIRECT], withSecret: true });
      wiki = await h.container.applications.create(scope(), { displayName: 'Org Wiki', redirectUris: ['https://wiki.example/cb'], delegatedPermissions: ['User.Read'] });
      const graphSpId = (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!.id;
      const admin = graphCaller(h.app, h.tenant.adminToken);
      for (const principalId of [lidia, other]) {
        const grant = await admin('POST', '/oauth2PermissionGrants', { clientId: notes.servicePrincipalId, consentType: 'Principal', principalId, resourceId: graphSpId, scope: 'User.Read User.ReadBasic.All' });
        assert.equal(grant.status, 201, grant.text);
      }
    });
    after(() => h?.close());

    async function myAppsPage(language = 'en'): Promise<{ client: FormClient; page: Visit }> {
      const client = new FormClient({ 'accept-language': language });
      const start = await go(client, `${base}/myaccount/apps`);
      const page = await signIn(client, start, upn);
      assert.equal(page.status, 200, page.html.slice(0, 500));
      assert.equal(new URL(page.url).pathname, '/myaccount/apps');
      return { client, page };
    }

    /** Signs in to Contoso Notes asking for User.Read: the code when it goes through without a prompt, else null. */
    async function notesSignIn(): Promise<string | null> {
      const { challenge } = pkce();
      const url = authorizeUrl(base, h.tenant.id, { client_id: notes.appId, redirect_uri: REDIRECT, scope: 'openid profile User.Read', code_challenge: challenge, code_challenge_method: 'S256', state: 'n' });
      const { redirect } = await signInThroughPages(new FormClient(), url, upn, PASSWORD, REDIRECT);
      return redirect?.searchParams.get('code') ?? null;
    }

    test('lists the apps I consented to and those consented for everyone, with their permissions; not Tessera\'s own apps', async () => {
      const { page } = await myAppsPage();
      assert.match(page.html, /<h1[^>]*>Apps and permissions<\/h1>/);
      assert.doesNotMatch(page.html, /<script/i);
      const mine = appItem(page.html, 'my-apps', notes.appId);
      assert.ok(mine, 'Contoso Notes is among my apps');
      assert.match(mine, /Contoso Notes/);
      assert.match(mine, /Publisher: Contoso/);
      for (const value of ['User.Read', 'User.ReadBasic.All']) assert.match(mine, new RegExp(`data-permission="${value.replace('.', '\\.')}"`));
      assert.match(mine, /Revoke permissions/);
      const org = appItem(page.html, 'organization-apps', wiki.appId);
      assert.ok(org, 'Org Wiki is among the organization\'s apps');
      assert.doesNotMatch(org, /Revoke/, 'read-only');
      assert.equal(appItem(page.html, 'my-apps', wiki.appId), null);
      for (const firstParty of ['My Account', 'Tessera admin center', 'Tessera home sign-in']) assert.ok(!page.html.includes(`<h3>${firstParty}</h3>`), `${firstParty} is not listed`);
    });

    test('the page speaks Dutch', async () => {
      const { page } = await myAppsPage('nl');
      assert.match(page.html, /<html lang="nl"/);
      assert.match(page.html, /<h1[^>]*>Apps en machtigingen<\/h1>/);
      assert.match(page.html, /Machtigingen intrekken/);
    });

    test('a POST without its CSRF token, or for an app I did not consent to, changes nothing', async () => {
      const { client, page } = await myAppsPage();
      const noCsrf = await client.request(`${base}/myaccount/apps/revoke`, { body: new URLSearchParams({ client: notes.servicePrincipalId }) });
      assert.equal(noCsrf.status, 403);
      const form = parseForm(appItem(page.html, 'my-apps', notes.appId)!, page.url);
      const orgOnly = await go(client, form.action, new URLSearchParams({ ...form.fields, client: wiki.servicePrincipalId }));
      assert.equal(orgOnly.status, 404);
      const garbage = await go(client, form.action, new URLSearchParams({ ...form.fields, client: 'not-an-id' }));
      assert.equal(garbage.status, 404);
      assert.equal((await grantsRepo.principalGrants(scoped(h.db, scope()), lidia)).length, 1);
      assert.equal((await grantsRepo.permissionGrants(scoped(h.db, scope()), wiki.servicePrincipalId, (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!.id)).length, 1);
    });

    test('Revoke removes my grant only; the app then no longer signs me in without consent', async () => {
      assert.ok(await notesSignIn(), 'with my consent, signing in to the app needs no prompt');
      const { client, page } = await myAppsPage();
      const form = parseForm(appItem(page.html, 'my-apps', notes.appId)!, page.url);
      assert.equal(new URL(form.action).pathname, '/myaccount/apps/revoke');
      const done = await go(client, form.action, new URLSearchParams(form.fields));
      assert.equal(done.status, 200);
      assert.equal(new URL(done.url).pathname, '/myaccount/apps');
      assert.match(done.html, /Permissions revoked/);
      assert.equal(appItem(done.html, 'my-apps', notes.appId), null);
      assert.deepEqual(await grantsRepo.principalGrants(scoped(h.db, scope()), lidia), []);
      assert.equal((await grantsRepo.principalGrants(scoped(h.db, scope()), other)).length, 1, "another user's consent to the same app stays");
      assert.equal(await notesSignIn(), null, 'the next sign-in asks for consent again');
      // revoking again: nothing left to revoke
      const again = await go(client, form.action, new URLSearchParams(form.fields));
      assert.equal(again.status, 404);
    });
  });
}
