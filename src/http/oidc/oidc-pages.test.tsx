import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { OidcPageRequest } from '../../oidc/index.ts';
import type { Branding } from '../pages/index.ts';
import { oidcPageRenderer, parseLogoutForm } from './oidc-pages.tsx';

const BASE = 'https://id.example';
const TID = '7d3a2c1b-0000-4000-8000-000000000001';
const HOSTILE = '"><script>alert(1)</script>';
// exactly what oidc-provider 9 passes to logoutSource
const FORM = `<form id="op.logoutForm" method="post" action="${BASE}/${TID}/oauth2/v2.0/logout/confirm"><input type="hidden" name="xsrf" value="c2VjcmV0LXhzcmY"/></form>`;
const CONTOSO: Branding = { tenantName: 'Contoso', logoUrl: null, backgroundColor: '#0b3d91' };

function renderer(branding: Branding | null = CONTOSO) {
  const asked: string[] = [];
  const pages = oidcPageRenderer({
    baseUrl: BASE,
    branding: async (tenantId) => {
      asked.push(tenantId);
      return branding;
    },
  });
  return { pages, asked };
}

function get(url: string, headers: Record<string, string> = {}): OidcPageRequest {
  const parsed = new URL(url, BASE);
  return { method: 'GET', url: parsed.pathname + parsed.search, headers, query: Object.fromEntries(parsed.searchParams) };
}

const logoutUrl = `/${TID}/oauth2/v2.0/logout?client_id=app`;
const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
/** The text of the submit buttons, in page order. */
const attributesOf = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
const buttons = (html: string) => [...html.matchAll(/<button\b([^>]*)>([^<]*)<\/button>/g)].map((m) => ({ attributes: m[1]!, label: m[2]! }));

