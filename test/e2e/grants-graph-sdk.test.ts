import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@microsoft/microsoft-graph-client';
import { GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * The real Graph SDK over HTTPS with a real app-only token (client credentials): an app granted
 * DelegatedPermissionGrant.ReadWrite.All and AppRoleAssignment.ReadWrite.All manages grants and
 * assignments; errors come back as GraphError with Graph's codes; an app without them is refused.
 */
const tls = testTls();

for (const dialect of testDialects) {
  describe(`grants through the Graph SDK with an app-only token (${dialect})`, { skip: tls ? false : 'no test TLS certificate (run through npm test)' }, () => {
    let h: Harness;
    let base: string;
    let client: Client;
    let weak: Client;
    let graphSpId: string;
    let target: { servicePrincipalId: string };
    let userId: string;
    const scope = () => tenantScope(h.tenant.id);

    const sdk = (token: string) => Client.init({ authProvider: (done) => done(null, token), baseUrl: `${base}/`, defaultVersion: 'v1.0', customHosts: new Set(['127.0.0.1']) });
    const appToken = async (app: { appId: string; clientSecret: string | null }) => {
      const response = await tokenRequest(base, h.tenant.id, { grant_type: 'client_credentials', client_id: app.appId, client_secret: app.clientSecret!, scope: `${base}/.default` });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return String(response.body.access_token);
    };

    before(async () => {
      h = await createHarness(dialect, { listen: true, realTokens: true, config: { tls: { cert: tls!.cert, key: tls!.key } } });
      base = h.container.config.baseUrl;
      const manager = await h.container.applications.create(scope(), { displayName: 'Grant manager', withSecret: true, applicationPermissions: ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Application.Read.All'] });
      const reader = await h.container.applications.create(scope(), { displayName: 'Reader only', withSecret: true, applicationPermissions: ['User.Read.All'] });
      target = await h.container.applications.create(scope(), { displayName: 'Target app', redirectUris: ['https://target.example/cb'] });
      graphSpId = (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!.id;
      userId = (await h.container.users.createMember(scope(), { kind: 'system', tenantId: h.tenant.id }, { userPrincipalName: `sdk@${h.tenant.domain}`, displayName: 'Sdk User', mailNickname: 'sdk', accountEnabled: true, password: 'Passw0rd!Passw0rd' })).id;
      client = sdk(await appToken(manager));
      weak = sdk(await appToken(reader));
    });
    after(() => h?.close());

    test('creates, filters, updates and deletes a grant', async () => {
      const created = await client.api('/oauth2PermissionGrants').post({ clientId: target.servicePrincipalId, consentType: 'Principal', principalId: userId, resourceId: graphSpId, scope: 'User.Read' });
      assert.equal(created.scope, 'User.Read');
      const listed = await client.api('/oauth2PermissionGrants').filter(`clientId eq '${target.servicePrincipalId}' and principalId eq '${userId}'`).get();
      assert.deepEqual(listed.value.map((g: { id: string }) => g.id), [created.id]);
      await client.api(`/oauth2PermissionGrants/${created.id}`).patch({ scope: 'User.Read User.ReadBasic.All' });
      assert.equal((await client.api(`/oauth2PermissionGrants/${created.id}`).get()).scope, 'User.Read User.ReadBasic.All');
      await assert.rejects(client.api('/oauth2PermissionGrants').post({ clientId: target.servicePrincipalId, consentType: 'Principal', principalId: userId, resourceId: graphSpId, scope: 'User.Read' }), (error: { statusCode: number }) => error.statusCode === 409);
      await client.api(`/oauth2PermissionGrants/${created.id}`).delete();
      await assert.rejects(client.api(`/oauth2PermissionGrants/${created.id}`).get(), (error: { statusCode: number; code: string }) => error.statusCode === 404 && error.code === 'Request_ResourceNotFound');
    });

    test('assigns a user to an app and removes the assignment', async () => {
      const assigned = await client.api(`/servicePrincipals/${target.servicePrincipalId}/appRoleAssignedTo`).post({ principalId: userId, resourceId: target.servicePrincipalId, appRoleId: '00000000-0000-0000-0000-000000000000' });
      assert.deepEqual([assigned.principalType, assigned.principalDisplayName, assigned.resourceDisplayName], ['User', 'Sdk User', 'Target app']);
      const mine = await client.api(`/users/${userId}/appRoleAssignments`).get();
      assert.deepEqual(mine.value.map((a: { id: string }) => a.id), [assigned.id]);
      await client.api(`/users/${userId}/appRoleAssignments/${assigned.id}`).delete();
      assert.deepEqual((await client.api(`/users/${userId}/appRoleAssignments`).get()).value, []);
    });

    test('an app without the permissions is refused with Authorization_RequestDenied', async () => {
      await assert.rejects(weak.api('/oauth2PermissionGrants').get(), (error: { statusCode: number; code: string }) => error.statusCode === 403 && error.code === 'Authorization_RequestDenied');
      await assert.rejects(weak.api(`/users/${userId}/appRoleAssignments`).post({ principalId: userId, resourceId: target.servicePrincipalId, appRoleId: '00000000-0000-0000-0000-000000000000' }), (error: { statusCode: number }) => error.statusCode === 403);
    });
  });
}
