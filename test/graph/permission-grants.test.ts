import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { GRAPH_APP_ID, grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * `/oauth2PermissionGrants` (graph-reference §8.1): create, read, list with `$filter` and paging,
 * change the scope, delete; the grants of a service principal and of a user (`/me` too). Bad input
 * (unknown scopes, a principal that is not a user, ids of another tenant, a second grant for the
 * same combination) is refused with nothing changed; only administrators (Application, Cloud
 * Application and Global Administrators) may change grants.
 */
const f = encodeURIComponent;
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

for (const dialect of testDialects) {
  describe(`oauth2PermissionGrants (${dialect})`, () => {
    let h: Harness;
    let admin: Graph;
    let graphSpId: string;
    let clientSpId: string;
    let otherClientSpId: string;
    let groupId: string;
    const users: Record<string, string> = {};
    let foreign: { clientSpId: string; graphSpId: string; userId: string; grantId: string };
    const scope = () => tenantScope(h.tenant.id);
    const system = () => ({ kind: 'system' as const, tenantId: h.tenant.id });

    before(async () => {
      h = await createHarness(dialect);
      admin = graphCaller(h.app, h.tenant.adminToken);
      graphSpId = (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!.id;
      clientSpId = (await h.container.applications.create(scope(), { displayName: 'Contoso Notes', redirectUris: ['https://notes.example/cb'], withSecret: true })).servicePrincipalId;
      otherClientSpId = (await h.container.applications.create(scope(), { displayName: 'Contoso Tasks', redirectUris: ['https://tasks.example/cb'] })).servicePrincipalId;
      for (const name of ['alice', 'bob', 'carol', 'appadmin']) {
        users[name] = (await h.container.users.createMember(scope(), system(), { userPrincipalName: `${name}@${h.tenant.domain}`, displayName: name, mailNickname: name, accountEnabled: true, password: 'Passw0rd!Passw0rd' })).id;
      }
      groupId = (await h.container.groups.create(scope(), system(), { displayName: 'Readers', mailNickname: 'readers', mailEnabled: false, securityEnabled: true })).id;
      const roles = await h.container.roles.list(scope(), system());
      const appAdmin = roles.find((r) => r.displayName === 'Application Administrator');
      assert.ok(appAdmin, 'the tenant has the Application Administrator role');
      await h.container.roles.addMember(scope(), system(), appAdmin.id, ref(users.appadmin!));

      // another tenant with its own app, user and grant
      const domain = `fabrikam-grants-${Date.now()}.example`;
      const { tenant } = await h.container.tenants.create({ displayName: 'Fabrikam', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
      const other = tenantScope(tenant.id);
      const otherApp = await h.container.applications.create(other, { displayName: 'Fabrikam app', redirectUris: ['https://fabrikam.example/cb'], delegatedPermissions: ['User.Read'] });
      const otherGraph = (await h.container.applications.servicePrincipal(other, GRAPH_APP_ID))!;
      const otherUser = await h.container.users.createMember(other, { kind: 'system', tenantId: tenant.id }, { userPrincipalName: `eve@${domain}`, displayName: 'Eve', mailNickname: 'eve', accountEnabled: true, password: 'Passw0rd!Passw0rd' });
      const otherGrant = (await grantsRepo.permissionGrants(scoped(h.db, other), otherApp.servicePrincipalId, otherGraph.id))[0]!;
      foreign = { clientSpId: otherApp.servicePrincipalId, graphSpId: otherGraph.id, userId: otherUser.id, grantId: otherGrant.id };
    });
    after(() => h?.close());

    const count = async () => (await grantsRepo.listPermissionGrants(scoped(h.db, scope()), {}, null, 1000)).length;

    test('an administrator creates a tenant-wide grant: 201 with Graph shape, then reads it back', async () => {
      const created = await admin('POST', '/oauth2PermissionGrants', { clientId: clientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read User.ReadBasic.All' });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body['@odata.context'], /\/v1\.0\/\$metadata#oauth2PermissionGrants\/\$entity$/);
      assert.deepEqual(Object.keys(created.body).toSorted(), ['@odata.context', 'clientId', 'consentType', 'id', 'principalId', 'resourceId', 'scope']);
      assert.deepEqual([created.body.clientId, created.body.consentType, created.body.principalId, created.body.resourceId, created.body.scope], [clientSpId, 'AllPrincipals', null, graphSpId, 'User.Read User.ReadBasic.All']);
      assert.match(String(created.headers.location), new RegExp(`/oauth2PermissionGrants/${created.body.id}$`));
      const read = await admin('GET', `/oauth2PermissionGrants/${created.body.id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.scope, 'User.Read User.ReadBasic.All');
      const selected = await admin('GET', `/oauth2PermissionGrants/${created.body.id}?$select=scope`);
      assert.deepEqual(Object.keys(selected.body).toSorted(), ['@odata.context', 'scope']);
      const audit = await auditRepo.list(scoped(h.db, scope()), 50);
      assert.ok(audit.some((e) => e.action === 'Add delegated permission grant' && e.targetId === created.body.id && e.actorId === h.tenant.adminId));
    });

    test('a second grant for the same client, resource and consent type is refused with 409, and nothing changes', async () => {
      const before = await count();
      const again = await admin('POST', '/oauth2PermissionGrants', { clientId: clientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'Group.Read.All' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.message, 'Permission entry already exists.');
      assert.equal(await count(), before);
      const grant = (await grantsRepo.permissionGrants(scoped(h.db, scope()), clientSpId, graphSpId)).find((g) => g.consentType === 'AllPrincipals')!;
      assert.equal(grant.scope, 'User.Read User.ReadBasic.All', 'not merged either');
    });

    test('bad input is a 400 with Graph\'s error body and creates nothing', async () => {
      const before = await count();
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['unknown scope', { clientId: clientSpId, consentType: 'Principal', principalId: users.alice, resourceId: graphSpId, scope: 'User.Read Telepathy.All' }, /Telepathy\.All/],
        ['a scope of another resource only', { clientId: clientSpId, consentType: 'Principal', principalId: users.alice, resourceId: graphSpId, scope: 'user_impersonation' }, /user_impersonation/],
        ['empty scope', { clientId: clientSpId, consentType: 'Principal', principalId: users.alice, resourceId: graphSpId, scope: '   ' }, /at least one/],
        ['Principal without a principal', { clientId: clientSpId, consentType: 'Principal', resourceId: graphSpId, scope: 'User.Read' }, /principalId/],
        ['AllPrincipals with a principal', { clientId: otherClientSpId, consentType: 'AllPrincipals', principalId: users.alice, resourceId: graphSpId, scope: 'User.Read' }, /principalId/],
        ['a group as principal', { clientId: clientSpId, consentType: 'Principal', principalId: groupId, resourceId: graphSpId, scope: 'User.Read' }, /not a user/],
        ['unknown consent type', { clientId: clientSpId, consentType: 'Everyone', resourceId: graphSpId, scope: 'User.Read' }, /consentType/],
        ['a user as client', { clientId: users.alice, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read' }, /clientId/],
        ["another tenant's client", { clientId: foreign.clientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read' }, /clientId/],
        ["another tenant's resource", { clientId: otherClientSpId, consentType: 'AllPrincipals', resourceId: foreign.graphSpId, scope: 'User.Read' }, /resourceId/],
        ["another tenant's user", { clientId: clientSpId, consentType: 'Principal', principalId: foreign.userId, resourceId: graphSpId, scope: 'User.Read' }, /not a user/],
        ['missing clientId', { consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read' }, /clientId/],
        ['unknown property', { clientId: otherClientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read', expiryTime: '2030-01-01T00:00:00Z' }, /expiryTime/],
        ['read-only id', { id: 'mine', clientId: otherClientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read' }, /read-only/],
        ['scope too long', { clientId: otherClientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read '.repeat(1000) }, /limit/],
      ];
      for (const [name, body, message] of cases) {
        const response = await admin('POST', '/oauth2PermissionGrants', body);
        assert.equal(response.status, 400, `${name}: ${response.text}`);
        assert.equal(response.body.error.code, 'Request_BadRequest', name);
        assert.match(response.body.error.message, message, name);
      }
      assert.equal(await count(), before);
    });

    test('users\' own grants: created per user, listed under the user and under /me, filtered and paged', async () => {
      for (const name of ['alice', 'bob', 'carol']) {
        const response = await admin('POST', '/oauth2PermissionGrants', { clientId: clientSpId, consentType: 'Principal', principalId: users[name], resourceId: graphSpId, scope: 'User.Read' });
        assert.equal(response.status, 201, response.text);
      }
      const alice = await admin('GET', `/users/${users.alice}/oauth2PermissionGrants`);
      assert.equal(alice.status, 200);
      assert.deepEqual(alice.body.value.map((g: { principalId: string }) => g.principalId), [users.alice]);
      const byUpn = await admin('GET', `/users/alice@${h.tenant.domain}/oauth2PermissionGrants`);
      assert.equal(byUpn.body.value[0].id, alice.body.value[0].id);

      // /me: the signed-in user's own grants, with no directory role
      const me = await graphCaller(h.app, h.tokens.user(h.tenant.id, users.bob!, ['DelegatedPermissionGrant.Read.All']))('GET', '/me/oauth2PermissionGrants');
      assert.equal(me.status, 200, me.text);
      assert.deepEqual(me.body.value.map((g: { principalId: string }) => g.principalId), [users.bob]);
      const meWithoutScope = await graphCaller(h.app, h.tokens.user(h.tenant.id, users.bob!, ['User.Read']))('GET', '/me/oauth2PermissionGrants');
      assert.equal(meWithoutScope.status, 403);

      const filtered = await admin('GET', `/oauth2PermissionGrants?$filter=${f(`clientId eq '${clientSpId}' and consentType eq 'Principal'`)}`);
      assert.equal(filtered.status, 200, filtered.text);
      assert.deepEqual(filtered.body.value.map((g: { principalId: string }) => g.principalId).toSorted(), [users.alice, users.bob, users.carol].toSorted());
      const tenantWide = await admin('GET', `/oauth2PermissionGrants?$filter=${f(`consentType eq 'AllPrincipals' and resourceId eq '${graphSpId}' and principalId eq null`)}`);
      assert.ok(tenantWide.body.value.every((g: { consentType: string; principalId: string | null }) => g.consentType === 'AllPrincipals' && g.principalId === null));
      assert.ok(tenantWide.body.value.some((g: { clientId: string }) => g.clientId === clientSpId));
      const byPrincipal = await admin('GET', `/oauth2PermissionGrants?$filter=${f(`principalId eq '${users.carol}'`)}`);
      assert.equal(byPrincipal.body.value.length, 1);

      // pages of 2, in a stable order, each grant once; the token is bound to its filter
      const seen: string[] = [];
      let page = await admin('GET', `/oauth2PermissionGrants?$filter=${f(`clientId eq '${clientSpId}'`)}&$top=2`);
      const firstNext = page.body['@odata.nextLink'] as string;
      for (;;) {
        seen.push(...page.body.value.map((g: { id: string }) => g.id));
        const next = page.body['@odata.nextLink'] as string | undefined;
        if (!next) break;
        page = await admin('GET', next.slice(next.indexOf('/v1.0')));
      }
      assert.equal(seen.length, 4);
      assert.equal(new Set(seen).size, 4);
      const token = new URL(firstNext).searchParams.get('$skiptoken')!;
      const replayed = await admin('GET', `/oauth2PermissionGrants?$filter=${f(`clientId eq '${otherClientSpId}'`)}&$skiptoken=${encodeURIComponent(token)}`);
      assert.equal(replayed.status, 400);

      const spGrants = await admin('GET', `/servicePrincipals/${clientSpId}/oauth2PermissionGrants`);
      assert.equal(spGrants.status, 200);
      assert.equal(spGrants.body.value.length, 4);
      assert.ok(spGrants.body.value.every((g: { clientId: string }) => g.clientId === clientSpId));
    });

    test('unsupported filters are Request_UnsupportedQuery', async () => {
      for (const filter of ["scope eq 'User.Read'", `clientId ne '${clientSpId}'`, `startswith(clientId,'a')`, `clientId eq '${clientSpId}' or consentType eq 'Principal'`]) {
        const response = await admin('GET', `/oauth2PermissionGrants?$filter=${encodeURIComponent(filter)}`);
        assert.equal(response.status, 400, filter);
        assert.equal(response.body.error.code, 'Request_UnsupportedQuery', filter);
      }
    });

    test('PATCH replaces the scope (204); unknown scopes and read-only properties are refused with nothing changed', async () => {
      const grant = (await grantsRepo.principalGrants(scoped(h.db, scope()), users.alice!))[0]!;
      const changed = await admin('PATCH', `/oauth2PermissionGrants/${grant.id}`, { scope: 'User.Read User.ReadWrite' });
      assert.equal(changed.status, 204, changed.text);
      assert.equal((await admin('GET', `/oauth2PermissionGrants/${grant.id}`)).body.scope, 'User.Read User.ReadWrite');
      for (const body of [{ scope: 'User.Read Bogus.Scope' }, { clientId: otherClientSpId }, { principalId: users.bob }, { scope: 42 }]) {
        const refused = await admin('PATCH', `/oauth2PermissionGrants/${grant.id}`, body);
        assert.equal(refused.status, 400, JSON.stringify(body));
      }
      const after = await grantsRepo.findPermissionGrant(scoped(h.db, scope()), grant.id);
      assert.deepEqual([after?.scope, after?.principalId, after?.clientId], ['User.Read User.ReadWrite', users.alice, clientSpId]);
    });

    test("another tenant's grant is not found here: GET, PATCH and DELETE are 404 and it stays", async () => {
      for (const [method, body] of [['GET', undefined], ['PATCH', { scope: 'User.Read' }], ['DELETE', undefined]] as const) {
        const response = await admin(method, `/oauth2PermissionGrants/${foreign.grantId}`, body);
        assert.equal(response.status, 404, method);
        assert.equal(response.body.error.code, 'Request_ResourceNotFound');
      }
      assert.equal((await admin('GET', `/servicePrincipals/${foreign.clientSpId}/oauth2PermissionGrants`)).status, 404);
      assert.equal((await admin('GET', `/users/${foreign.userId}/oauth2PermissionGrants`)).status, 404);
      const listed = await admin('GET', `/oauth2PermissionGrants?$filter=${f(`clientId eq '${foreign.clientSpId}'`)}`);
      assert.deepEqual(listed.body.value, []);
    });

    test('only administrators change grants: a member with the scope is refused, an Application Administrator is not', async () => {
      const before = await count();
      const member = graphCaller(h.app, h.tokens.user(h.tenant.id, users.bob!, ['DelegatedPermissionGrant.ReadWrite.All']));
      const body = { clientId: otherClientSpId, consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read' };
      const refused = await member('POST', '/oauth2PermissionGrants', body);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'Authorization_RequestDenied');
      assert.equal((await member('GET', '/oauth2PermissionGrants')).status, 403, 'nor list everyone\'s');
      assert.equal(await count(), before);
      // an administrator's token without the permission is refused too
      assert.equal((await graphCaller(h.app, h.tokens.user(h.tenant.id, users.appadmin!, ['User.Read']))('POST', '/oauth2PermissionGrants', body)).status, 403);
      const appAdmin = graphCaller(h.app, h.tokens.user(h.tenant.id, users.appadmin!, ['DelegatedPermissionGrant.ReadWrite.All']));
      const created = await appAdmin('POST', '/oauth2PermissionGrants', body);
      assert.equal(created.status, 201, created.text);
      // an app with the application permission may too
      const daemon = graphCaller(h.app, h.tokens.app(h.tenant.id, ['DelegatedPermissionGrant.ReadWrite.All']));
      assert.equal((await daemon('DELETE', `/oauth2PermissionGrants/${created.body.id}`)).status, 204);
    });

    test('DELETE removes the grant (204) and records who did it; a second DELETE is 404', async () => {
      const grant = (await grantsRepo.principalGrants(scoped(h.db, scope()), users.carol!))[0]!;
      const removed = await admin('DELETE', `/oauth2PermissionGrants/${grant.id}`);
      assert.equal(removed.status, 204);
      assert.equal((await admin('GET', `/oauth2PermissionGrants/${grant.id}`)).status, 404);
      assert.equal((await admin('DELETE', `/oauth2PermissionGrants/${grant.id}`)).status, 404);
      const audit = await auditRepo.list(scoped(h.db, scope()), 50);
      assert.ok(audit.some((e) => e.action === 'Remove delegated permission grant' && e.targetId === grant.id));
    });
  });
}