describe('pages oidc-provider shows itself', () => {
  test('sign-out confirmation: English by default, buttons submitting oidc-provider\'s form', async () => {
    const { pages, asked } = renderer();
    const { html, headers } = await pages.logout({ tenantId: TID, request: get(logoutUrl), form: FORM });
    assert.deepEqual(asked, [TID], "the tenant's branding");
    assert.ok(html.startsWith('<!doctype html><html lang="en">'));
    assert.equal(heading(html), 'Do you want to sign out?');
    assert.match(html, /<title>Sign out - Contoso<\/title>/);
    // the form is oidc-provider's (action, xsrf), rendered again; the buttons stand outside it
    const form = /<form\b([^>]*)>(.*?)<\/form>/.exec(html);
    assert.ok(form, 'a form');
    assert.deepEqual(attributesOf(form[1]!), { id: 'op.logoutForm', method: 'post', action: `${BASE}/${TID}/oauth2/v2.0/logout/confirm` });
    assert.equal(form[2], '<input type="hidden" name="xsrf" value="c2VjcmV0LXhzcmY"/>');
    const [no, yes] = buttons(html);
    assert.equal(yes?.label, 'Yes, sign me out');
    assert.deepEqual(attributesOf(yes!.attributes), { class: 'button button--primary', type: 'submit', name: 'logout', value: 'yes', form: 'op.logoutForm', autofocus: '' });
    assert.equal(no?.label, 'No, stay signed in');
    assert.match(no!.attributes, /form="op\.logoutForm"/);
    assert.doesNotMatch(no!.attributes, /name=/, '"No" does not ask for a full sign-out');
    assert.ok(!/<script/i.test(html));
    // the stylesheet and layout of every page
    assert.match(html, /<link rel="stylesheet" href="\/assets\/pages\.css\?v=[0-9a-f]{12}"\/>/);
    assert.match(html, /class="card"/);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
  });

  test('sign-out confirmation in Dutch: from Accept-Language, from ui_locales (query or form), from the switcher cookie', async () => {
    const { pages } = renderer();
    const requests: [string, OidcPageRequest][] = [
      ['Accept-Language', get(logoutUrl, { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' })],
      ['ui_locales in the query', get(`${logoutUrl}&ui_locales=nl`, { 'accept-language': 'en-US,en' })],
      ['ui_locales in the form', { method: 'POST', url: `/${TID}/oauth2/v2.0/logout`, headers: { 'accept-language': 'en' }, query: {}, body: { ui_locales: 'fr nl' } }],
      ['the tessera_lang cookie', get(logoutUrl, { cookie: 'other=1; tessera_lang=nl', 'accept-language': 'en' })],
    ];
    for (const [source, request] of requests) {
      const { html } = await pages.logout({ tenantId: TID, request, form: FORM });
      assert.match(html, /<html lang="nl">/, source);
      assert.equal(heading(html), 'Wilt u zich afmelden?', source);
      assert.deepEqual(buttons(html).map((b) => b.label), ['Nee, aangemeld blijven', 'Ja, afmelden'], source);
      assert.match(html, /<title>Afmelden - Contoso<\/title>/, source);
    }
    // ui_locales outranks the cookie, as on every page
    const { html } = await pages.logout({ tenantId: TID, request: get(`${logoutUrl}&ui_locales=en`, { cookie: 'tessera_lang=nl' }), form: FORM });
    assert.match(html, /<html lang="en">/);
  });

  test('an explicit ui_locales travels with the confirmation, so the signed-out page speaks it too', async () => {
    const { pages } = renderer();
    const asked = await pages.logout({ tenantId: TID, request: get(`${logoutUrl}&ui_locales=nl-BE`), form: FORM });
    assert.match(asked.html, /<input type="hidden" name="ui_locales" value="nl"\/><\/form>/);
    const negotiated = await pages.logout({ tenantId: TID, request: get(logoutUrl, { 'accept-language': 'nl' }), form: FORM });
    assert.doesNotMatch(negotiated.html, /name="ui_locales"/, 'a browser preference needs no carrying');
  });

  test("the tenant's branding: name, logo, background colour allowed by the CSP", async () => {
    const { pages } = renderer();
    const { html, headers } = await pages.logout({ tenantId: TID, request: get(logoutUrl), form: FORM });
    assert.match(html, /<p class="brand-name">Contoso<\/p>/);
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1];
    assert.equal(style, ':root{--page-bg:#0b3d91;--page-fg:#ffffff}');
    const hash = createHash('sha256').update(style!).digest('base64');
    const csp = headers['content-security-policy']!.split('; ');
    assert.ok(csp.includes(`style-src 'self' 'sha256-${hash}'`), headers['content-security-policy']);
    const logo = await renderer({ tenantName: 'Contoso', logoUrl: 'https://cdn.example/logo.png', backgroundColor: null }).pages.signedOut({ tenantId: TID, request: get(`/${TID}/oauth2/v2.0/logout/success`) });
    assert.match(logo.html, /<img class="brand-logo" src="https:\/\/cdn\.example\/logo\.png" alt="Contoso"\/>/);
    assert.doesNotMatch(logo.html, /<style>/);
  });

  test('security headers: those of every page, and form-action allows where the sign-out returns to', async () => {
    const { pages } = renderer();
    const { headers } = await pages.logout({ tenantId: TID, request: get(logoutUrl), form: FORM, postLogoutRedirectUri: 'https://app.example:8443/signed-out?x=1' });
    assert.equal(headers['cache-control'], 'no-store');
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    const csp = headers['content-security-policy']!.split('; ');
    for (const directive of ["default-src 'self'", "script-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", `form-action 'self' ${BASE} https://app.example:8443`]) {
      assert.ok(csp.includes(directive), `${directive} in ${headers['content-security-policy']}`);
    }
  });

  test('hostile values are escaped: tenant name, error description, form values', async () => {
    const { pages } = renderer({ tenantName: `Contoso${HOSTILE}`, logoUrl: 'javascript:alert(1)', backgroundColor: 'red;}body{display:none' });
    const form = `<form id="op.logoutForm" method="post" action="${BASE}/x"><input type="hidden" name="xsrf" value="a&quot;&gt;&lt;script&gt;"/></form>`;
    const logout = await pages.logout({ tenantId: TID, request: get(logoutUrl), form });
    const error = await pages.error({ tenantId: TID, request: get(`/${TID}/oauth2/v2.0/authorize?x=${encodeURIComponent(HOSTILE)}`), error: 'invalid_request', description: HOSTILE, flow: 'signIn' });
    for (const { html } of [logout, error]) {
      assert.ok(!html.includes('<script>'), 'no markup from values');
      assert.ok(html.includes('Contoso&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.doesNotMatch(html, /javascript:/);
      assert.doesNotMatch(html, /<style>/, 'an invalid colour is dropped');
    }
    assert.match(logout.html, /name="xsrf" value="a&quot;&gt;&lt;script&gt;"/);
  });

  test('oidc-provider markup other than its sign-out form is refused, not inserted', () => {
    assert.throws(() => parseLogoutForm('<p>hi</p>'));
    assert.throws(() => parseLogoutForm('<form id="other" method="post" action="/x"></form>'));
    assert.throws(() => parseLogoutForm(`${FORM}<img src=x onerror=alert(1)>`));
    assert.deepEqual(parseLogoutForm(FORM), { action: `${BASE}/${TID}/oauth2/v2.0/logout/confirm`, fields: [{ name: 'xsrf', value: 'c2VjcmV0LXhzcmY' }] });
  });

  test('signed-out page, in English and Dutch', async () => {
    const { pages } = renderer();
    const en = await pages.signedOut({ tenantId: TID, request: get(`/${TID}/oauth2/v2.0/logout/success`) });
    assert.equal(heading(en.html), 'You have signed out');
    assert.match(en.html, /You can close this window\./);
    const nl = await pages.signedOut({ tenantId: TID, request: get(`/${TID}/oauth2/v2.0/logout/success?ui_locales=nl`) });
    assert.equal(heading(nl.html), 'U bent afgemeld');
    assert.match(nl.html, /<title>U bent afgemeld - Contoso<\/title>/);
  });

  test('error page: a localized explanation, then the protocol error for the developer', async () => {
    const { pages } = renderer();
    const input = { tenantId: TID, error: 'invalid_redirect_uri', description: "redirect_uri did not match any of the client's registered redirect_uris", flow: 'signIn' as const };
    const en = await pages.error({ ...input, request: get(`/${TID}/oauth2/v2.0/authorize?client_id=a`) });
    assert.equal(heading(en.html), "We couldn&#x27;t sign you in");
    assert.match(en.html, /isn&#x27;t registered for it/);
    assert.match(en.html, /<dt>Error code<\/dt><dd>invalid_redirect_uri<\/dd>/);
    assert.match(en.html, /redirect_uri did not match/);
    const nl = await pages.error({ ...input, request: get(`/${TID}/oauth2/v2.0/authorize?client_id=a`, { 'accept-language': 'nl' }) });
    assert.equal(heading(nl.html), 'We kunnen u niet aanmelden');
    assert.match(nl.html, /niet voor de app is geregistreerd/);
    assert.match(nl.html, /<dt>Foutcode<\/dt><dd>invalid_redirect_uri<\/dd>/);
    const signOut = await pages.error({ ...input, error: 'invalid_client', flow: 'signOut', request: get(logoutUrl) });
    assert.equal(heading(signOut.html), "We couldn&#x27;t sign you out");
    assert.match(signOut.html, /isn&#x27;t known in this organization/);
    const other = await pages.error({ ...input, error: 'server_error', description: undefined, request: get(logoutUrl) });
    assert.match(other.html, /Go back to the app and try again\./);
    assert.doesNotMatch(other.html, /<dt>Description<\/dt>/);
  });

  test('the language switcher comes back to a GET page, and is left out after a POST', async () => {
    const { pages } = renderer();
    const viaGet = await pages.logout({ tenantId: TID, request: get(`${logoutUrl}&ui_locales=nl`), form: FORM });
    const href = /<a href="([^"]+)" hrefLang="en">English<\/a>/.exec(viaGet.html)?.[1];
    assert.ok(href, 'a link to the English page');
    const link = new URL(href.replace(/&amp;/g, '&'), BASE);
    assert.equal(link.pathname, '/language');
    assert.equal(link.searchParams.get('return'), `${logoutUrl}&ui_locales=nl`);
    const viaPost = await pages.logout({ tenantId: TID, request: { method: 'POST', url: `/${TID}/oauth2/v2.0/logout`, headers: {}, query: {}, body: {} }, form: FORM });
    assert.doesNotMatch(viaPost.html, /language-switcher/);
  });

  test('a failing branding lookup gives the default look, not a failure', async () => {
    const pages = oidcPageRenderer({
      baseUrl: BASE,
      branding: async () => {
        throw new Error('database down');
      },
      logger: { warn: () => {} },
    });
    const { html } = await pages.error({ tenantId: TID, request: get(logoutUrl), error: 'invalid_request', flow: 'signOut' });
    assert.match(html, /<p class="brand-name">Tessera<\/p>/);
  });
});
