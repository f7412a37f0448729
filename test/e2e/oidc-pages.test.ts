import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ADMIN_CENTER_APP_ID } from '../../src/modules/consent/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * The pages oidc-provider shows itself (sign-out confirmation, signed out, errors instead of an
 * unsafe redirect), through the real server: localized like every page, in the tenant's branding,
 * with the pages' security headers, and still driving oidc-provider's own forms.
 */
const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Carol-Passw0rd!';
const HOSTILE = '"><script>alert(1)</script>';
const BRAND = '#0b3d91';
const ENGLISH = { 'accept-language': 'en-US,en;q=0.9' };
const DUTCH = { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' };

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
const buttonLabels = (html: string) => [...html.matchAll(/<button\b[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]);
const decode = (value: string) => value.replace(/&amp;/g, '&');

describe('pages oidc-provider shows itself, through the server', () => {
  let h: Harness;
  let base: string;
  let tid: string;
  let upn: string;
  let web: { appId: string };

  before(async () => {
    h = await createHarness('sqlite', { listen: true, realTokens: true });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    upn = `carol@${h.tenant.domain}`;
    const scope = tenantScope(tid);
    await h.container.users.createMember(scope, { kind: 'system', tenantId: tid }, { userPrincipalName: upn, displayName: 'Carol', mailNickname: 'carol', accountEnabled: true, password: PASSWORD });
    web = await h.container.applications.create(scope, { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    await h.container.tenants.updateBranding(scope, { kind: 'system', tenantId: tid }, { backgroundColor: BRAND });
  });
  after(() => h?.close());

  async function signedIn(headers: Record<string, string>): Promise<FormClient> {
    const client = new FormClient(headers);
    const url = authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', state: 's' });
    const { redirect, page } = await signInThroughPages(client, url, upn, PASSWORD, REDIRECT);
    assert.ok(redirect, `signed in: ${page?.status} ${page?.html.slice(0, 300)}`);
    return client;
  }

  async function page(client: FormClient, url: string, body?: URLSearchParams) {
    const { response, url: at, location } = await client.follow(url, body ? { body } : {}, (u) => u.startsWith(REDIRECT));
    return { response, url: at, location, html: await response.text() };
  }

  function assertPageHeaders(headers: Headers, html: string) {
    assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.equal(headers.get('x-frame-options'), 'DENY');
    assert.equal(headers.get('x-content-type-options'), 'nosniff');
    const csp = String(headers.get('content-security-policy')).split('; ');
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1];
    assert.ok(style, 'the brand colours');
    for (const directive of ["default-src 'self'", "script-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", `style-src 'self' 'sha256-${createHash('sha256').update(style).digest('base64')}'`]) {
      assert.ok(csp.includes(directive), `${directive} in ${headers.get('content-security-policy')}`);
    }
  }

  test("sign-out in Dutch (Accept-Language): confirmation and signed-out page, in the tenant's branding and with the page CSP", async () => {
    const client = await signedIn(DUTCH);
    const confirm = await page(client, `${base}/${tid}/oauth2/v2.0/logout?client_id=${web.appId}`);
    assert.equal(confirm.response.status, 200, confirm.html.slice(0, 500));
    assert.match(confirm.html, /<html lang="nl">/);
    assert.equal(heading(confirm.html), 'Wilt u zich afmelden?');
    assert.deepEqual(buttonLabels(confirm.html), ['Nee, aangemeld blijven', 'Ja, afmelden']);
    assert.match(confirm.html, /<title>Afmelden - Contoso<\/title>/);
    assert.match(confirm.html, /<p class="brand-name">Contoso<\/p>/);
    assert.ok(confirm.html.includes(`--page-bg:${BRAND}`), 'the background colour');
    assertPageHeaders(confirm.response.headers, confirm.html);
    assert.ok(String(confirm.response.headers.get('content-security-policy')).split('; ').includes(`form-action 'self' ${base}`));

    const form = parseForm(confirm.html, confirm.url);
    const done = await page(client, form.action, new URLSearchParams({ ...form.fields, logout: 'yes' }));
    assert.equal(done.response.status, 200, done.html.slice(0, 500));
    assert.equal(new URL(done.url).pathname, `/${tid}/oauth2/v2.0/logout/success`);
    assert.equal(heading(done.html), 'U bent afgemeld');
    assert.match(done.html, /U kunt dit venster sluiten\./);
    assertPageHeaders(done.response.headers, done.html);

    const again = await page(client, authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid', prompt: 'none' }));
    assert.equal(new URL(again.location!).searchParams.get('error'), 'login_required', 'the session is gone');
  });

  test('ui_locales=nl in an English browser: Dutch confirmation, and a Dutch signed-out page after it', async () => {
    const client = await signedIn(ENGLISH);
    const confirm = await page(client, `${base}/${tid}/oauth2/v2.0/logout?client_id=${web.appId}&ui_locales=nl`);
    assert.equal(confirm.response.status, 200);
    assert.equal(heading(confirm.html), 'Wilt u zich afmelden?');
    const form = parseForm(confirm.html, confirm.url);
    assert.equal(form.fields.ui_locales, 'nl');
    const done = await page(client, form.action, new URLSearchParams({ ...form.fields, logout: 'yes' }));
    assert.equal(new URL(done.url).searchParams.get('ui_locales'), 'nl');
    assert.equal(heading(done.html), 'U bent afgemeld');
  });

  test('the English button label is kept, and "No" keeps the browser session', async () => {
    const client = await signedIn(ENGLISH);
    const confirm = await page(client, `${base}/${tid}/oauth2/v2.0/logout?client_id=${web.appId}`);
    assert.deepEqual(buttonLabels(confirm.html), ['No, stay signed in', 'Yes, sign me out']);
    const form = parseForm(confirm.html, confirm.url);
    const done = await page(client, form.action, new URLSearchParams(form.fields));
    assert.equal(heading(done.html), 'You have signed out');
    const again = await page(client, authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'none' }));
    assert.ok(new URL(again.location!).searchParams.get('code'), 'still signed in to the browser session');
  });

  test('a sign-out that returns to the app: form-action allows its origin, and the redirect carries state', async () => {
    const client = await signedIn(ENGLISH);
    const confirm = await page(client, `${base}/${tid}/oauth2/v2.0/logout?${new URLSearchParams({ client_id: web.appId, post_logout_redirect_uri: REDIRECT, state: 'bye' })}`);
    assert.equal(confirm.response.status, 200, confirm.html.slice(0, 500));
    assert.ok(String(confirm.response.headers.get('content-security-policy')).split('; ').includes(`form-action 'self' ${base} http://localhost:8765`));
    const form = parseForm(confirm.html, confirm.url);
    const done = await page(client, form.action, new URLSearchParams({ ...form.fields, logout: 'yes' }));
    assert.equal(done.location, `${REDIRECT}?state=bye`);
  });

  test('the language switcher on the confirmation loads it again in the other language', async () => {
    const client = await signedIn(ENGLISH);
    const confirm = await page(client, `${base}/${tid}/oauth2/v2.0/logout?client_id=${web.appId}`);
    const href = /<a href="([^"]+)" hrefLang="nl">Nederlands<\/a>/.exec(confirm.html)?.[1];
    assert.ok(href, 'a link to Dutch');
    const switched = await page(client, new URL(decode(href), base).toString());
    assert.equal(switched.response.status, 200);
    assert.equal(new URL(switched.url).pathname, `/${tid}/oauth2/v2.0/logout`);
    assert.equal(heading(switched.html), 'Wilt u zich afmelden?');
    const form = parseForm(switched.html, switched.url);
    const done = await page(client, form.action, new URLSearchParams({ ...form.fields, logout: 'yes' }));
    assert.equal(heading(done.html), 'U bent afgemeld', 'the cookie keeps the choice');
  });

  test('an unregistered redirect URI: a localized error page (Accept-Language or ui_locales), never a redirect', async () => {
    const bad = { client_id: web.appId, redirect_uri: 'https://evil.example/cb', scope: 'openid', state: 'x' };
    const requests: [string, string, Record<string, string>][] = [
      ['Accept-Language', authorizeUrl(base, tid, bad), DUTCH],
      ['ui_locales', authorizeUrl(base, tid, { ...bad, ui_locales: 'nl' }), ENGLISH],
      ['a verified domain in the path', authorizeUrl(base, h.tenant.domain, bad), DUTCH],
    ];
    for (const [source, url, headers] of requests) {
      const response = await fetch(url, { redirect: 'manual', headers });
      const html = await response.text();
      assert.equal(response.status, 400, source);
      assert.equal(response.headers.get('location'), null, source);
      assert.doesNotMatch(html, /(href|action)="https:\/\/evil/, `${source}: the bad URI is not offered as a link`);
      assert.match(html, /<html lang="nl">/, source);
      assert.equal(heading(html), 'We kunnen u niet aanmelden', source);
      assert.match(html, /niet voor de app is geregistreerd/, source);
      assert.match(html, /<dd>invalid_redirect_uri<\/dd>/, source);
      assert.match(html, /redirect_uri did not match/, source);
      assert.ok(html.includes(`--page-bg:${BRAND}`), source);
      assertPageHeaders(response.headers, html);
    }
    const english = await fetch(authorizeUrl(base, tid, bad), { redirect: 'manual', headers: ENGLISH });
    assert.equal(heading(await english.text()), 'We couldn&#x27;t sign you in');
  });

  test('an unknown client and a sign-out with an unknown client: localized error pages', async () => {
    const unknown = await fetch(authorizeUrl(base, tid, { client_id: '11111111-2222-3333-4444-555555555555', redirect_uri: REDIRECT, scope: 'openid' }), { redirect: 'manual', headers: DUTCH });
    const html = await unknown.text();
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get('location'), null);
    assert.match(html, /is niet bekend in deze organisatie/);
    assert.match(html, /<dd>invalid_client<\/dd>/);
    // a browser asks for HTML (oidc-provider answers JSON to anything else)
    const logout = await fetch(`${base}/${tid}/oauth2/v2.0/logout?client_id=11111111-2222-3333-4444-555555555555`, { headers: { ...DUTCH, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    const logoutHtml = await logout.text();
    assert.equal(logout.status, 400);
    assert.equal(heading(logoutHtml), 'We kunnen u niet afmelden');
  });

  test("Entra's scope rules refused on the authorize endpoint: the same localized error page", async () => {
    const response = await fetch(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read .default', ui_locales: 'nl' }), { redirect: 'manual', headers: ENGLISH });
    const html = await response.text();
    assert.equal(response.status, 400);
    assert.equal(heading(html), 'We kunnen u niet aanmelden');
    assert.match(html, /<dd>invalid_scope<\/dd>/);
    assert.match(html, /AADSTS\d+/);
    assertPageHeaders(response.headers, html);
  });

  test("a hostile tenant name is escaped on the sign-out and error pages", async () => {
    const domain = `hostile${process.pid}.example`;
    const admin = `admin@${domain}`;
    const { tenant } = await h.container.tenants.create({ displayName: `Fabrikam${HOSTILE}`, domain, countryLetterCode: 'NL', admin: { email: admin, password: PASSWORD } });
    const client = new FormClient(ENGLISH);
    const { challenge } = pkce();
    const adminCenter = `${base}/admin/`;
    const url = authorizeUrl(base, tenant.id, { client_id: ADMIN_CENTER_APP_ID, redirect_uri: adminCenter, scope: 'openid User.Read', code_challenge: challenge, code_challenge_method: 'S256' });
    const { redirect, page: stopped } = await signInThroughPages(client, url, admin, PASSWORD, adminCenter);
    assert.ok(redirect, `signed in: ${stopped?.status} ${stopped?.html.slice(0, 300)}`);
    const confirm = await client.follow(`${base}/${tenant.id}/oauth2/v2.0/logout?client_id=${ADMIN_CENTER_APP_ID}`);
    const error = await fetch(authorizeUrl(base, tenant.id, { client_id: ADMIN_CENTER_APP_ID, redirect_uri: 'https://evil.example/', scope: 'openid' }), { redirect: 'manual' });
    for (const html of [await confirm.response.text(), await error.text()]) {
      assert.ok(html.includes('Fabrikam&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), html.slice(0, 600));
      assert.ok(!/<script/i.test(html));
    }
  });
});
