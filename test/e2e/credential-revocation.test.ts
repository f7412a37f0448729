import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * As in Entra, an administrator's password reset or disabling the account revokes the user's
 * sessions and refresh tokens at once: the app's refresh token stops working and the browser's
 * single sign-on session is gone. An unrelated profile change revokes nothing.
 */
const REDIRECT = 'http://localhost:8766/callback';
const PASSWORD = 'Us3r!Passw0rd';

for (const dialect of testDialects) {
  describe(`credential changes revoke sessions (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let base: string;
    let web: { appId: string; clientSecret: string | null };
    let ip = 0;

    before(async () => {
      h = await createHarness(dialect, { listen: true, config: { trustProxy: true, rateLimits: { signIn: 1000, token: 1000 } } });
      graph = graphCaller(h.app, h.tenant.adminToken);
      base = h.container.config.baseUrl;
      web = await h.container.applications.create(tenantScope(h.tenant.id), { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    });
    after(() => h?.close());

    /** A signed-in user: their browser (with its SSO cookie) and the app's refresh token. */
    async function signedIn(alias: string) {
      const upn = `${alias}@${h.tenant.domain}`;
      const created = await graph('POST', '/users', { accountEnabled: true, displayName: alias, mailNickname: alias, userPrincipalName: upn, passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false } });
      assert.equal(created.status, 201, created.text);
      const browser = new FormClient({ 'x-forwarded-for': `198.51.100.${++ip}` });
      const { verifier, challenge } = pkce();
      const url = authorizeUrl(base, h.tenant.id, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid offline_access User.Read', code_challenge: challenge, code_challenge_method: 'S256' });
      const { redirect } = await signInThroughPages(browser, url, upn, PASSWORD, REDIRECT);
      assert.ok(redirect, 'signed in');
      const code = redirect.searchParams.get('code')!;
      const tokens = await tokenRequest(base, h.tenant.id, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: web.appId, client_secret: web.clientSecret! });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      return { id: created.body.id as string, browser, refreshToken: tokens.body.refresh_token as string };
    }

    const refresh = (refreshToken: string) => tokenRequest(base, h.tenant.id, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: web.appId, client_secret: web.clientSecret! });

    /** Whether the browser still has a single sign-on session: prompt=none answers with a code, not login_required. */
    async function silentSignIn(browser: FormClient): Promise<string | null> {
      const { challenge } = pkce();
      const url = authorizeUrl(base, h.tenant.id, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'none', code_challenge: challenge, code_challenge_method: 'S256' });
      const step = await browser.follow(url, {}, (location) => location.startsWith(REDIRECT));
      const location = new URL(step.location!);
      return location.searchParams.get('code') ? 'code' : location.searchParams.get('error');
    }

    test('an unrelated profile change keeps sessions and refresh tokens', async () => {
      const user = await signedIn('kept');
      assert.equal((await graph('PATCH', `/users/${user.id}`, { jobTitle: 'Buyer' })).status, 204);
      const refreshed = await refresh(user.refreshToken);
      assert.equal(refreshed.status, 200);
      assert.equal(await silentSignIn(user.browser), 'code');
    });

    test("an administrator's password reset revokes refresh tokens and the SSO session", async () => {
      const user = await signedIn('reset');
      assert.equal((await graph('PATCH', `/users/${user.id}`, { passwordProfile: { password: 'N3w!Passw0rd-reset', forceChangePasswordNextSignIn: false } })).status, 204);
      const refused = await refresh(user.refreshToken);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_grant');
      assert.equal(await silentSignIn(user.browser), 'login_required');
    });

    test('disabling the account revokes refresh tokens and the SSO session', async () => {
      const user = await signedIn('disabled');
      assert.equal((await graph('PATCH', `/users/${user.id}`, { accountEnabled: false })).status, 204);
      assert.equal((await refresh(user.refreshToken)).body.error, 'invalid_grant');
      assert.equal(await silentSignIn(user.browser), 'login_required');
    });
  });
}
