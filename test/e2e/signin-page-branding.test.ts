import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * The sign-in pages show the tenant's name and branding (cached per node under the directory stamp,
 * dropped at once by the node that changes them), so a change is shown on the very next page; and a
 * password sign-in through them still ends in tokens whose claims name the user (read once per token request).
 */
const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Dana-Passw0rd!';
const ENGLISH = { 'accept-language': 'en' };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
const styleOf = (html: string) => /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';

describe('sign-in pages: branding read per page, tokens after a password sign-in', () => {
  let h: Harness;
  let base: string;
  let tid: string;
  let upn: string;
  let web: { appId: string };
  const system = () => ({ kind: 'system' as const, tenantId: tid });

  before(async () => {
    h = await createHarness('sqlite', { listen: true, realTokens: true });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    upn = `dana@${h.tenant.domain}`;
    const scope = tenantScope(tid);
    await h.container.users.createMember(scope, system(), { userPrincipalName: upn, displayName: 'Dana Scully', mailNickname: 'dana', accountEnabled: true, password: PASSWORD });
    web = await h.container.applications.create(scope, { displayName: 'Web', redirectUris: [REDIRECT], isPublic: true, delegatedPermissions: ['User.Read'] });
  });
  after(() => h?.close());

  test('a branding and name change shows on the next sign-in page', async () => {
    const scope = tenantScope(tid);
    await h.container.tenants.updateBranding(scope, system(), { backgroundColor: '#112233' });
    const client = new FormClient(ENGLISH);
    const { challenge } = pkce();
    const url = authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    const first = await client.follow(url, {}, (u) => u.startsWith(REDIRECT));
    const html = await first.response.text();
    assert.equal(first.response.status, 200);
    assert.match(styleOf(html), /#112233/);
    const name = (await h.container.tenants.get(scope))!.displayName;
    assert.ok(titleOf(html).endsWith(` - ${name}`), titleOf(html));

    await h.container.tenants.updateBranding(scope, system(), { backgroundColor: '#445566' });
    await h.container.tenants.updateOrganization(scope, system(), tid, { displayName: 'Renamed Org' });
    const form = parseForm(html, first.url);
    const next = await client.follow(form.action, { body: new URLSearchParams({ ...form.fields, username: upn }) }, (u) => u.startsWith(REDIRECT));
    const nextHtml = await next.response.text();
    assert.equal(next.response.status, 200);
    assert.match(nextHtml, /type="password"/);
    assert.match(styleOf(nextHtml), /#445566/);
    assert.doesNotMatch(styleOf(nextHtml), /#112233/);
    assert.ok(titleOf(nextHtml).endsWith(' - Renamed Org'), titleOf(nextHtml));
  });

  test('a password sign-in through the pages ends in tokens that name the user', async () => {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid profile User.Read', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    const { redirect, page } = await signInThroughPages(new FormClient(ENGLISH), url, upn, PASSWORD, REDIRECT);
    const code = redirect?.searchParams.get('code');
    assert.ok(code, `a code: ${page?.status} ${page?.html.slice(0, 300)}`);
    const token = await tokenRequest(base, tid, { grant_type: 'authorization_code', client_id: web.appId, code, redirect_uri: REDIRECT, code_verifier: verifier });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const claims = (jwt: unknown) => JSON.parse(Buffer.from(String(jwt).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const access = claims(token.body.access_token);
    assert.equal(access.name, 'Dana Scully');
    assert.equal(access.preferred_username, upn);
    assert.equal(claims(token.body.id_token).preferred_username, upn);
  });
});
