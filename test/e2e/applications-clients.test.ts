import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { applicationsRepo, GRAPH_APP_ID, graphPermission, grantsRepo } from '../../src/modules/consent/index.ts';
import { inTransaction } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { selfSignedCertificate } from '../helpers/certificates.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient } from '../helpers/form-client.ts';
import { graphCaller } from '../helpers/graph.ts';
import { signInThroughPages } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * Apps registered through Graph used by real clients over HTTPS (issue 16 item 1):
 * - MSAL's clientCertificate (a private_key_jwt client assertion with an x5t#S256 or x5t header)
 *   against a certificate added with Graph's addKey;
 * - a multi-tenant app registered in tenant B signing a user of tenant A in, once A has its
 *   service principal and a tenant-wide grant; a disabled service principal in A refuses it.
 */
const tls = testTls();
const cert = selfSignedCertificate('msal-daemon');
const REDIRECT = 'http://localhost:8766/callback';
const PASSWORD = 'Alice-Passw0rd!';

for (const dialect of testDialects) {
  describe(`applications with real clients (${dialect})`, { skip: tls && cert ? false : 'no loopback TLS certificate or openssl (run through scripts/test.mjs)' }, () => {
    let h: Harness;
    let base: string;
    let host: string;
    let tid: string;

    before(async () => {
      h = await createHarness(dialect, { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key } } });
      base = h.container.config.baseUrl;
      host = new URL(base).host;
      tid = h.tenant.id;
    });
    after(() => h?.close());

    test('the Graph SDK registers, pages, reads by appId, adds a secret and instantiates', async () => {
      const client = Client.init({ authProvider: (done) => done(null, h.tokens.user(tid, h.tenant.adminId, ['Application.ReadWrite.All'])), baseUrl: `${base}/`, defaultVersion: 'v1.0', customHosts: new Set(['127.0.0.1']) });
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await client.api('/applications').post({ displayName: `SDK app ${i}`, spa: { redirectUris: [`https://sdk${i}.example/`] } })).id as string);
      const seen: string[] = [];
      const first = await client.api('/applications').top(2).filter("startswith(displayName,'SDK app')").select('id,displayName,appId').get();
      await new PageIterator(client, first, (app: { id: string }) => {
        seen.push(app.id);
        return true;
      }).iterate();
      assert.deepEqual(seen.toSorted(), [...ids].toSorted());
      const one = await client.api('/applications').filter("displayName eq 'SDK app 3'").get();
      const appId = one.value[0].appId as string;
      const byKey = await client.api(`/applications(appId='${appId}')`).get();
      assert.equal(byKey.displayName, 'SDK app 3');
      const secret = await client.api(`/applications/${byKey.id}/addPassword`).post({ passwordCredential: { displayName: 'sdk' } });
      assert.ok(secret.secretText);
      const sp = await client.api(`/servicePrincipals(appId='${appId}')`).get();
      assert.deepEqual(sp.replyUrls, ['https://sdk3.example/']);
      await client.api(`/servicePrincipals/${sp.id}`).patch({ appRoleAssignmentRequired: true });
      assert.equal((await client.api(`/servicePrincipals/${sp.id}`).select('appRoleAssignmentRequired').get()).appRoleAssignmentRequired, true);
      await assert.rejects(client.api('/applications').post({ displayName: 'Personal', signInAudience: 'AzureADandPersonalMicrosoftAccount' }), (error: { statusCode: number; code: string }) => error.statusCode === 400 && error.code === 'Request_BadRequest');
      await client.api(`/applications/${byKey.id}`).delete();
      await assert.rejects(client.api(`/servicePrincipals/${sp.id}`).get(), (error: { statusCode: number }) => error.statusCode === 404);
    });

    test("a native app's custom-scheme redirect URI is accepted by the authorization endpoint", async () => {
      const admin = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Application.ReadWrite.All']));
      const created = await admin('POST', '/applications', { displayName: 'Native', isFallbackPublicClient: true, publicClient: { redirectUris: ['http://localhost'] } });
      const redirect = `msal${created.body.appId}://auth`;
      assert.equal((await admin('PATCH', `/applications/${created.body.id}`, { publicClient: { redirectUris: ['http://localhost', redirect] } })).status, 204);
      assert.equal((await admin('PATCH', `/applications/${created.body.id}`, { spa: { redirectUris: ['https://localhost:3000/'] } })).status, 400, 'https loopback cannot go with a native scheme');
      const params = new URLSearchParams({ client_id: created.body.appId, redirect_uri: redirect, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
      const response = await fetch(`${base}/${tid}/oauth2/v2.0/authorize?${params}`, { redirect: 'manual' });
      assert.ok([302, 303].includes(response.status), `${response.status}: ${(await response.text()).slice(0, 300)}`);
      assert.match(response.headers.get('location') ?? '', /\/interaction\//);
    });

    test('MSAL clientCertificate: an app-only token with a certificate added by Graph addKey', async () => {
      const scope = tenantScope(tid);
      const daemon = await h.container.applications.create(scope, { displayName: 'Certificate daemon', applicationPermissions: ['User.Read.All'] });
      const admin = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Application.ReadWrite.All']));
      const added = await admin('POST', `/applications(appId='${daemon.appId}')/addKey`, { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: cert!.der.toString('base64') } });
      assert.equal(added.status, 200, added.text);
      const jwks = createRemoteJWKSet(new URL(`${base}/${tid}/discovery/v2.0/keys`));
      const sha256 = createHash('sha256').update(cert!.der).digest('hex');
      const sha1 = createHash('sha1').update(cert!.der).digest('hex');
      // newer MSAL: PS256 with x5t#S256; older: RS256 with x5t (SHA-1)
      for (const thumbprint of [{ thumbprintSha256: sha256 }, { thumbprint: sha1 }]) {
        const msal = new ConfidentialClientApplication({ auth: { clientId: daemon.appId, authority: `${base}/${tid}/`, knownAuthorities: [host], clientCertificate: { ...thumbprint, privateKey: cert!.privateKey, x5c: cert!.certificate } } });
        const result = await msal.acquireTokenByClientCredential({ scopes: [`${base}/.default`], skipCache: true });
        assert.ok(result?.accessToken);
        const { payload } = await jwtVerify(result.accessToken, jwks, { issuer: `${base}/${tid}/v2.0`, audience: GRAPH_APP_ID });
        assert.deepEqual(payload.roles, ['User.Read.All']);
        assert.equal(payload.azpacr, '2', 'authenticated with a certificate');
        const users = await fetch(`${base}/v1.0/users`, { headers: { authorization: `Bearer ${result.accessToken}` } });
        assert.equal(users.status, 200);
      }
      // with a client secret as well, either credential authenticates (as in Entra)
      const secret = (await admin('POST', `/applications(appId='${daemon.appId}')/addPassword`, {})).body.secretText as string;
      const bySecret = new ConfidentialClientApplication({ auth: { clientId: daemon.appId, clientSecret: secret, authority: `${base}/${tid}/`, knownAuthorities: [host] } });
      assert.equal(decodeJwt((await bySecret.acquireTokenByClientCredential({ scopes: [`${base}/.default`], skipCache: true }))!.accessToken).azpacr, '1');
      const byCertificate = new ConfidentialClientApplication({ auth: { clientId: daemon.appId, authority: `${base}/${tid}/`, knownAuthorities: [host], clientCertificate: { thumbprintSha256: sha256, privateKey: cert!.privateKey } } });
      assert.equal(decodeJwt((await byCertificate.acquireTokenByClientCredential({ scopes: [`${base}/.default`], skipCache: true }))!.accessToken).azpacr, '2');
      // another certificate's key does not pass, and a removed certificate stops working
      const other = selfSignedCertificate('not-registered')!;
      const impostor = new ConfidentialClientApplication({ auth: { clientId: daemon.appId, authority: `${base}/${tid}/`, knownAuthorities: [host], clientCertificate: { thumbprintSha256: sha256, privateKey: other.privateKey } } });
      await assert.rejects(impostor.acquireTokenByClientCredential({ scopes: [`${base}/.default`], skipCache: true }), /invalid_client/);
      assert.equal((await admin('POST', `/applications(appId='${daemon.appId}')/removeKey`, { keyId: added.body.keyId })).status, 204);
      const removed = new ConfidentialClientApplication({ auth: { clientId: daemon.appId, authority: `${base}/${tid}/`, knownAuthorities: [host], clientCertificate: { thumbprintSha256: sha256, privateKey: cert!.privateKey } } });
      await assert.rejects(removed.acquireTokenByClientCredential({ scopes: [`${base}/.default`], skipCache: true }), /invalid_client|unauthorized_client/);
    });

    test("a multi-tenant app of tenant B signs a user of tenant A in, with the scopes A's grant gives", async () => {
      const scopeA = tenantScope(tid);
      const domainB = `fabrikam-e2e-${dialect}-${process.pid}.example`;
      const b = await h.container.tenants.create({ displayName: 'Fabrikam', domain: domainB, admin: { email: `admin@${domainB}`, password: 'Admin-Passw0rd!' } });
      const adminB = graphCaller(h.app, h.tokens.user(b.tenant.id, b.adminUserId!, ['Application.ReadWrite.All']));
      const userRead = graphPermission('User.Read')!;
      const created = await adminB('POST', '/applications', {
        displayName: 'Fabrikam Notes',
        signInAudience: 'AzureADMultipleOrgs',
        web: { redirectUris: [REDIRECT] },
        requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: userRead.scopeId, type: 'Scope' }] }],
      });
      assert.equal(created.status, 201, created.text);
      const appId = created.body.appId as string;
      const secret = (await adminB('POST', `/applications/${created.body.id}/addPassword`, { passwordCredential: { displayName: 'e2e' } })).body.secretText as string;
      await h.container.users.createMember(scopeA, { kind: 'system', tenantId: tid }, { userPrincipalName: `alice@${h.tenant.domain}`, displayName: 'Alice', mailNickname: 'alice', accountEnabled: true, password: PASSWORD });

      // what a first consent in A records: A's service principal for B's app, and the grant
      const sp = await inTransaction(h.db, scopeA, async (tdb) => {
        const instantiated = await h.container.applications.ensureServicePrincipal(tdb, scopeA, appId);
        const graph = (await applicationsRepo.findServicePrincipalByAppId(tdb, GRAPH_APP_ID))!;
        await grantsRepo.mergePermissionGrant(tdb, { clientId: instantiated.id, resourceId: graph.id, consentType: 'AllPrincipals', principalId: null, scopes: ['User.Read'] }, new Date().toISOString());
        return instantiated;
      });
      h.container.applications.invalidate(scopeA);
      assert.equal(sp.appOwnerOrganizationId, b.tenant.id);
      assert.equal(sp.publisherName, 'Fabrikam');

      const config = await oidc.discovery(new URL(`${base}/${tid}/v2.0`), appId, secret);
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid profile User.Read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const { redirect, page } = await signInThroughPages(new FormClient(), url.toString(), `alice@${h.tenant.domain}`, PASSWORD, REDIRECT);
      assert.ok(redirect, `sign-in did not reach the app: ${page?.status} ${page?.html.slice(0, 800)}`);
      const tokens = await oidc.authorizationCodeGrant(config, redirect, { pkceCodeVerifier: verifier });
      const access = decodeJwt(tokens.access_token);
      assert.equal(access.tid, tid);
      assert.equal(access.azp, appId);
      assert.equal(access.scp, 'User.Read');
      assert.equal((await fetch(`${base}/v1.0/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status, 200);

      // no app-only tokens in A for B's app beyond what A granted (none), and a disabled service principal refuses it
      const adminA = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Application.ReadWrite.All']));
      assert.equal((await adminA('PATCH', `/servicePrincipals/${sp.id}`, { accountEnabled: false })).status, 204);
      const refused = await fetch(oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }), { redirect: 'manual' });
      assert.notEqual(refused.status, 302, 'no redirect with a code to the app');
      assert.match(await refused.text(), /client/i);
    });
  });
}
