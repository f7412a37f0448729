import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PENDING_COOKIE, SESSION_COOKIE } from '../../src/http/myaccount/session-cookie.ts';
import { SecretBox } from '../../src/kernel/secrets.ts';
import { MY_ACCOUNT_APP_ID } from '../../src/modules/consent/first-party.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * My Account end to end: a user signs in through the real sign-in pages (home-realm discovery,
 * then their tenant's provider) with a cookie jar, sees their profile, and signs out, in English
 * and in Dutch; "Sign out everywhere" ends another browser's session; the session cookie cannot
 * be forged or altered; every POST needs its CSRF token.
 */
const tls = testTls();
const PASSWORD = 'Lidia!Passw0rd';

interface Visit {
  status: number;
  url: string;
  html: string;
  /** every Set-Cookie header on the way */
  setCookies: string[];
}

/** Follows redirects like a browser (GET after 303), keeping the cookies; stops at a page. */
async function go(client: FormClient, url: string, body?: URLSearchParams): Promise<Visit> {
  const setCookies: string[] = [];
  let response = await client.request(url, body ? { body } : {});
  setCookies.push(...response.headers.getSetCookie());
  for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
    assert.ok(hops < 15, 'too many redirects');
    url = new URL(response.headers.get('location')!, url).toString();
    response = await client.request(url);
    setCookies.push(...response.headers.getSetCookie());
  }
  return { status: response.status, url, html: await response.text(), setCookies };
}

const heading = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

/** From any page of the sign-in, fills in the username and password forms until the flow leaves them. */
async function signIn(client: FormClient, page: Visit, username: string, password: string): Promise<Visit> {
  for (let step = 0; step < 5; step++) {
    const hasUsername = /name="username"[^>]*type="email"|type="email"[^>]*name="username"/.test(page.html);
    const hasPassword = /type="password"/.test(page.html);
    if (!hasUsername && !hasPassword) return page;
    const form = parseForm(page.html, page.url);
    const next = await go(client, form.action, new URLSearchParams({ ...form.fields, ...(hasPassword ? { password } : { username }) }));
    next.setCookies.unshift(...page.setCookies);
    page = next;
  }
  throw new Error(`the sign-in did not finish:\n${page.html.slice(0, 1500)}`);
}

/** The sign-out form of the profile page, posting to `path` (its own action, or a button's formaction). */
function formTo(html: string, url: string, path: string): { action: string; fields: Record<string, string> } {
  const form = parseForm(html, url);
  assert.equal(new URL(form.action).pathname, '/myaccount/sign-out');
  if (path !== '/myaccount/sign-out') assert.match(html, new RegExp(`formaction="${path}"`, 'i'), `a button posts to ${path}`);
  return { action: new URL(path, url).toString(), fields: form.fields };
}

const cookieOf = (setCookies: string[], name: string) => setCookies.filter((c) => c.startsWith(`${name}=`)).at(-1);

