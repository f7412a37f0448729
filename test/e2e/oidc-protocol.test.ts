import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader, createLocalJWKSet, jwtVerify } from 'jose';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/kernel/clock.ts';
import { ADMIN_CENTER_APP_ID, GRAPH_APP_ID, grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * The OAuth surface's behaviour on a loopback server (plain HTTP, so it runs anywhere): each bad
 * input gets the standard error and nothing is issued; prompts, response modes, SSO, sign-out,
 * home-realm discovery, private_key_jwt, key rotation, and Graph's refusal of bad tokens.
 */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
}

const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Carol-Passw0rd!';

describe('OIDC protocol behaviour and bad input', () => {
  let h: Harness;
  let base: string;
  let tid: string;
  let upn: string;
  let carol: string;
  const clock = new ShiftedClock();
  let web: { appId: string; clientSecret: string | null };
  let spa: { appId: string };
  let noConsent: { appId: string; clientSecret: string | null };
  let daemon: { appId: string; clientSecret: string | null };

  before(async () => {
    h = await createHarness('sqlite', { listen: true, realTokens: true, clock, config: { trustProxy: true } });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    upn = `carol@${h.tenant.domain}`;
    const scope = tenantScope(tid);
    carol = (await h.container.users.createMember(scope, { kind: 'system', tenantId: tid }, { userPrincipalName: upn, displayName: 'Carol', mailNickname: 'carol', accountEnabled: true, password: PASSWORD })).id;
    web = await h.container.applications.create(scope, { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    spa = await h.container.applications.create(scope, { displayName: 'Native', redirectUris: [REDIRECT], isPublic: true, delegatedPermissions: ['User.Read'] });
    noConsent = await h.container.applications.create(scope, { displayName: 'Unconsented', redirectUris: [REDIRECT], withSecret: true });
    daemon = await h.container.applications.create(scope, { displayName: 'Daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
  });
  after(() => h?.close());

  async function codeFor(clientId: string, extra: Record<string, string> = {}, client = new FormClient()): Promise<{ code: string; verifier: string; client: FormClient }> {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(base, tid, { client_id: clientId, redirect_uri: REDIRECT, scope: 'openid profile offline_access User.Read', code_challenge: challenge, code_challenge_method: 'S256', state: 's1', ...extra });
    const { redirect, page } = await signInThroughPages(client, url, upn, PASSWORD, REDIRECT);
    assert.ok(redirect, `no redirect: ${page?.status} ${page?.html.slice(0, 500)}`);
    const code = redirect.searchParams.get('code');
    assert.ok(code, `no code in ${redirect}`);
    return { code, verifier, client };
  }

  const redeem = (clientId: string, secret: string | null, code: string, verifier?: string) =>
    tokenRequest(base, tid, {
      grant_type: 'authorization_code',
      client_id: clientId,
      ...(secret ? { client_secret: secret } : {}),
      code,
      redirect_uri: REDIRECT,
      ...(verifier ? { code_verifier: verifier } : {}),
    });

  test('a wrong client secret and an unknown client get invalid_client, and no token', async () => {
    const wrong = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: 'not-the-secret', scope: `${base}/.default` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.equal(wrong.body.access_token, undefined);
    assert.match(String(wrong.body.error_description), /^AADSTS7000215: /);
    assert.deepEqual(wrong.body.error_codes, [7000215]);
    assert.ok(wrong.body.trace_id && wrong.body.correlation_id && wrong.body.timestamp);
    const unknown = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: '11111111-2222-3333-4444-555555555555', client_secret: 'x', scope: `${base}/.default` });
    assert.equal(unknown.body.error, 'invalid_client');
    assert.match(String(unknown.body.error_description), /^AADSTS700016: /);
    // the stored credential is a keyed hash, never the secret
    const app = await h.container.applications.client(tenantScope(tid), daemon.appId);
    assert.ok(app?.application.passwordCredentials.every((c) => c.secretHash !== daemon.clientSecret && c.hint === daemon.clientSecret!.slice(0, 3)));
  });

  test('an unregistered redirect URI gets an error page, never a redirect', async () => {
    const response = await fetch(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: 'https://evil.example/cb', scope: 'openid', state: 'x' }), { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /redirect_uri/);
  });

  test('PKCE: required for public clients; a missing or wrong verifier is invalid_grant', async () => {
    const noChallenge = await fetch(authorizeUrl(base, tid, { client_id: spa.appId, redirect_uri: REDIRECT, scope: 'openid', state: 'x' }), { redirect: 'manual' });
    assert.equal(noChallenge.status, 303);
    const location = new URL(noChallenge.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE/);

    const first = await codeFor(spa.appId);
    const missing = await redeem(spa.appId, null, first.code);
    assert.equal(missing.body.error, 'invalid_grant');
    const second = await codeFor(spa.appId, {}, first.client);
    const wrong = await redeem(spa.appId, null, second.code, pkce().verifier);
    assert.equal(wrong.body.error, 'invalid_grant');
    const third = await codeFor(spa.appId, {}, first.client);
    const right = await redeem(spa.appId, null, third.code, third.verifier);
    assert.equal(right.status, 200, JSON.stringify(right.body));
    assert.ok(right.body.access_token);
  });

  test('a replayed authorization code is invalid_grant and revokes what the code issued', async () => {
    const { code, verifier } = await codeFor(web.appId);
    const first = await redeem(web.appId, web.clientSecret, code, verifier);
    assert.equal(first.status, 200);
    const replay = await redeem(web.appId, web.clientSecret, code, verifier);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(replay.body.access_token, undefined);
    const refresh = await tokenRequest(base, tid, { grant_type: 'refresh_token', client_id: web.appId, client_secret: web.clientSecret!, refresh_token: String(first.body.refresh_token) });
    assert.equal(refresh.body.error, 'invalid_grant', 'the refresh token of the replayed code is revoked');
  });

  test('a reused (rotated-out) refresh token is refused and revokes the grant', async () => {
    const { code, verifier } = await codeFor(web.appId);
    const tokens = await redeem(web.appId, web.clientSecret, code, verifier);
    const refresh = (token: unknown) => tokenRequest(base, tid, { grant_type: 'refresh_token', client_id: web.appId, client_secret: web.clientSecret!, refresh_token: String(token), scope: 'openid offline_access User.Read', client_info: '1' });
    const next = await refresh(tokens.body.refresh_token);
    assert.equal(next.status, 200, JSON.stringify(next.body));
    assert.ok(next.body.client_info, 'client_info on refresh too');
    assert.deepEqual(JSON.parse(Buffer.from(String(next.body.client_info), 'base64url').toString()), { uid: carol, utid: tid });
    const reused = await refresh(tokens.body.refresh_token);
    assert.equal(reused.body.error, 'invalid_grant');
    const afterReuse = await refresh(next.body.refresh_token);
    assert.equal(afterReuse.body.error, 'invalid_grant', 'the whole grant is revoked');
  });

  test('/.default mixed with another scope of the same resource is invalid_scope (AADSTS70011)', async () => {
    const mixed = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${base}/.default ${base}/User.Read` });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.error, 'invalid_scope');
    assert.match(String(mixed.body.error_description), /^AADSTS70011/);
    assert.deepEqual(mixed.body.error_codes, [70011]);
    const notDefault = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: 'https://graph.microsoft.com/User.Read.All' });
    assert.equal(notDefault.body.error, 'invalid_scope');
    const page = await fetch(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read .default' }), { redirect: 'manual' });
    assert.equal(page.status, 400);
    const alias = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: 'https://graph.microsoft.com/.default' });
    assert.equal(alias.status, 200, 'https://graph.microsoft.com is an alias of the Graph resource');
    assert.deepEqual(decodeJwt(String(alias.body.access_token)).roles, ['User.Read.All']);
    const api = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `api://${web.appId}/.default` });
    assert.equal(api.status, 200, JSON.stringify(api.body));
    assert.equal(decodeJwt(String(api.body.access_token)).aud, web.appId, "an app's API is its own audience");
    const nowhere = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: 'api://9a9a9a9a-0000-4000-8000-000000000000/.default' });
    assert.equal(nowhere.body.error, 'invalid_target');
    assert.match(String(nowhere.body.error_description), /^AADSTS500011/);
  });

  test('missing consent asks for it; declining ends the sign-in with access_denied (AADSTS65004)', async () => {
    const url = authorizeUrl(base, tid, { client_id: noConsent.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', state: 'c' });
    const client = new FormClient();
    const { redirect: none, page } = await signInThroughPages(client, url, upn, PASSWORD, REDIRECT);
    assert.equal(none, null, 'the consent prompt (test/e2e/consent.test.ts covers it)');
    const form = parseForm(page!.html, page!.url);
    const declined = await client.follow(form.action, { body: new URLSearchParams({ ...form.fields, decision: 'cancel' }) }, (u) => u.startsWith(REDIRECT));
    const redirect = new URL(declined.location!);
    assert.equal(redirect.searchParams.get('error'), 'access_denied');
    assert.match(redirect.searchParams.get('error_description') ?? '', /^AADSTS65004: /);
    assert.equal(redirect.searchParams.get('code'), null);

    // the user's own consent (a Principal grant) is enough, for that user
    const tdb = scoped(h.db, tenantScope(tid));
    const clientSp = (await h.container.applications.servicePrincipal(tenantScope(tid), noConsent.appId))!;
    const graphSp = (await h.container.applications.servicePrincipal(tenantScope(tid), GRAPH_APP_ID))!;
    await grantsRepo.insertPermissionGrant(tdb, { id: 'principal-grant-carol', clientId: clientSp.id, consentType: 'Principal', principalId: carol, resourceId: graphSp.id, scope: 'User.Read' }, new Date().toISOString());
    const consented = await signInThroughPages(new FormClient(), url, upn, PASSWORD, REDIRECT);
    assert.ok(consented.redirect?.searchParams.get('code'), 'signed in with the user\'s own consent');
  });

  test('SSO, prompt=login, prompt=none, prompt=select_account, form_post, and sign-out', async () => {
    const client = new FormClient();
    await codeFor(web.appId, {}, client);
    const again = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', state: 'sso' }), {}, (u) => u.startsWith(REDIRECT));
    assert.ok(again.location && new URL(again.location).searchParams.get('code'), 'the SSO session signs in without a form');

    const login = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'login' }), {}, (u) => u.startsWith(REDIRECT));
    assert.equal(login.location, undefined);
    const loginPage = await login.response.text();
    assert.match(loginPage, /name="username"/);
    assert.match(loginPage, /Contoso/, 'the sign-in page carries the tenant\'s name');

    const select = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'select_account' }), {}, (u) => u.startsWith(REDIRECT));
    assert.equal(select.location, undefined, 'select_account asks');
    const pick = await select.response.text();
    assert.match(pick, /Continue as carol@/);
    assert.match(pick, /Use another account/);
    const continued = await client.follow(parseForm(pick, select.url).action, { body: new URLSearchParams(parseForm(pick, select.url).fields) }, (u) => u.startsWith(REDIRECT));
    assert.ok(continued.location && new URL(continued.location).searchParams.get('code'), 'continuing as the signed-in account finishes without a password');

    // prompt=consent asks again, even when everything asked for is consented, and carries on after Accept
    const consent = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'consent' }), {}, (u) => u.startsWith(REDIRECT));
    assert.equal(consent.location, undefined, 'prompt=consent shows the prompt');
    const consentPage = await consent.response.text();
    const consentForm = parseForm(consentPage, consent.url);
    const accepted = await client.follow(consentForm.action, { body: new URLSearchParams({ ...consentForm.fields, decision: 'accept' }) }, (u) => u.startsWith(REDIRECT));
    assert.ok(accepted.location && new URL(accepted.location).searchParams.get('code'), 'prompt=consent passes after Accept');

    const silent = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', prompt: 'none', state: 'n' }), {}, (u) => u.startsWith(REDIRECT));
    assert.ok(silent.location && new URL(silent.location).searchParams.get('code'), 'prompt=none with a session');
    const stranger = await new FormClient().follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid', prompt: 'none' }), {}, (u) => u.startsWith(REDIRECT));
    assert.equal(new URL(stranger.location!).searchParams.get('error'), 'login_required');

    const fragment = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', response_mode: 'fragment' }), {}, (u) => u.startsWith(REDIRECT));
    assert.match(new URL(fragment.location!).hash, /code=/);
    const posted = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', response_mode: 'form_post' }), {}, (u) => u.startsWith(REDIRECT));
    assert.equal(posted.response.status, 200);
    const html = await posted.response.text();
    assert.match(html, new RegExp(`action="${REDIRECT}"`));
    assert.match(html, /name="code"/);
    assert.match(html, /name="iss"/);

    const logout = await client.follow(`${base}/${tid}/oauth2/v2.0/logout?client_id=${web.appId}`);
    assert.equal(logout.response.status, 200);
    const confirm = await logout.response.text();
    const action = /action="([^"]+)"/.exec(confirm)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm)?.[1];
    assert.ok(action && xsrf, confirm);
    const done = await client.follow(new URL(action, logout.url).toString(), { body: new URLSearchParams({ xsrf, logout: 'yes' }) });
    assert.equal(done.response.status, 200);
    const afterLogout = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid', prompt: 'none' }), {}, (u) => u.startsWith(REDIRECT));
    assert.equal(new URL(afterLogout.location!).searchParams.get('error'), 'login_required', 'the session is gone');
  });

  test('organizations: home-realm discovery continues the request at the user\'s tenant', async () => {
    const client = new FormClient();
    const { challenge } = pkce();
    const query = { client_id: ADMIN_CENTER_APP_ID, redirect_uri: `${base}/admin/`, scope: 'openid User.Read', code_challenge: challenge, code_challenge_method: 'S256', state: 'hrd' };
    const page = await client.follow(authorizeUrl(base, 'organizations', query));
    assert.equal(page.response.status, 200);
    const form = parseForm(await page.response.text(), page.url);
    const unknown = await client.follow(form.action, { body: new URLSearchParams({ ...form.fields, username: 'someone@nowhere.example' }) });
    assert.equal(unknown.response.status, 400);
    const next = await client.request(form.action, { body: new URLSearchParams({ ...form.fields, username: upn }) });
    assert.equal(next.status, 303);
    const location = new URL(next.headers.get('location')!, base);
    assert.equal(location.pathname, `/${tid}/oauth2/v2.0/authorize`);
    assert.equal(location.searchParams.get('login_hint'), upn);
    assert.equal(location.searchParams.get('state'), 'hrd');
    const hinted = await new FormClient().request(authorizeUrl(base, 'common', { ...query, domain_hint: h.tenant.domain }));
    assert.equal(hinted.status, 303, 'domain_hint skips the home-realm page');
    assert.equal(new URL(hinted.headers.get('location')!, base).pathname, `/${tid}/oauth2/v2.0/authorize`);
    const { redirect } = await signInThroughPages(client, location.toString(), upn, PASSWORD, `${base}/admin/`);
    assert.ok(redirect?.searchParams.get('code'));
    assert.equal(redirect?.searchParams.get('iss'), `${base}/${tid}/v2.0`, 'the response names the issuer that holds the code (RFC 9207)');
    const metadata = (await (await fetch(`${base}/organizations/v2.0/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, `${base}/{tenantid}/v2.0`);
    assert.equal(metadata.token_endpoint, `${base}/organizations/oauth2/v2.0/token`);
    const appOnly = await tokenRequest(base, 'organizations', { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${base}/.default` });
    assert.equal(appOnly.body.error, 'invalid_request', 'app-only tokens need a tenant');
    assert.match(String(appOnly.body.error_description), /^AADSTS900023/);
    const unknownCode = await tokenRequest(base, 'common', { grant_type: 'authorization_code', client_id: web.appId, client_secret: web.clientSecret!, code: 'no-such-code', redirect_uri: REDIRECT });
    assert.equal(unknownCode.body.error, 'invalid_grant');
  });

  test('private_key_jwt client authentication', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const app = await h.container.applications.create(tenantScope(tid), { displayName: 'Cert app', applicationPermissions: ['User.Read.All'], publicJwks: [jwk] });
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(app.appId)
      .setSubject(app.appId)
      .setAudience(`${base}/${tid}/oauth2/v2.0/token`)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const form = { grant_type: 'client_credentials', client_id: app.appId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, scope: `${base}/.default` };
    const ok = await tokenRequest(base, tid, form);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(decodeJwt(String(ok.body.access_token)).azpacr, '2');
    const replay = await tokenRequest(base, tid, form);
    assert.equal(replay.body.error, 'invalid_client', 'an assertion is single-use (ReplayDetection)');
  });

  test('Graph refuses expired, tampered and foreign tokens with 401, and missing permissions with 403', async () => {
    const issued = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${base}/.default` });
    const token = String(issued.body.access_token);
    const call = (t: string, path = '/v1.0/users') => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await call(token)).status, 200);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['Directory.ReadWrite.All'] })).toString('base64url')}.${signature}`;
    const missing = await fetch(`${base}/v1.0/users`);
    for (const [name, response] of [
      ['tampered', await call(tampered)],
      ['garbage', await call('not.a.jwt')],
      ['missing', missing],
    ] as const) {
      assert.equal(response.status, 401, name);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'InvalidAuthenticationToken', name);
    }
    // another tenant's token, relabelled with this tenant's id, fails this tenant's keys
    const other = await h.container.tenants.create({ displayName: 'Other', domain: `other-${Date.now()}.example` });
    const otherApp = await h.container.applications.create(tenantScope(other.tenant.id), { displayName: 'D', withSecret: true, applicationPermissions: ['User.Read.All'] });
    const foreign = await tokenRequest(base, other.tenant.id, { grant_type: 'client_credentials', client_id: otherApp.appId, client_secret: otherApp.clientSecret!, scope: `${base}/.default` });
    const [fh, fp, fs] = String(foreign.body.access_token).split('.');
    const relabelled = JSON.parse(Buffer.from(fp!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${fh}.${Buffer.from(JSON.stringify({ ...relabelled, tid, iss: `${base}/${tid}/v2.0` })).toString('base64url')}.${fs}`;
    assert.equal((await call(forged)).status, 401);
    assert.equal((await call(token, '/v1.0/groups')).status, 403, 'User.Read.All does not read groups');
    clock.offsetMs = 2 * 3600 * 1000;
    try {
      const expired = await call(token);
      assert.equal(expired.status, 401);
      assert.match(((await expired.json()) as { error: { message: string } }).error.message, /expired/);
    } finally {
      clock.offsetMs = 0;
    }
  });

  test('key rotation: new keys sign at once, old keys stay published until purged', async () => {
    const scope = tenantScope(tid);
    const before = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${base}/.default` });
    const oldKid = decodeProtectedHeader(String(before.body.access_token)).kid;
    const rotated = await h.container.oidc.rotateKeys(scope);
    assert.ok(rotated.retiredKids.includes(oldKid!));
    const afterRotation = await tokenRequest(base, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${base}/.default` });
    const newKid = decodeProtectedHeader(String(afterRotation.body.access_token)).kid;
    assert.ok(rotated.activeKids.includes(newKid!));
    const jwks = (await (await fetch(`${base}/${tid}/discovery/v2.0/keys`)).json()) as { keys: { kid: string }[] };
    assert.ok(jwks.keys.some((k) => k.kid === oldKid) && jwks.keys.some((k) => k.kid === newKid));
    await jwtVerify(String(before.body.access_token), createLocalJWKSet(jwks as never));
    assert.equal((await fetch(`${base}/v1.0/users`, { headers: { authorization: `Bearer ${before.body.access_token}` } })).status, 200, 'tokens signed by the old key still work');
    clock.offsetMs = 25 * 3600 * 1000;
    try {
      const purged = await h.container.oidc.purgeExpired([tid], tenantScope);
      assert.ok(purged.keys >= 3);
    } finally {
      clock.offsetMs = 0;
    }
    const after = (await (await fetch(`${base}/${tid}/discovery/v2.0/keys`)).json()) as { keys: { kid: string }[] };
    assert.ok(!after.keys.some((k) => k.kid === oldKid));
  });
});
