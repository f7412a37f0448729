import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { usersRepo } from '../../src/modules/directory/users.repo.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';

/**
 * passwordProfile.forceChangePasswordNextSignIn through the real sign-in pages: a user whose
 * administrator set the password must replace it ("Update your password") before the sign-in
 * completes; bad input is shown beside the fields and changes nothing; leaving the page signs
 * nobody in; the new password then works without the prompt.
 */
const REDIRECT = 'http://localhost:8765/callback';
const INITIAL = 'Initial-Passw0rd!';
const CHOSEN = 'Chosen-Passw0rd!';

for (const dialect of testDialects) {
  describe(`forced password change at sign-in (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let base: string;
    let tid: string;
    let web: { appId: string; clientSecret: string | null };
    let ip = 0;

    before(async () => {
      h = await createHarness(dialect, { listen: true, config: { trustProxy: true, rateLimits: { signIn: 1000, token: 1000 } } });
      graph = graphCaller(h.app, h.tenant.adminToken);
      base = h.container.config.baseUrl;
      tid = h.tenant.id;
      web = await h.container.applications.create(tenantScope(tid), { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    });
    after(() => h?.close());

    /** A user created the Graph way, with Graph's default (must change the password). */
    async function newUser(alias: string, profile: Record<string, unknown> = {}): Promise<{ id: string; upn: string }> {
      const upn = `${alias}@${h.tenant.domain}`;
      const created = await graph('POST', '/users', { accountEnabled: true, displayName: alias, mailNickname: alias, userPrincipalName: upn, passwordProfile: { password: INITIAL, ...profile } });
      assert.equal(created.status, 201, created.text);
      return { id: created.body.id as string, upn };
    }

    const browser = () => new FormClient({ 'x-forwarded-for': `198.51.100.${++ip}`, 'accept-language': 'en' });
    const authorize = (extra: Record<string, string> = {}) => {
      const { verifier, challenge } = pkce();
      return { verifier, url: authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', code_challenge: challenge, code_challenge_method: 'S256', ...extra }) };
    };
    const credential = async (userId: string) => (await usersRepo.credential(scoped(h.db, tenantScope(tid)), userId))!;

    /** Signs in with the current password and expects the "Update your password" page. */
    async function reachUpdatePage(client: FormClient, upn: string, password = INITIAL, extra: Record<string, string> = {}) {
      const { redirect, page } = await signInThroughPages(client, authorize(extra).url, upn, password, REDIRECT);
      assert.equal(redirect, null, 'no code before the password is changed');
      assert.equal(page!.status, 200, page!.html.slice(0, 1500));
      return page!;
    }

    /** Submits the update form; returns the next page or the redirect to the client. */
    async function submitUpdate(client: FormClient, page: { html: string; url: string }, newPassword: string, confirmPassword: string) {
      const form = parseForm(page.html, page.url);
      const step = await client.follow(form.action, { body: new URLSearchParams({ ...form.fields, newPassword, confirmPassword }) }, (u) => u.startsWith(REDIRECT));
      return step.location ? { redirect: new URL(step.location), page: null } : { redirect: null, page: { status: step.response.status, html: await step.response.text(), url: step.url } };
    }

    /** The error shown under one field, and whether that field is marked invalid. */
    function fieldError(html: string, name: string): string | null {
      const error = new RegExp(`<p class="field-error" id="field-${name}-error">([\\s\\S]*?)</p>`).exec(html)?.[1];
      if (!error) return null;
      assert.match(html, new RegExp(`<input[^>]*id="field-${name}"[^>]*aria-invalid="true"`), `${name} is marked invalid`);
      assert.match(html, new RegExp(`<input[^>]*id="field-${name}"[^>]*aria-describedby="[^"]*field-${name}-error`), `${name} points at its error`);
      return error.replace(/<[^>]+>/g, '').replace(/^Error: /, '').replace(/&#x27;|&#39;/g, "'");
    }

    test('the page: accessible form with CSRF, current password not asked again, rules shown', async () => {
      const { upn } = await newUser('ada');
      const page = await reachUpdatePage(browser(), upn);
      assert.match(page.url, /\/interaction\/[^/]+\/update-password/);
      assert.match(page.html, /<h1[^>]*>Update your password<\/h1>/);
      assert.match(page.html, new RegExp(upn.replace(/\./g, '\\.')));
      assert.match(page.html, /<label[^>]*for="field-newPassword"[^>]*>New password<\/label>/);
      assert.match(page.html, /<label[^>]*for="field-confirmPassword"[^>]*>Confirm password<\/label>/);
      const input = (name: string) => new RegExp(`<input[^>]*id="field-${name}"[^>]*>`).exec(page.html)?.[0] ?? '';
      for (const name of ['newPassword', 'confirmPassword']) {
        assert.match(input(name), /type="password"/);
        assert.match(input(name), /autocomplete="new-password"/i, 'password managers offer a new password');
      }
      assert.match(input('newPassword'), /aria-describedby="field-newPassword-hint"/, 'the rules are tied to the field');
      assert.match(page.html, /three of these/);
      assert.doesNotMatch(page.html, /current-password/, 'the current password was already verified');
      const form = parseForm(page.html, page.url);
      assert.ok(form.fields.csrf_token, 'carries a CSRF token');

      // without the CSRF token: refused, nothing changed
      const client = browser();
      const again = await reachUpdatePage(client, upn);
      const before = await isolationTablesSnapshot(h.db, tid);
      const forged = await client.request(parseForm(again.html, again.url).action, { body: new URLSearchParams({ newPassword: CHOSEN, confirmPassword: CHOSEN }) });
      assert.equal(forged.status, 403);
      assert.deepEqual(await isolationTablesSnapshot(h.db, tid), before);
    });

    test('bad input is shown beside the fields and changes nothing; then the change signs in, and the new password works next time without the prompt', async () => {
      const { id, upn } = await newUser('carla');
      const client = browser();
      let page = await reachUpdatePage(client, upn);
      const before = await isolationTablesSnapshot(h.db, tid);

      const cases: [string, string, Record<string, RegExp | null>][] = [
        ['', '', { newPassword: /enter a new password/, confirmPassword: /enter your new password again/ }],
        [CHOSEN, `${CHOSEN}x`, { newPassword: null, confirmPassword: /don't match/ }],
        ['weakpassword', 'weakpassword', { newPassword: /too weak/, confirmPassword: null }],
        ['Sh0rt!', 'Sh0rt!', { newPassword: /too weak/, confirmPassword: null }],
        [INITIAL, INITIAL, { newPassword: /can't use your current password/, confirmPassword: null }],
      ];
      for (const [newPassword, confirmPassword, expected] of cases) {
        const result = await submitUpdate(client, page, newPassword, confirmPassword);
        assert.equal(result.redirect, null, `${newPassword}/${confirmPassword} must not sign in`);
        assert.equal(result.page!.status, 400);
        assert.match(result.page!.html, /role="alert"/, 'error summary');
        for (const [field, message] of Object.entries(expected)) {
          const shown = fieldError(result.page!.html, field);
          if (message) assert.match(shown ?? '', message, `${field} for ${JSON.stringify([newPassword, confirmPassword])}`);
          else assert.equal(shown, null, `${field} has no error for ${JSON.stringify([newPassword, confirmPassword])}`);
        }
        assert.doesNotMatch(result.page!.html, new RegExp(CHOSEN), 'passwords are never echoed');
        assert.deepEqual(await isolationTablesSnapshot(h.db, tid), before, 'a rejected change writes nothing');
        page = result.page!;
      }

      // abandoning the page: the browser is not signed in (no session, no code)
      const silent = await client.follow(authorize({ prompt: 'none' }).url, {}, (u) => u.startsWith(REDIRECT));
      assert.equal(new URL(silent.location!).searchParams.get('error'), 'login_required');
      page = await reachUpdatePage(client, upn);

      const done = await submitUpdate(client, page, CHOSEN, CHOSEN);
      assert.ok(done.redirect, `the change finishes the sign-in: ${done.page?.html.slice(0, 1500)}`);
      const code = done.redirect.searchParams.get('code');
      assert.ok(code);
      const after = await credential(id);
      assert.equal(after.forceChangePasswordNextSignIn, false, 'the flag is cleared');
      const events = await auditRepo.list(scoped(h.db, tenantScope(tid)), 100);
      assert.ok(events.some((e) => e.action === 'Change user password' && e.targetId === id && e.actorId === id), 'audited');

      // the old password no longer works; the new one signs in straight away
      const old = await signInThroughPages(browser(), authorize().url, upn, INITIAL, REDIRECT);
      assert.equal(old.redirect, null);
      assert.match(old.page!.html, /account or password is incorrect/);
      const { verifier, url } = authorize();
      const next = await signInThroughPages(browser(), url, upn, CHOSEN, REDIRECT);
      const nextCode = next.redirect?.searchParams.get('code');
      assert.ok(nextCode, `signs in without the prompt: ${next.page?.html.slice(0, 800)}`);
      const tokens = await tokenRequest(base, tid, { grant_type: 'authorization_code', client_id: web.appId, client_secret: web.clientSecret!, code: nextCode, redirect_uri: REDIRECT, code_verifier: verifier });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.ok(tokens.body.access_token);
    });

    test('in Dutch when the application asks for it, errors included', async () => {
      const { upn } = await newUser('daan');
      const client = browser();
      const page = await reachUpdatePage(client, upn, INITIAL, { ui_locales: 'nl' });
      assert.match(page.html, /<html lang="nl"/);
      assert.match(page.html, /Uw wachtwoord bijwerken/);
      assert.match(page.html, />Nieuw wachtwoord</);
      const result = await submitUpdate(client, page, CHOSEN, `${CHOSEN}x`);
      assert.equal(result.page!.status, 400);
      assert.match(fieldError(result.page!.html, 'confirmPassword') ?? '', /komen niet overeen/);
    });

    test('an admin reset (PATCH with forceChangePasswordNextSignIn) asks again; without the flag it does not', async () => {
      const { id, upn } = await newUser('erik', { forceChangePasswordNextSignIn: false });
      const first = await signInThroughPages(browser(), authorize().url, upn, INITIAL, REDIRECT);
      assert.ok(first.redirect?.searchParams.get('code'), 'created with forceChangePasswordNextSignIn: false signs in directly');

      assert.equal((await graph('PATCH', `/users/${id}`, { passwordProfile: { password: 'Reset-Passw0rd!', forceChangePasswordNextSignIn: true } })).status, 204);
      const client = browser();
      const page = await reachUpdatePage(client, upn, 'Reset-Passw0rd!');
      const done = await submitUpdate(client, page, 'Erik-Own-Passw0rd!', 'Erik-Own-Passw0rd!');
      assert.ok(done.redirect?.searchParams.get('code'));

      assert.equal((await graph('PATCH', `/users/${id}`, { passwordProfile: { password: 'Reset2-Passw0rd!', forceChangePasswordNextSignIn: false } })).status, 204);
      const direct = await signInThroughPages(browser(), authorize().url, upn, 'Reset2-Passw0rd!', REDIRECT);
      assert.ok(direct.redirect?.searchParams.get('code'));
    });

    test('a reset by the administrator while the page is open makes the verified password count no more', async () => {
      const { id, upn } = await newUser('fenna');
      const client = browser();
      const page = await reachUpdatePage(client, upn);
      assert.equal((await graph('PATCH', `/users/${id}`, { passwordProfile: { password: 'Admin-Set-Passw0rd!', forceChangePasswordNextSignIn: true } })).status, 204);
      const hash = (await credential(id)).passwordHash;
      const result = await submitUpdate(client, page, CHOSEN, CHOSEN);
      assert.equal(result.redirect, null);
      assert.equal(result.page!.status, 400);
      assert.match(fieldError(result.page!.html, 'password') ?? '', /changed or reset/);
      assert.equal((await credential(id)).passwordHash, hash, 'the reset stands');
    });

    test('prompt=select_account does not offer to continue a session whose password must now be changed', async () => {
      const { id, upn } = await newUser('gijs', { forceChangePasswordNextSignIn: false });
      const client = browser();
      assert.ok((await signInThroughPages(client, authorize().url, upn, INITIAL, REDIRECT)).redirect?.searchParams.get('code'));
      const offered = await client.follow(authorize({ prompt: 'select_account' }).url, {}, (u) => u.startsWith(REDIRECT));
      const pick = await offered.response.text();
      assert.match(pick, /Continue as/, 'the session is offered while no change is required');

      assert.equal((await graph('PATCH', `/users/${id}`, { passwordProfile: { forceChangePasswordNextSignIn: true } })).status, 204);
      const step = await client.follow(authorize({ prompt: 'select_account' }).url, {}, (u) => u.startsWith(REDIRECT));
      const html = await step.response.text();
      assert.doesNotMatch(html, /Continue as/);
      assert.match(html, /name="username"/, 'asks who is signing in');
      // the old "Continue as" form, replayed: sent to the sign-in name instead of a code
      const replay = await client.request(parseForm(pick, offered.url).action, { body: new URLSearchParams(parseForm(pick, offered.url).fields) });
      assert.equal(replay.status, 303);
      assert.doesNotMatch(replay.headers.get('location') ?? '', /code=/);
      // signing in from that page with the password leads to "Update your password"
      const userForm = parseForm(html, step.url);
      const passwordPage = await client.follow(userForm.action, { body: new URLSearchParams({ ...userForm.fields, username: upn }) });
      const passwordForm = parseForm(await passwordPage.response.text(), passwordPage.url);
      const next = await client.follow(passwordForm.action, { body: new URLSearchParams({ ...passwordForm.fields, password: INITIAL }) }, (u) => u.startsWith(REDIRECT));
      assert.equal(next.location, undefined, 'no code');
      assert.match(await next.response.text(), /Update your password/);
    });

    test('a first-start administrator is not asked to change the password', async () => {
      assert.equal((await credential(h.tenant.adminId)).forceChangePasswordNextSignIn, false);
      const admin = await signInThroughPages(browser(), authorize().url, `admin@${h.tenant.domain}`, 'Admin-Passw0rd!', REDIRECT);
      assert.ok(admin.redirect?.searchParams.get('code'));
    });
  });
}
