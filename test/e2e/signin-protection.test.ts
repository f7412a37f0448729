import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/kernel/clock.ts';
import { FIRST_LOCKOUT_SECONDS, LOCKOUT_THRESHOLD } from '../../src/modules/signin/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Smart lockout (per account and source, in the database, timed by the container's clock),
 * disabled accounts, and per-IP rate limits on the sign-in POSTs and the token endpoint.
 */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
}

const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Dave-Passw0rd!';

describe('sign-in protection', () => {
  let h: Harness;
  let base: string;
  let tid: string;
  let upn: string;
  let userId: string;
  let web: { appId: string; clientSecret: string | null };
  const clock = new ShiftedClock();

  before(async () => {
    h = await createHarness('sqlite', { listen: true, realTokens: true, clock, config: { trustProxy: true, rateLimits: { signIn: 1000, token: 1000 } } });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    upn = `dave@${h.tenant.domain}`;
    userId = (await h.container.users.createMember(tenantScope(tid), { kind: 'system', tenantId: tid }, { userPrincipalName: upn, displayName: 'Dave', mailNickname: 'dave', accountEnabled: true, password: PASSWORD })).id;
    web = await h.container.applications.create(tenantScope(tid), { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
  });
  after(() => h?.close());

  /** Opens the password page for `ip` and returns a function that submits one password. */
  async function passwordForm(ip: string) {
    const client = new FormClient({ 'x-forwarded-for': ip });
    const { challenge } = pkce();
    const page = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', code_challenge: challenge, code_challenge_method: 'S256' }));
    const userForm = parseForm(await page.response.text(), page.url);
    const passwordPage = await client.follow(userForm.action, { body: new URLSearchParams({ ...userForm.fields, username: upn }) });
    const form = parseForm(await passwordPage.response.text(), passwordPage.url);
    return async (password: string) => {
      const step = await client.follow(form.action, { body: new URLSearchParams({ ...form.fields, password }) }, (u) => u.startsWith(REDIRECT));
      return { signedIn: Boolean(step.location?.includes('code=')), status: step.response.status, html: step.location ? '' : await step.response.text() };
    };
  }

  test('ten wrong passwords from one source lock that source out; another source still signs in; the lock expires', async () => {
    const attacker = await passwordForm('203.0.113.7');
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
      const result = await attacker('wrong-password');
      assert.equal(result.signedIn, false);
      assert.match(result.html, /account or password is incorrect/);
    }
    const locked = await attacker(PASSWORD);
    assert.equal(locked.signedIn, false, 'even the right password is refused while locked');
    assert.match(locked.html, /locked/);

    const user = await passwordForm('198.51.100.20');
    assert.equal((await user(PASSWORD)).signedIn, true, 'the real user elsewhere is not locked out');

    clock.offsetMs = (FIRST_LOCKOUT_SECONDS + 1) * 1000;
    try {
      assert.equal((await attacker(PASSWORD)).signedIn, true, 'the lock expires with the clock');
    } finally {
      clock.offsetMs = 0;
    }
  });

  test('after a lock expires, each further failure locks again for twice as long', async () => {
    const scope = tenantScope(tid);
    const source = '203.0.113.99';
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await h.container.signIn.attempt(scope, { username: upn, password: 'nope', source });
    const first = await h.container.signIn.attempt(scope, { username: upn, password: PASSWORD, source });
    assert.equal(first.outcome, 'locked');
    clock.offsetMs = (FIRST_LOCKOUT_SECONDS + 1) * 1000;
    try {
      assert.equal((await h.container.signIn.attempt(scope, { username: upn, password: 'nope', source })).outcome, 'badPassword');
      const second = await h.container.signIn.attempt(scope, { username: upn, password: PASSWORD, source });
      assert.equal(second.outcome, 'locked');
      const seconds = (Date.parse((second as { until: string }).until) - clock.now().getTime()) / 1000;
      assert.ok(seconds > FIRST_LOCKOUT_SECONDS && seconds <= 2 * FIRST_LOCKOUT_SECONDS, `locked for ${seconds}s`);
    } finally {
      clock.offsetMs = 0;
    }
  });

  test('a disabled account is refused with a clear message', async () => {
    await h.container.users.update(tenantScope(tid), { kind: 'system', tenantId: tid }, userId, { accountEnabled: false });
    try {
      const { redirect, page } = await signInThroughPages(new FormClient({ 'x-forwarded-for': '192.0.2.44' }), authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', code_challenge: pkce().challenge, code_challenge_method: 'S256' }), upn, PASSWORD, REDIRECT);
      assert.equal(redirect, null);
      assert.match(page!.html, /disabled/);
    } finally {
      await h.container.users.update(tenantScope(tid), { kind: 'system', tenantId: tid }, userId, { accountEnabled: true });
    }
  });
});

describe('rate limits', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness('sqlite', { listen: true, realTokens: true, config: { trustProxy: true, rateLimits: { signIn: 3, token: 3 } } });
  });
  after(() => h?.close());

  test('the token endpoint answers 429 with an OAuth error past its limit, per IP', async () => {
    const base = h.container.config.baseUrl;
    const form = { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x', scope: `${base}/.default` };
    for (let i = 0; i < 3; i++) assert.equal((await tokenRequest(base, h.tenant.id, form, { 'x-forwarded-for': '203.0.113.1' })).status, 401);
    const limited = await tokenRequest(base, h.tenant.id, form, { 'x-forwarded-for': '203.0.113.1' });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'temporarily_unavailable');
    assert.equal((await tokenRequest(base, h.tenant.id, form, { 'x-forwarded-for': '203.0.113.2' })).status, 401, 'another IP is not limited');
  });

  test('the sign-in form answers a 429 page past its limit', async () => {
    const base = h.container.config.baseUrl;
    const client = new FormClient({ 'x-forwarded-for': '203.0.113.50', 'accept-language': 'en' });
    const page = await client.follow(`${base}/organizations/oauth2/v2.0/authorize?client_id=x&response_type=code`);
    const form = parseForm(await page.response.text(), page.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.request(form.action, { body: new URLSearchParams({ ...form.fields, username: 'x@unknown.example' }) })).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    const limited = await client.request(form.action, { body: new URLSearchParams({ ...form.fields, username: 'x@unknown.example' }) });
    assert.match(await limited.text(), /Too many requests/);
  });
});