describe('My Account', () => {
  let h: Harness;
  let base: string;
  let upn: string;
  let userId: string;

  before(async () => {
    h = await createHarness('sqlite', { listen: true, ...(tls ? { config: { tls: { cert: tls.cert, key: tls.key } } } : {}) });
    base = h.container.config.baseUrl;
    upn = `lidia@${h.tenant.domain}`;
    const user = await h.container.users.createMember(tenantScope(h.tenant.id), { kind: 'system', tenantId: h.tenant.id }, {
      userPrincipalName: upn,
      displayName: 'Lidia Holloway',
      mailNickname: 'lidia',
      mail: upn,
      accountEnabled: true,
      password: PASSWORD,
      jobTitle: 'Product Manager',
      department: 'Retail',
      officeLocation: 'Utrecht',
    });
    userId = user.id;
  });
  after(() => h?.close());

  async function signedIn(headers: Record<string, string> = { 'accept-language': 'en' }, query = ''): Promise<{ client: FormClient; page: Visit }> {
    const client = new FormClient(headers);
    const start = await go(client, `${base}/myaccount${query}`);
    const page = await signIn(client, start, upn, PASSWORD);
    return { client, page };
  }

  test('a user signs in through home-realm discovery, sees their profile and signs out (English)', async () => {
    const client = new FormClient({ 'accept-language': 'en' });
    const hrd = await go(client, `${base}/myaccount`);
    assert.equal(new URL(hrd.url).pathname, '/organizations/oauth2/v2.0/authorize');
    assert.equal(heading(hrd.html), 'Sign in');

    const page = await signIn(client, hrd, upn, PASSWORD);
    assert.equal(page.status, 200);
    assert.equal(page.url, `${base}/myaccount`);
    assert.match(page.html, /<html lang="en"/);
    assert.equal(heading(page.html), 'My Account');
    for (const value of ['Lidia Holloway', upn, 'Product Manager', 'Retail', 'Utrecht', 'Contoso', 'Sign out everywhere']) assert.ok(page.html.includes(value), `profile shows ${value}`);
    assert.match(page.html, /<title>My Account - Contoso<\/title>/, "the tenant's branding (its name) is on the page");
    assert.doesNotMatch(page.html, /<script/i, 'no client script');

    // the session is a sealed, HttpOnly cookie scoped to /myaccount, and the sign-in state cookie is gone
    const session = cookieOf(page.setCookies, SESSION_COOKIE);
    assert.ok(session, 'a session cookie was set');
    assert.match(session, /; HttpOnly/i);
    assert.match(session, /; Path=\/myaccount(;|$)/);
    assert.match(session, /; SameSite=Lax/i);
    if (tls) assert.match(session, /; Secure/i);
    assert.doesNotMatch(session, new RegExp(userId), 'nothing of the session is readable');
    assert.match(cookieOf(page.setCookies, PENDING_COOKIE) ?? '', /Expires=Thu, 01 Jan 1970/i);

    // sign out: My Account, then the provider (RP-initiated logout with the ID token)
    const signOut = formTo(page.html, page.url, '/myaccount/sign-out');
    const response = await client.request(signOut.action, { body: new URLSearchParams(signOut.fields) });
    assert.equal(response.status, 303);
    const logout = new URL(response.headers.get('location')!);
    assert.equal(`${logout.origin}${logout.pathname}`, `${base}/${h.tenant.id}/oauth2/v2.0/logout`);
    assert.ok(logout.searchParams.get('id_token_hint'));
    assert.equal(logout.searchParams.get('post_logout_redirect_uri'), `${base}/myaccount/signed-out`);
    assert.match(cookieOf(response.headers.getSetCookie(), SESSION_COOKIE) ?? '', /Expires=Thu, 01 Jan 1970/i, 'the session cookie is cleared');

    // My Account's own signed-out page
    const signedOut = await go(client, `${base}/myaccount/signed-out`);
    assert.equal(heading(signedOut.html), 'You have signed out');
    // without the session cookie My Account starts a new sign-in
    const again = await client.request(`${base}/myaccount`);
    assert.equal(again.status, 303);
  });

  test('in Dutch: ui_locales and Accept-Language carry through sign-in, profile and sign-out', async () => {
    const client = new FormClient({ 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' });
    const hrd = await go(client, `${base}/myaccount?ui_locales=nl`);
    assert.equal(new URL(hrd.url).searchParams.get('ui_locales'), 'nl');
    assert.equal(heading(hrd.html), 'Aanmelden');
    assert.match(hrd.html, /<html lang="nl"/);

    const page = await signIn(client, hrd, upn, PASSWORD);
    assert.equal(new URL(page.url).pathname, '/myaccount');
    assert.match(page.html, /<html lang="nl"/);
    assert.equal(heading(page.html), 'Mijn account');
    for (const value of ['Profiel', 'Functie', 'Afdeling', 'Kantoor', 'Organisatie', 'Overal afmelden', 'Product Manager']) assert.ok(page.html.includes(value), `the page shows ${value}`);

    const signedOut = await go(client, `${base}/myaccount/signed-out?everywhere=1`);
    assert.equal(heading(signedOut.html), 'U bent bij alle sessies afgemeld');
  });

  test('signing out ends the session at the provider and lands on the signed-out page (en, nl)', async () => {
    for (const [language, title] of [['en', 'You have signed out'], ['nl', 'U bent afgemeld']] as const) {
      const { client: browser, page } = await signedIn({ 'accept-language': language });
      const signOut = formTo(page.html, page.url, '/myaccount/sign-out');
      const confirm = await go(browser, signOut.action, new URLSearchParams(signOut.fields));
      assert.equal(confirm.status, 200, confirm.html.slice(0, 500));
      const form = parseForm(confirm.html, confirm.url);
      const signedOut = await go(browser, form.action, new URLSearchParams({ ...form.fields, logout: 'yes' }));
      assert.equal(signedOut.status, 200, signedOut.html.slice(0, 500));
      assert.equal(new URL(signedOut.url).pathname, '/myaccount/signed-out');
      assert.equal(heading(signedOut.html), title);
      assert.match(signedOut.html, /<title>[^<]* - Contoso<\/title>/, "the tenant's branding, from the state the provider sends back");
      // signed out at the provider too: after the sign-in name, the password is asked for again
      const hrd = await go(browser, `${base}/myaccount`);
      const next = await go(browser, parseForm(hrd.html, hrd.url).action, new URLSearchParams({ ...parseForm(hrd.html, hrd.url).fields, username: upn }));
      assert.notEqual(heading(next.html), heading(page.html));
      assert.match(next.html, /name="username"|type="password"/);
    }
  });

  test('ui_locales=nl alone (an English browser) gives Dutch sign-in pages and a Dutch My Account', async () => {
    const client = new FormClient({ 'accept-language': 'en' });
    let page = await go(client, `${base}/myaccount?ui_locales=nl`);
    const titles = [heading(page.html)];
    for (let step = 0; step < 4 && /name="username"|type="password"/.test(page.html); step++) {
      const form = parseForm(page.html, page.url);
      const password = /type="password"/.test(page.html);
      page = await go(client, form.action, new URLSearchParams({ ...form.fields, ...(password ? { password: PASSWORD } : { username: upn }) }));
      titles.push(heading(page.html));
    }
    // home-realm discovery passes the sign-in name on as login_hint, so the tenant asks for the password at once (as Entra does)
    assert.deepEqual(titles, ['Aanmelden', 'Wachtwoord invoeren', 'Mijn account']);
    assert.equal(page.url, `${base}/myaccount?ui_locales=nl`, 'back where the sign-in began');
  });

  test('"Sign out everywhere" ends the session in another browser too', async () => {
    const laptop = await signedIn();
    const phone = await signedIn();
    assert.equal(heading(phone.page.html), 'My Account');

    const everywhere = formTo(laptop.page.html, laptop.page.url, '/myaccount/sign-out-everywhere');
    const done = await go(laptop.client, everywhere.action, new URLSearchParams(everywhere.fields));
    assert.equal(done.status, 200);
    assert.equal(new URL(done.url).pathname, '/myaccount/signed-out');
    assert.equal(heading(done.html), 'You have been signed out of all sessions');
    assert.match(done.html, /<title>[^<]* - Contoso<\/title>/, "the tenant's branding");

    // the phone's My Account session has ended: it is sent to sign in, and the provider asks for the password again
    const response = await phone.client.request(`${base}/myaccount`);
    assert.equal(response.status, 303);
    assert.ok(response.headers.get('location')!.startsWith(`${base}/organizations/oauth2/v2.0/authorize?`));
    const hrd = await go(phone.client, response.headers.get('location')!);
    const form = parseForm(hrd.html, hrd.url);
    const next = await go(phone.client, form.action, new URLSearchParams({ ...form.fields, username: upn }));
    assert.notEqual(heading(next.html), 'My Account');
    assert.match(next.html, /name="username"|type="password"/, 'the phone must sign in again');
    // and no sign-in session or grant of the user is left at the provider
    const scope = tenantScope(h.tenant.id);
    const rows = await h.db.db.selectFrom('oidc_payloads').select(['model', 'payload']).where('tenant_id', '=', scope.tenantId).where('model', 'in', ['Session', 'Grant', 'RefreshToken']).execute();
    assert.deepEqual(rows.filter((r) => (JSON.parse(r.payload) as { accountId?: string }).accountId === userId), []);
  });

  test('an unauthenticated visit is sent to sign in with PKCE, state and nonce', async () => {
    const response = await fetch(`${base}/myaccount`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${base}/organizations/oauth2/v2.0/authorize`);
    const params = location.searchParams;
    assert.equal(params.get('client_id'), MY_ACCOUNT_APP_ID);
    assert.equal(params.get('redirect_uri'), `${base}/myaccount/callback`);
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('code_challenge_method'), 'S256');
    for (const name of ['state', 'nonce', 'code_challenge']) assert.ok((params.get(name) ?? '').length >= 32, name);
    const pending = cookieOf(response.headers.getSetCookie(), PENDING_COOKIE);
    assert.ok(pending);
    assert.match(pending, /; Path=\/myaccount\/callback/);
    assert.match(pending, /; HttpOnly/i);
    assert.doesNotMatch(pending, new RegExp(params.get('state')!), 'the state is sealed');
  });

  test('a tampered or forged session cookie is refused', async () => {
    const { page } = await signedIn();
    const value = cookieOf(page.setCookies, SESSION_COOKIE)!.split(';')[0]!.slice(SESSION_COOKIE.length + 1);
    const flipped = value.slice(0, -3) + (value.at(-3) === 'A' ? 'B' : 'A') + value.slice(-2);
    const forged = new SecretBox('another-secret-0123456789').seal(JSON.stringify({ kind: 'session', tenantId: h.tenant.id, userId, idToken: 'x', grantId: 'x', expiresAt: 9_999_999_999 }));
    for (const cookie of [flipped, forged, 'garbage']) {
      const response = await fetch(`${base}/myaccount`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` }, redirect: 'manual' });
      assert.equal(response.status, 303, 'sent to sign in');
      assert.ok(response.headers.get('location')!.startsWith(`${base}/organizations/oauth2/v2.0/authorize?`));
      assert.match(cookieOf(response.headers.getSetCookie(), SESSION_COOKIE) ?? '', /Expires=Thu, 01 Jan 1970/i, 'and the bad cookie is cleared');
    }
    // the untouched cookie still works
    const ok = await fetch(`${base}/myaccount`, { headers: { cookie: `${SESSION_COOKIE}=${value}` }, redirect: 'manual' });
    assert.equal(ok.status, 200);
  });

  test('a POST without its CSRF token is refused with 403 and changes nothing', async () => {
    const { client, page } = await signedIn();
    for (const path of ['/myaccount/sign-out', '/myaccount/sign-out-everywhere']) {
      const response = await client.request(`${base}${path}`, { body: new URLSearchParams() });
      assert.equal(response.status, 403, path);
      assert.match(await response.text(), /could not be sent/);
    }
    const still = await client.request(`${base}/myaccount`);
    assert.equal(still.status, 200, 'still signed in');
    assert.equal(heading(await still.text()), 'My Account');
    void page;
  });

  test('a callback without its sign-in state, or with another state, is refused', async () => {
    const bare = await fetch(`${base}/myaccount/callback?code=x&state=y&iss=${encodeURIComponent(`${base}/${h.tenant.id}/v2.0`)}`, { redirect: 'manual' });
    assert.equal(bare.status, 400);
    assert.match(await bare.text(), /couldn&#x27;t sign you in|couldn't sign you in/);

    const client = new FormClient({ 'accept-language': 'en' });
    const start = await client.request(`${base}/myaccount`);
    assert.equal(start.status, 303);
    const wrongState = await client.request(`${base}/myaccount/callback?code=x&state=other&iss=${encodeURIComponent(`${base}/${h.tenant.id}/v2.0`)}`);
    assert.equal(wrongState.status, 400);
    await client.request(`${base}/myaccount`);
    const foreignIssuer = await client.request(`${base}/myaccount/callback?code=x&state=y&iss=${encodeURIComponent('https://evil.example/x/v2.0')}`);
    assert.equal(foreignIssuer.status, 400);
    await client.request(`${base}/myaccount`);
    const unknownTenant = await client.request(`${base}/myaccount/callback?code=x&state=y&iss=${encodeURIComponent(`${base}/00000000-0000-4000-8000-000000000000/v2.0`)}`);
    assert.equal(unknownTenant.status, 400);
  });
});
