import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { certificateCredential, GRAPH_APP_ID, graphPermission } from '../../src/modules/consent/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { selfSignedCertificate } from '../helpers/certificates.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Graph's /applications and /servicePrincipals (issue 16 item 1): shapes, alternate keys, listing,
 * changes reaching the service principal, secrets and certificates, classifications, multi-tenant
 * instantiation, and the bad input and foreign ids that must change nothing.
 */
const USER_READ = graphPermission('User.Read')!;
const USER_READ_ALL = graphPermission('User.Read.All')!;

function scopeEntry(id: string, value: string, extra: Record<string, unknown> = {}) {
  return { id, value, type: 'User', isEnabled: true, adminConsentDisplayName: `Admin ${value}`, adminConsentDescription: `Lets the app ${value}`, userConsentDisplayName: `You ${value}`, userConsentDescription: `Lets the app ${value} for you`, ...extra };
}

for (const dialect of testDialects) {
  describe(`Graph applications and service principals (${dialect})`, () => {
    let h: Harness;
    let admin: Graph;
    let tenantB: { id: string; admin: Graph; name: string };
    const cert = selfSignedCertificate('graph-test-app');

    before(async () => {
      h = await createHarness(dialect);
      admin = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['Application.ReadWrite.All', 'Policy.ReadWrite.PermissionGrant']));
      const domain = `fabrikam${process.pid}${dialect}.example`;
      const created = await h.container.tenants.create({ displayName: 'Fabrikam Ltd', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
      tenantB = { id: created.tenant.id, admin: graphCaller(h.app, h.tokens.user(created.tenant.id, created.adminUserId!, ['Application.ReadWrite.All'])), name: 'Fabrikam Ltd' };
    });
    after(() => h?.close());

    test('POST /applications creates the registration and its service principal, in Graph shapes', async () => {
      const created = await admin('POST', '/applications', { displayName: 'Contoso Web', web: { redirectUris: ['https://web.contoso.example/signin'] }, info: { privacyStatementUrl: 'https://contoso.example/privacy' } });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body['@odata.context'], /\$metadata#applications\/\$entity$/);
      assert.equal(created.body.signInAudience, 'AzureADMyOrg');
      assert.equal(created.body.publisherDomain, h.tenant.domain);
      assert.deepEqual(created.body.verifiedPublisher, { displayName: null, verifiedPublisherId: null, addedDateTime: null });
      assert.deepEqual(created.body.web.redirectUris, ['https://web.contoso.example/signin']);
      assert.equal(created.body.info.privacyStatementUrl, 'https://contoso.example/privacy');
      assert.deepEqual(created.body.passwordCredentials, []);
      const { appId, id } = created.body as { appId: string; id: string };

      const byKey = await admin('GET', `/applications(appId='${appId}')`);
      assert.equal(byKey.status, 200, byKey.text);
      assert.equal(byKey.body.id, id);
      const selected = await admin('GET', `/applications/${id}?$select=displayName,appId`);
      assert.deepEqual(Object.keys(selected.body).sort(), ['@odata.context', 'appId', 'displayName']);

      const sp = await admin('GET', `/servicePrincipals(appId='${appId}')`);
      assert.equal(sp.status, 200, sp.text);
      assert.equal(sp.body.appOwnerOrganizationId, h.tenant.id);
      assert.equal(sp.body.publisherName, 'Contoso');
      assert.equal(sp.body.servicePrincipalType, 'Application');
      assert.equal(sp.body.appRoleAssignmentRequired, false);
      assert.deepEqual(sp.body.replyUrls, ['https://web.contoso.example/signin']);
      const audit = await h.db.db.selectFrom('audit_events').select(['actor_id', 'target_id']).where('tenant_id', '=', h.tenant.id).where('action', '=', 'Add application').where('target_id', '=', id).execute();
      assert.deepEqual(audit, [{ actor_id: h.tenant.adminId, target_id: id }], 'the change is audited with who made it');
    });

    test('lists filter on appId and displayName, page with $top and count with ConsistencyLevel', async () => {
      for (const name of ['Paged A', 'Paged B', 'Paged C']) assert.equal((await admin('POST', '/applications', { displayName: name })).status, 201);
      const first = await admin('GET', "/applications?$filter=startswith(displayName,'Paged')&$top=2");
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.value.length, 2);
      const next = new URL(first.body['@odata.nextLink']);
      const second = await admin('GET', `${next.pathname.replace(/^\/v1\.0/, '')}${next.search}`);
      assert.equal(second.body.value.length, 1);
      const names = [...first.body.value, ...second.body.value].map((a: { displayName: string }) => a.displayName).sort();
      assert.deepEqual(names, ['Paged A', 'Paged B', 'Paged C']);
      const one = await admin('GET', `/applications?$filter=appId eq '${first.body.value[0].appId}'`);
      assert.equal(one.body.value.length, 1);
      const count = await admin('GET', "/applications/$count?$filter=startswith(displayName,'Paged')", undefined, { consistencylevel: 'eventual' });
      assert.equal(count.text, '3');
      // the admin center's lists: $search with $count and ConsistencyLevel, and its $select
      const searched = await admin('GET', '/applications?$search="displayName:paged"&$count=true&$select=id,appId,displayName,signInAudience,createdDateTime,publisherDomain&$top=2', undefined, { consistencylevel: 'eventual' });
      assert.equal(searched.status, 200, searched.text);
      assert.equal(searched.body['@odata.count'], 3);
      assert.equal(searched.body.value.length, 2);
      const spSearch = await admin('GET', '/servicePrincipals?$search="displayName:paged"&$count=true&$select=id,appId,displayName,appOwnerOrganizationId,accountEnabled,publisherName,verifiedPublisher', undefined, { consistencylevel: 'eventual' });
      assert.equal(spSearch.body['@odata.count'], 3);
      assert.equal((await admin('GET', '/applications?$search="displayName:paged"')).status, 400, '$search needs ConsistencyLevel: eventual');
      const sps = await admin('GET', `/servicePrincipals?$filter=appId eq '${GRAPH_APP_ID}'&$select=displayName,publisherName`);
      assert.deepEqual(sps.body.value, [{ displayName: 'Microsoft Graph', publisherName: 'Microsoft Services' }]);
    });

    test('scopes and roles: Graph rules, and changes reach the service principal', async () => {
      const { body: app } = await admin('POST', '/applications', { displayName: 'Contoso API' });
      const scopeId = '5f8b7c1e-0a4d-4f3e-9b2a-1c3d5e7f9a01';
      const roleId = '6a9c8d2f-1b5e-4a4f-8c3b-2d4e6f8a0b12';
      const patch = await admin('PATCH', `/applications/${app.id}`, {
        identifierUris: [`api://${app.appId}`],
        api: { oauth2PermissionScopes: [scopeEntry(scopeId, 'Notes.Read')] },
        appRoles: [{ id: roleId, value: 'Notes.Admin', displayName: 'Notes admins', description: 'Administer notes', allowedMemberTypes: ['User', 'Application'], isEnabled: true }],
      });
      assert.equal(patch.status, 204, patch.text);
      const sp = await admin('GET', `/servicePrincipals(appId='${app.appId}')`);
      assert.deepEqual(sp.body.oauth2PermissionScopes.map((s: { value: string }) => s.value), ['Notes.Read']);
      assert.deepEqual(sp.body.appRoles.map((r: { value: string }) => r.value), ['Notes.Admin']);
      assert.ok(sp.body.servicePrincipalNames.includes(`api://${app.appId}`));

      const refused = async (body: unknown, pattern: RegExp) => {
        const before = await admin('GET', `/applications/${app.id}`);
        const response = await admin('PATCH', `/applications/${app.id}`, body);
        assert.equal(response.status, 400, `${JSON.stringify(body)}: ${response.text}`);
        assert.equal(response.body.error.code, 'Request_BadRequest');
        assert.match(response.body.error.message, pattern);
        assert.deepEqual((await admin('GET', `/applications/${app.id}`)).body, before.body, 'nothing changed');
      };
      await refused({ api: { oauth2PermissionScopes: [scopeEntry(scopeId, 'Notes.Read'), scopeEntry('7b0d9e3a-2c6f-4b5a-9d4c-3e5f7a9b1c23', 'notes.read')] } }, /more than once/);
      await refused({ api: { oauth2PermissionScopes: [scopeEntry(scopeId, 'Notes Read')] } }, /whitespace/);
      await refused({ api: { oauth2PermissionScopes: [scopeEntry(scopeId, 'x'.repeat(121))] } }, /limit of 120/);
      await refused({ api: { oauth2PermissionScopes: [] } }, /must be disabled/);
      await refused({ appRoles: [] }, /must be disabled/);
      await refused({ identifierUris: ['https://evil.example/api'] }, /verified domain/);
      await refused({ identifierUris: ['api://00000000-0000-0000-0000-000000000001'] }, /api:\/\//);
      await refused({ signInAudience: 'PersonalMicrosoftAccount' }, /personal Microsoft accounts/);
      await refused({ web: { redirectUris: ['http://evil.example/callback'] } }, /not an acceptable redirect URI/);
      await refused({ spa: { redirectUris: ['javascript:alert(1)'] } }, /not an acceptable redirect URI/);
      await refused({ publicClient: { redirectUris: ['file:///etc/passwd'] } }, /not an acceptable redirect URI/);
      await refused({ info: { termsOfServiceUrl: 'http://contoso.example/terms' } }, /https/);
      await refused({ verifiedPublisher: { displayName: 'Me', verifiedPublisherId: '1' } }, /read-only/);
      await refused({ publisherDomain: 'evil.example' }, /read-only/);
      await refused({ notAProperty: true }, /does not exist/);
      await refused({ requiredResourceAccess: [{ resourceAppId: '11111111-2222-3333-4444-555555555555', resourceAccess: [] }] }, /neither Microsoft Graph nor an application known/);
      await refused({ requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: scopeId, type: 'Scope' }] }] }, /no delegated permission/);
      await refused({ requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: USER_READ.scopeId, type: 'Role' }] }] }, /no application permission/);

      // Graph's order: disable a scope, then remove it; its classifications go with it
      const graphRra = [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: USER_READ.scopeId, type: 'Scope' }, { id: USER_READ_ALL.roleId, type: 'Role' }] }, { resourceAppId: app.appId, resourceAccess: [{ id: scopeId, type: 'Scope' }] }];
      assert.equal((await admin('PATCH', `/applications/${app.id}`, { requiredResourceAccess: graphRra })).status, 204);
      assert.equal((await admin('POST', `/servicePrincipals/${sp.body.id}/delegatedPermissionClassifications`, { permissionId: scopeId, permissionName: 'Notes.Read', classification: 'low' })).status, 201);
      assert.equal((await admin('PATCH', `/applications/${app.id}`, { api: { oauth2PermissionScopes: [scopeEntry(scopeId, 'Notes.Read', { isEnabled: false })] } })).status, 204);
      assert.equal((await admin('PATCH', `/applications/${app.id}`, { api: { oauth2PermissionScopes: [] }, requiredResourceAccess: [graphRra[0]] })).status, 204);
      assert.deepEqual((await admin('GET', `/servicePrincipals/${sp.body.id}/delegatedPermissionClassifications`)).body.value, []);
      assert.deepEqual((await admin('GET', `/servicePrincipals/${sp.body.id}`)).body.oauth2PermissionScopes, []);
    });

    test('addPassword shows the secret once; removePassword; the secret authenticates until removed', async () => {
      const { body: app } = await admin('POST', '/applications', { displayName: 'Secrets' });
      const added = await admin('POST', `/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'ci' } });
      assert.equal(added.status, 200, added.text);
      const { secretText, keyId, hint } = added.body as { secretText: string; keyId: string; hint: string };
      assert.ok(secretText.length >= 32);
      assert.equal(hint, secretText.slice(0, 3));
      const listed = await admin('GET', `/applications/${app.id}`);
      assert.deepEqual(listed.body.passwordCredentials.map((c: { keyId: string; secretText: null }) => [c.keyId, c.secretText]), [[keyId, null]]);
      assert.ok(!listed.text.includes(secretText));
      const scope = tenantScope(h.tenant.id);
      const client = await h.container.applications.client(scope, app.appId);
      assert.ok(client && h.container.applications.secretMatches(client.application, secretText));
      assert.equal((await admin('POST', `/applications/${app.id}/addPassword`, { passwordCredential: { endDateTime: '2001-01-01T00:00:00Z' } })).status, 400);
      assert.equal((await admin('POST', `/applications/${app.id}/addPassword`, { passwordCredential: { secretText: 'chosen-by-me' } })).status, 400);
      assert.equal((await admin('POST', `/applications/${app.id}/removePassword`, { keyId: '00000000-0000-0000-0000-000000000009' })).status, 404);
      assert.equal((await admin('POST', `/applications/${app.id}/removePassword`, { keyId })).status, 204);
      const after = await h.container.applications.client(scope, app.appId);
      assert.ok(after && !h.container.applications.secretMatches(after.application, secretText));
    });

    test('certificates: addKey stores the public key as a JWK with thumbprints; bad and expired certificates are refused', { skip: cert ? false : 'no openssl' }, async () => {
      const { body: app } = await admin('POST', '/applications', { displayName: 'Certificates' });
      const key = cert!.der.toString('base64');
      const added = await admin('POST', `/applications/${app.id}/addKey`, { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key }, proof: 'unused' });
      assert.equal(added.status, 200, added.text);
      assert.equal(added.body.key, null);
      assert.match(added.body.customKeyIdentifier, /^[0-9A-F]{40}$/);
      assert.equal(added.body.displayName, 'CN=graph-test-app');
      const stored = (await h.container.applications.client(tenantScope(h.tenant.id), app.appId))!.application.keyCredentials[0]!;
      const jwk = JSON.parse(stored.key) as Record<string, unknown>;
      assert.equal(jwk.kty, 'RSA');
      assert.deepEqual(jwk.x5c, [key]);
      assert.equal(typeof jwk.x5t, 'string');
      assert.equal(typeof jwk['x5t#S256'], 'string');
      assert.equal(jwk.d, undefined, 'no private part');
      assert.equal((await admin('POST', `/applications/${app.id}/addKey`, { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key } })).status, 400, 'the same certificate twice');
      assert.equal((await admin('POST', `/applications/${app.id}/addKey`, { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: 'bm90IGEgY2VydA==' } })).status, 400);
      assert.equal((await admin('POST', `/applications/${app.id}/addKey`, { keyCredential: { type: 'Symmetric', usage: 'Verify', key } })).status, 400);
      assert.equal((await admin('POST', `/applications/${app.id}/addKey`, { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Sign', key } })).status, 400);
      assert.equal((await admin('POST', `/applications/${app.id}/addKey`, { keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: 'A'.repeat(20_000) } })).status, 400);
      // a certificate past its end date (the server's clock a year on)
      assert.throws(() => certificateCredential({ key }, new Date(Date.now() + 365 * 24 * 3600_000)), (error: Error) => /expired/.test(error.message));
      // PATCH keyCredentials keeps an existing key named by keyId (GET shows keys as null) and drops the rest
      assert.equal((await admin('PATCH', `/applications/${app.id}`, { keyCredentials: [{ keyId: added.body.keyId, type: 'AsymmetricX509Cert', usage: 'Verify', key: null }] })).status, 204);
      assert.equal((await admin('GET', `/applications/${app.id}`)).body.keyCredentials.length, 1);
      assert.equal((await admin('POST', `/applications/${app.id}/removeKey`, { keyId: added.body.keyId, proof: 'unused' })).status, 204);
      assert.deepEqual((await admin('GET', `/applications/${app.id}`)).body.keyCredentials, []);
    });

    test('service principals: update, the managed ones refuse changes, delete and instantiate again', async () => {
      const { body: app } = await admin('POST', '/applications', { displayName: 'Enterprise app' });
      const sp = (await admin('GET', `/servicePrincipals(appId='${app.appId}')`)).body;
      assert.equal((await admin('PATCH', `/servicePrincipals/${sp.id}`, { appRoleAssignmentRequired: true, tags: ['HideApp'] })).status, 204);
      const changed = (await admin('GET', `/servicePrincipals/${sp.id}`)).body;
      assert.equal(changed.appRoleAssignmentRequired, true);
      assert.deepEqual(changed.tags, ['HideApp']);
      assert.equal((await admin('PATCH', `/servicePrincipals/${sp.id}`, { replyUrls: ['https://x.example'] })).status, 400);
      assert.equal((await admin('PATCH', `/servicePrincipals/${sp.id}`, { appId: GRAPH_APP_ID })).status, 400);
      const graph = (await admin('GET', `/servicePrincipals(appId='${GRAPH_APP_ID}')`)).body;
      assert.equal((await admin('PATCH', `/servicePrincipals/${graph.id}`, { accountEnabled: false })).status, 400);
      assert.equal((await admin('DELETE', `/servicePrincipals/${graph.id}`)).status, 400);
      const adminCenter = (await admin('GET', "/applications?$filter=displayName eq 'Tessera admin center'")).body.value[0];
      assert.equal((await admin('PATCH', `/applications/${adminCenter.id}`, { displayName: 'Mine now' })).status, 400);
      assert.equal((await admin('POST', '/servicePrincipals', { appId: app.appId })).status, 409);
      assert.equal((await admin('DELETE', `/servicePrincipals/${sp.id}`)).status, 204);
      assert.equal((await admin('GET', `/servicePrincipals/${sp.id}`)).status, 404);
      const again = await admin('POST', '/servicePrincipals', { appId: app.appId, appRoleAssignmentRequired: true });
      assert.equal(again.status, 201, again.text);
      assert.equal(again.body.appRoleAssignmentRequired, true);
      const audited = await h.db.db.selectFrom('audit_events').select(['actor_id']).where('tenant_id', '=', h.tenant.id).where('action', '=', 'Add service principal').where('target_id', '=', again.body.id).execute();
      assert.deepEqual(audited, [{ actor_id: h.tenant.adminId }]);
      assert.equal((await admin('POST', '/servicePrincipals', { appId: '11111111-2222-3333-4444-555555555555' })).status, 400);
      assert.equal((await admin('DELETE', `/applications/${app.id}`)).status, 204);
      assert.equal((await admin('GET', `/servicePrincipals/${again.body.id}`)).status, 404, 'the service principal went with its application');
      assert.equal((await admin('GET', `/applications(appId='${app.appId}')`)).status, 404);
    });

    test('two instantiations or classifications at once: exactly one wins, the other is a conflict', async () => {
      const { body: app } = await admin('POST', '/applications', { displayName: 'Raced' });
      const sp = (await admin('GET', `/servicePrincipals(appId='${app.appId}')`)).body;
      assert.equal((await admin('DELETE', `/servicePrincipals/${sp.id}`)).status, 204);
      const created = await Promise.all([1, 2, 3].map(() => admin('POST', '/servicePrincipals', { appId: app.appId })));
      assert.deepEqual(created.map((r) => r.status).sort(), [201, 409, 409], created.map((r) => r.text).join('\n'));
      assert.equal((await admin('GET', `/servicePrincipals?$filter=appId eq '${app.appId}'`)).body.value.length, 1);
      const graph = (await admin('GET', `/servicePrincipals(appId='${GRAPH_APP_ID}')`)).body;
      const path = `/servicePrincipals/${graph.id}/delegatedPermissionClassifications`;
      const profile = graphPermission('profile')!;
      const classified = await Promise.all([1, 2, 3].map(() => admin('POST', path, { permissionId: profile.scopeId, classification: 'low' })));
      assert.deepEqual(classified.map((r) => r.status).sort(), [201, 409, 409], classified.map((r) => r.text).join('\n'));
      const listed = (await admin('GET', path)).body.value as { id: string; permissionId: string }[];
      assert.equal(listed.filter((c) => c.permissionId === profile.scopeId).length, 1);
      for (const c of listed) await admin('DELETE', `${path}/${c.id}`);
    });

    test('delegatedPermissionClassifications: one per delegated scope of the resource', async () => {
      const graph = (await admin('GET', `/servicePrincipals(appId='${GRAPH_APP_ID}')`)).body;
      const path = `/servicePrincipals/${graph.id}/delegatedPermissionClassifications`;
      const created = await admin('POST', path, { permissionId: USER_READ.scopeId, permissionName: 'User.Read', classification: 'low' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.body).sort(), ['@odata.context', 'classification', 'id', 'permissionId', 'permissionName']);
      assert.equal((await admin('POST', path, { permissionId: USER_READ.scopeId, classification: 'medium' })).status, 409);
      assert.equal((await admin('POST', path, { permissionId: USER_READ_ALL.roleId, classification: 'low' })).status, 400, 'an app role is not a delegated scope');
      assert.equal((await admin('POST', path, { permissionId: USER_READ.scopeId, permissionName: 'User.ReadWrite', classification: 'low' })).status, 400);
      assert.equal((await admin('POST', path, { permissionId: graphPermission('email')!.scopeId, classification: 'none' })).status, 400);
      const listed = await admin('GET', path);
      assert.deepEqual(listed.body.value.map((c: { permissionName: string; classification: string }) => [c.permissionName, c.classification]), [['User.Read', 'low']]);
      assert.deepEqual((await h.container.applications.classifications(tenantScope(h.tenant.id), graph.id)).map((c) => c.permissionName), ['User.Read']);
      assert.equal((await admin('DELETE', `${path}/${created.body.id}`)).status, 204);
      assert.equal((await admin('DELETE', `${path}/${created.body.id}`)).status, 404);
    });

    test('callers: members read but may not change; an app with Application.ReadWrite.All may; guests and scope-less callers may not', async () => {
      const scope = tenantScope(h.tenant.id);
      const system = { kind: 'system' as const, tenantId: h.tenant.id };
      const member = await h.container.users.createMember(scope, system, { userPrincipalName: `member@${h.tenant.domain}`, displayName: 'Member', mailNickname: 'member', accountEnabled: true, password: 'Member-Passw0rd!' });
      const asMember = graphCaller(h.app, h.tokens.user(h.tenant.id, member.id, ['Application.ReadWrite.All']));
      assert.equal((await asMember('GET', '/applications')).status, 200);
      assert.equal((await asMember('POST', '/applications', { displayName: 'Nope' })).status, 403);
      const { body: app } = await admin('POST', '/applications', { displayName: 'Guarded' });
      assert.equal((await asMember('PATCH', `/applications/${app.id}`, { displayName: 'Taken' })).status, 403);
      assert.equal((await asMember('POST', `/applications/${app.id}/addPassword`, {})).status, 403);
      const graph = (await admin('GET', `/servicePrincipals(appId='${GRAPH_APP_ID}')`)).body;
      assert.equal((await asMember('POST', `/servicePrincipals/${graph.id}/delegatedPermissionClassifications`, { permissionId: USER_READ.scopeId, classification: 'low' })).status, 403);
      const noScope = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']));
      assert.equal((await noScope('GET', '/applications')).status, 403);
      const daemon = graphCaller(h.app, h.tokens.app(h.tenant.id, ['Application.ReadWrite.All']));
      assert.equal((await daemon('POST', '/applications', { displayName: 'Made by a daemon' })).status, 201);
      const reader = graphCaller(h.app, h.tokens.app(h.tenant.id, ['Application.Read.All']));
      assert.equal((await reader('DELETE', `/applications/${app.id}`)).status, 403);
      assert.equal((await admin('GET', `/applications/${app.id}`)).body.displayName, 'Guarded');
    });

    test("another tenant's ids find nothing and change nothing", async () => {
      const { body: appB } = await tenantB.admin('POST', '/applications', { displayName: 'B only', api: { oauth2PermissionScopes: [scopeEntry('8c1e0f4b-3d7a-4c6b-8e5d-4f6a8b0c2d34', 'B.Read')] } });
      const spB = (await tenantB.admin('GET', `/servicePrincipals(appId='${appB.appId}')`)).body;
      for (const [method, path, body] of [
        ['GET', `/applications/${appB.id}`],
        ['GET', `/applications(appId='${appB.appId}')`],
        ['PATCH', `/applications/${appB.id}`, { displayName: 'Hijacked' }],
        ['DELETE', `/applications/${appB.id}`],
        ['POST', `/applications/${appB.id}/addPassword`, {}],
        ['GET', `/servicePrincipals/${spB.id}`],
        ['PATCH', `/servicePrincipals/${spB.id}`, { accountEnabled: false }],
        ['DELETE', `/servicePrincipals/${spB.id}`],
        ['GET', `/servicePrincipals/${spB.id}/delegatedPermissionClassifications`],
        ['POST', `/servicePrincipals/${spB.id}/delegatedPermissionClassifications`, { permissionId: '8c1e0f4b-3d7a-4c6b-8e5d-4f6a8b0c2d34', classification: 'low' }],
      ] as const) {
        const response = await admin(method, path, body);
        assert.equal(response.status, 404, `${method} ${path}: ${response.text}`);
      }
      assert.equal((await admin('GET', `/applications?$filter=appId eq '${appB.appId}'`)).body.value.length, 0);
      // B's single-tenant app cannot be instantiated in A, nor named as a resource
      assert.equal((await admin('POST', '/servicePrincipals', { appId: appB.appId })).status, 400);
      assert.equal((await admin('POST', '/applications', { displayName: 'Uses B', requiredResourceAccess: [{ resourceAppId: appB.appId, resourceAccess: [] }] })).status, 400);
      const stillB = await tenantB.admin('GET', `/applications/${appB.id}`);
      assert.equal(stillB.body.displayName, 'B only');
      assert.equal((await tenantB.admin('GET', `/servicePrincipals/${spB.id}`)).body.accountEnabled, true);
      assert.equal(await h.container.applications.client(tenantScope(h.tenant.id), appB.appId), undefined);
    });

    test("a multi-tenant app of another tenant: instantiated here with its publisher, removed here only", async () => {
      const { body: appB } = await tenantB.admin('POST', '/applications', { displayName: 'Fabrikam Notes', signInAudience: 'AzureADMultipleOrgs', web: { redirectUris: ['https://notes.fabrikam.example/cb'] } });
      const scopeA = tenantScope(h.tenant.id);
      const client = await h.container.applications.client(scopeA, appB.appId);
      assert.ok(client);
      assert.equal(client.servicePrincipal, null);
      assert.equal(client.homeTenantId, tenantB.id);
      assert.deepEqual(await h.container.applications.publisher(client), { name: tenantB.name, domain: appB.publisherDomain, verified: false, homeTenantId: tenantB.id });
      const created = await admin('POST', '/servicePrincipals', { appId: appB.appId });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.appOwnerOrganizationId, tenantB.id);
      assert.equal(created.body.publisherName, tenantB.name);
      assert.equal(created.body.signInAudience, 'AzureADMultipleOrgs');
      // A sees its service principal, never B's registration
      assert.equal((await admin('GET', `/applications(appId='${appB.appId}')`)).status, 404);
      // verified by the server administrator: the badge reaches A's copy on the next client lookup
      await h.container.applications.setVerifiedPublisher(tenantScope(tenantB.id), appB.appId, { displayName: 'Fabrikam', verifiedPublisherId: '1234567' });
      const verified = (await h.container.applications.client(scopeA, appB.appId))!;
      assert.deepEqual(await h.container.applications.publisher(verified), { name: 'Fabrikam', domain: appB.publisherDomain, verified: true, homeTenantId: tenantB.id });
      assert.equal(verified.servicePrincipal?.verifiedPublisher.verifiedPublisherId, '1234567');
      assert.equal((await admin('DELETE', `/servicePrincipals/${created.body.id}`)).status, 204);
      assert.equal((await tenantB.admin('GET', `/applications/${appB.id}`)).status, 200, "B's registration stays");
      // narrowed to B's own organization: no longer a client anywhere else
      assert.equal((await tenantB.admin('PATCH', `/applications/${appB.id}`, { signInAudience: 'AzureADMyOrg' })).status, 204);
      assert.equal(await h.container.applications.client(scopeA, appB.appId), undefined);
      assert.equal((await admin('POST', '/servicePrincipals', { appId: appB.appId })).status, 400);
    });
  });
}
