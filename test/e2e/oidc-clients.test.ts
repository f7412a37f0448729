import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient } from '../helpers/form-client.ts';
import { signInThroughPages } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

const tls = testTls();
const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Alice-Passw0rd!';

/** Drives the sign-in pages from an authorization URL to the client's redirect URI; returns the callback URL. */
async function signIn(client: FormClient, authorizationUrl: string, username: string, password: string, redirectUri = REDIRECT): Promise<URL> {
  const { redirect, page } = await signInThroughPages(client, authorizationUrl, username, password, redirectUri);
  assert.ok(redirect, `sign-in did not reach the client (${page?.status} at ${page?.url}): ${page?.html.slice(0, 1500)}`);
  return redirect;
}

describe('OpenID Connect with real clients over HTTPS', { skip: tls ? false : 'no loopback TLS certificate (run through npm test / scripts/test.mjs)' }, () => {
  let h: Harness;
  let base: string;
  let tid: string;
  let alice: string;
  let app: { appId: string; clientSecret: string | null; servicePrincipalId: string };
  let daemonReader: { appId: string; clientSecret: string | null };

  before(async () => {
    h = await createHarness('sqlite', { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key } }, realTokens: true });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    const scope = tenantScope(tid);
    const user = await h.container.users.createMember(scope, { kind: 'system', tenantId: tid }, {
      userPrincipalName: `alice@${h.tenant.domain}`,
      displayName: 'Alice Smith',
      mailNickname: 'alice',
      accountEnabled: true,
      password: PASSWORD,
    });
    alice = user.id;
    app = await h.container.applications.create(scope, { displayName: 'Web app', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    daemonReader = await h.container.applications.create(scope, { displayName: 'Daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
  });
  after(() => h?.close());

  test('discovery carries the Entra layout', async () => {
    const response = await fetch(`${base}/${h.tenant.domain}/v2.0/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, `${base}/${tid}/v2.0`);
    assert.equal(doc.authorization_endpoint, `${base}/${tid}/oauth2/v2.0/authorize`);
    assert.equal(doc.token_endpoint, `${base}/${tid}/oauth2/v2.0/token`);
    assert.equal(doc.jwks_uri, `${base}/${tid}/discovery/v2.0/keys`);
    assert.equal(doc.end_session_endpoint, `${base}/${tid}/oauth2/v2.0/logout`);
    assert.equal(doc.userinfo_endpoint, `${base}/${tid}/oidc/userinfo`);
    assert.equal(doc.tenant_region_scope, null);
    assert.ok(doc.msgraph_host);
  });

  test('openid-client: authorization code + PKCE through the sign-in pages, ID token, refresh, userinfo, Graph', async () => {
    const config = await oidc.discovery(new URL(`${base}/${tid}/v2.0`), app.appId, app.clientSecret!);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access User.Read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await signIn(new FormClient(), url.toString(), `alice@${h.tenant.domain}`, PASSWORD);
    assert.equal(callback.searchParams.get('iss'), `${base}/${tid}/v2.0`);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const idClaims = tokens.claims()!;
    assert.equal(idClaims.oid, alice);
    assert.equal(idClaims.tid, tid);
    assert.equal(idClaims.preferred_username, `alice@${h.tenant.domain}`);
    assert.equal(idClaims.name, 'Alice Smith');
    const jwks = createRemoteJWKSet(new URL(`${base}/${tid}/discovery/v2.0/keys`));
    const id = await jwtVerify(tokens.id_token!, jwks, { issuer: `${base}/${tid}/v2.0`, audience: app.appId, algorithms: ['RS256'] });
    assert.equal(id.protectedHeader.alg, 'RS256');
    const access = await jwtVerify(tokens.access_token, jwks, { issuer: `${base}/${tid}/v2.0`, audience: '00000003-0000-0000-c000-000000000000' });
    assert.equal(access.protectedHeader.alg, 'ES256');
    assert.equal(access.payload.scp, 'User.Read');
    assert.equal(access.payload.oid, alice);
    assert.equal(access.payload.azp, app.appId);
    assert.equal(access.payload.ver, '2.0');
    assert.equal(access.payload.idtyp, 'user');
    assert.ok(tokens.refresh_token, JSON.stringify(tokens));

    const me = await fetch(`${base}/v1.0/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200, await me.clone().text());
    assert.equal(((await me.json()) as { id: string }).id, alice);
    const users = await fetch(`${base}/v1.0/users`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(users.status, 403, 'User.Read alone does not list users');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    assert.equal(info.preferred_username, `alice@${h.tenant.domain}`);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'refresh tokens rotate');
    // the rotated-out refresh token is refused, and using it revokes the grant
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (error: { error?: string }) => error.error === 'invalid_grant');
    await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token!), (error: { error?: string }) => error.error === 'invalid_grant');
  });

  test('MSAL: app-only token by client credentials, user token by code; Graph authorizes both', async () => {
    const host = new URL(base).host;
    const daemon = new ConfidentialClientApplication({ auth: { clientId: daemonReader.appId, clientSecret: daemonReader.clientSecret!, authority: `${base}/${tid}/`, knownAuthorities: [host] } });
    const appOnly = await daemon.acquireTokenByClientCredential({ scopes: [`${base}/.default`] });
    assert.ok(appOnly?.accessToken);
    const claims = decodeJwt(appOnly.accessToken);
    assert.deepEqual(claims.roles, ['User.Read.All']);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.aud, '00000003-0000-0000-c000-000000000000');
    const jwks = createRemoteJWKSet(new URL(`${base}/${tid}/discovery/v2.0/keys`));
    await jwtVerify(appOnly.accessToken, jwks, { issuer: `${base}/${tid}/v2.0` });
    const list = await fetch(`${base}/v1.0/users`, { headers: { authorization: `Bearer ${appOnly.accessToken}` } });
    assert.equal(list.status, 200, await list.clone().text());
    // an app granted only Group.Read.All gets a token, but Graph refuses it the user list
    const groupsOnly = await h.container.applications.create(tenantScope(tid), { displayName: 'Groups daemon', withSecret: true, applicationPermissions: ['Group.Read.All'] });
    const groupsDaemon = new ConfidentialClientApplication({ auth: { clientId: groupsOnly.appId, clientSecret: groupsOnly.clientSecret!, authority: `${base}/${tid}/`, knownAuthorities: [host] } });
    const groupsToken = await groupsDaemon.acquireTokenByClientCredential({ scopes: [`${base}/.default`] });
    const refused = await fetch(`${base}/v1.0/users`, { headers: { authorization: `Bearer ${groupsToken!.accessToken}` } });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'Authorization_RequestDenied');
    assert.equal((await fetch(`${base}/v1.0/groups`, { headers: { authorization: `Bearer ${groupsToken!.accessToken}` } })).status, 200);

    const web = new ConfidentialClientApplication({ auth: { clientId: app.appId, clientSecret: app.clientSecret!, authority: `${base}/${tid}/`, knownAuthorities: [host] } });
    const authUrl = await web.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: REDIRECT });
    const callback = await signIn(new FormClient(), authUrl, `alice@${h.tenant.domain}`, PASSWORD);
    const result = await web.acquireTokenByCode({ code: callback.searchParams.get('code')!, scopes: ['User.Read'], redirectUri: REDIRECT });
    assert.equal(result.account?.homeAccountId, `${alice}.${tid}`, 'client_info gives MSAL its account key');
    assert.equal(result.account?.tenantId, tid);
    const me = await fetch(`${base}/v1.0/me`, { headers: { authorization: `Bearer ${result.accessToken}` } });
    assert.equal(me.status, 200);
  });

  test('MSAL with the organizations authority: home-realm discovery, then the code is redeemed without naming the tenant', async () => {
    const host = new URL(base).host;
    const web = new ConfidentialClientApplication({ auth: { clientId: app.appId, clientSecret: app.clientSecret!, authority: `${base}/organizations/`, knownAuthorities: [host] } });
    const authUrl = await web.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: REDIRECT });
    assert.ok(authUrl.startsWith(`${base}/organizations/oauth2/v2.0/authorize`));
    const callback = await signIn(new FormClient(), authUrl, `alice@${h.tenant.domain}`, PASSWORD);
    const result = await web.acquireTokenByCode({ code: callback.searchParams.get('code')!, scopes: ['User.Read'], redirectUri: REDIRECT });
    assert.equal(result.account?.homeAccountId, `${alice}.${tid}`);
    assert.equal(decodeJwt(result.accessToken).tid, tid);
    const silent = await web.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true });
    assert.ok(silent.accessToken, 'the refresh token is redeemed at organizations too');
    assert.notEqual(silent.accessToken, result.accessToken);
  });
});
