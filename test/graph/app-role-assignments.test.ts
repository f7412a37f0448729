import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { GRAPH_APP_ID, graphPermission, grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { registerApi, type TestApi } from './grants-fixtures.ts';

/**
 * App role assignments (graph-reference §8.2): application permissions for an app
 * (`/servicePrincipals/{client}/appRoleAssignments`), users and groups assigned to an app
 * (`/users|groups/{id}/appRoleAssignments`, `/servicePrincipals/{resource}/appRoleAssignedTo`),
 * lists, reads and removal. The role must be an enabled role of the resource for that kind of
 * principal; Microsoft Graph's application permissions need a Global Administrator or Privileged
 * Role Administrator, while an Application Administrator may grant any other app's roles.
 */
const DEFAULT_ROLE = '00000000-0000-0000-0000-000000000000';
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

for (const dialect of testDialects) {
  describe(`appRoleAssignments (${dialect})`, () => {
    let h: Harness;
    let admin: Graph;
    let appAdmin: Graph;
    let api: TestApi;
    let graphSpId: string;
    let daemonSpId: string;
    let plainSpId: string;
    let aliceId: string;
    let groupId: string;
    let foreign: { tenantId: string; userId: string; spId: string; assignmentId: string };
    const scope = () => tenantScope(h.tenant.id);
    const system = () => ({ kind: 'system' as const, tenantId: h.tenant.id });
    const userReadAll = graphPermission('User.Read.All')!.roleId!;

    before(async () => {
      h = await createHarness(dialect);
      admin = graphCaller(h.app, h.tenant.adminToken);
      graphSpId = (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!.id;
      api = await registerApi(admin, 'Contoso Inventory API');
      daemonSpId = (await h.container.applications.create(scope(), { displayName: 'Inventory sync', withSecret: true })).servicePrincipalId;
      plainSpId = (await h.container.applications.create(scope(), { displayName: 'Plain app', redirectUris: ['https://plain.example/cb'] })).servicePrincipalId;
      aliceId = (await h.container.users.createMember(scope(), system(), { userPrincipalName: `alice@${h.tenant.domain}`, displayName: 'Alice', mailNickname: 'alice', accountEnabled: true, password: 'Passw0rd!Passw0rd' })).id;
      const appAdminId = (await h.container.users.createMember(scope(), system(), { userPrincipalName: `apps@${h.tenant.domain}`, displayName: 'Apps Admin', mailNickname: 'apps', accountEnabled: true, password: 'Passw0rd!Passw0rd' })).id;
      groupId = (await h.container.groups.create(scope(), system(), { displayName: 'Inventory readers', mailNickname: 'invreaders', mailEnabled: false, securityEnabled: true })).id;
      const role = (await h.container.roles.list(scope(), system())).find((r) => r.displayName === 'Application Administrator')!;
      await h.container.roles.addMember(scope(), system(), role.id, ref(appAdminId));
      appAdmin = graphCaller(h.app, h.tokens.user(h.tenant.id, appAdminId, ['AppRoleAssignment.ReadWrite.All', 'Application.Read.All']));

      const domain = `fabrikam-roles-${Date.now()}.example`;
      const { tenant } = await h.container.tenants.create({ displayName: 'Fabrikam', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
      const other = tenantScope(tenant.id);
      const otherApp = await h.container.applications.create(other, { displayName: 'Fabrikam daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
      const otherUser = await h.container.users.createMember(other, { kind: 'system', tenantId: tenant.id }, { userPrincipalName: `eve@${domain}`, displayName: 'Eve', mailNickname: 'eve', accountEnabled: true, password: 'Passw0rd!Passw0rd' });
      const otherGraph = (await h.container.applications.servicePrincipal(other, GRAPH_APP_ID))!;
      const assignment = (await grantsRepo.appRoleAssignments(scoped(h.db, other), otherApp.servicePrincipalId, otherGraph.id))[0]!;
      foreign = { tenantId: tenant.id, userId: otherUser.id, spId: otherApp.servicePrincipalId, assignmentId: assignment.id };
    });
    after(() => h?.close());

    const assignmentCount = async () => (await grantsRepo.listAppRoleAssignments(scoped(h.db, scope()), { resourceId: api.spId }, null, 1000)).length + (await grantsRepo.listAppRoleAssignments(scoped(h.db, scope()), { resourceId: graphSpId }, null, 1000)).length;

    test('a Global Administrator grants a Microsoft Graph application permission to an app: 201 in Graph\'s shape', async () => {
      const created = await admin('POST', `/servicePrincipals/${daemonSpId}/appRoleAssignments`, { principalId: daemonSpId, resourceId: graphSpId, appRoleId: userReadAll });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body['@odata.context'], new RegExp(`#servicePrincipals\\('${daemonSpId}'\\)/appRoleAssignments/\\$entity$`));
      assert.deepEqual(
        Object.keys(created.body).filter((k) => k !== '@odata.context').toSorted(),
        ['appRoleId', 'createdDateTime', 'deletedDateTime', 'id', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId'],
      );
      assert.deepEqual(
        [created.body.principalId, created.body.principalType, created.body.principalDisplayName, created.body.resourceId, created.body.resourceDisplayName, created.body.appRoleId, created.body.deletedDateTime],
        [daemonSpId, 'ServicePrincipal', 'Inventory sync', graphSpId, 'Microsoft Graph', userReadAll, null],
      );
      assert.match(created.body.createdDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const listed = await admin('GET', `/servicePrincipals/${daemonSpId}/appRoleAssignments`);
      assert.deepEqual(listed.body.value.map((a: { id: string }) => a.id), [created.body.id]);
      const assignedTo = await admin('GET', `/servicePrincipals/${graphSpId}/appRoleAssignedTo`);
      assert.ok(assignedTo.body.value.some((a: { id: string }) => a.id === created.body.id));
      const audit = await auditRepo.list(scoped(h.db, scope()), 50);
      assert.ok(audit.some((e) => e.action === 'Add app role assignment to service principal' && e.targetId === created.body.id));
    });

    test("an Application Administrator may not grant Microsoft Graph's application permissions, but may grant another API's", async () => {
      const before = await assignmentCount();
      const graphRole = graphPermission('Group.Read.All')!.roleId!;
      const refused = await appAdmin('POST', `/servicePrincipals/${plainSpId}/appRoleAssignments`, { principalId: plainSpId, resourceId: graphSpId, appRoleId: graphRole });
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.code, 'Authorization_RequestDenied');
      assert.equal(await assignmentCount(), before);
      const granted = await appAdmin('POST', `/servicePrincipals/${api.spId}/appRoleAssignedTo`, { principalId: plainSpId, resourceId: api.spId, appRoleId: api.roles['Sync.All'] });
      assert.equal(granted.status, 201, granted.text);
      assert.equal(granted.body.principalType, 'ServicePrincipal');
      assert.equal(granted.body.resourceDisplayName, 'Contoso Inventory API');
    });

    test('users and groups are assigned to roles that allow them, through either end', async () => {
      const toUser = await admin('POST', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Reader });
      assert.equal(toUser.status, 201, toUser.text);
      assert.deepEqual([toUser.body.principalType, toUser.body.principalDisplayName], ['User', 'Alice']);
      assert.match(toUser.body['@odata.context'], new RegExp(`#users\\('${aliceId}'\\)/appRoleAssignments/\\$entity$`));
      const toGroup = await admin('POST', `/groups/${groupId}/appRoleAssignments`, { principalId: groupId, resourceId: api.spId, appRoleId: api.roles.Writer });
      assert.equal(toGroup.status, 201, toGroup.text);
      assert.deepEqual([toGroup.body.principalType, toGroup.body.principalDisplayName], ['Group', 'Inventory readers']);
      const viaResource = await admin('POST', `/servicePrincipals/${api.spId}/appRoleAssignedTo`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Auditor });
      assert.equal(viaResource.status, 201, viaResource.text);
      // an app that defines no roles for users: the default role
      const plain = await admin('POST', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: plainSpId, appRoleId: DEFAULT_ROLE });
      assert.equal(plain.status, 201, plain.text);

      const mine = await admin('GET', `/users/${aliceId}/appRoleAssignments`);
      assert.deepEqual(mine.body.value.map((a: { appRoleId: string }) => a.appRoleId).toSorted(), [api.roles.Reader, api.roles.Auditor, DEFAULT_ROLE].toSorted());
      const byUpn = await admin('GET', `/users/alice@${h.tenant.domain}/appRoleAssignments`);
      assert.equal(byUpn.body.value.length, 3);
      const groups = await admin('GET', `/groups/${groupId}/appRoleAssignments`);
      assert.deepEqual(groups.body.value.map((a: { appRoleId: string }) => a.appRoleId), [api.roles.Writer]);
      const assignedTo = await admin('GET', `/servicePrincipals/${api.spId}/appRoleAssignedTo?$top=2`);
      assert.equal(assignedTo.body.value.length, 2);
      assert.ok(assignedTo.body['@odata.nextLink']);
      const next = String(assignedTo.body['@odata.nextLink']);
      const rest = await admin('GET', next.slice(next.indexOf('/v1.0')));
      const ids = [...assignedTo.body.value, ...rest.body.value].map((a: { id: string }) => a.id);
      assert.equal(new Set(ids).size, 4, 'Sync.All to Plain app, Reader and Auditor to Alice, Writer to the group');
      const one = await admin('GET', `/servicePrincipals/${api.spId}/appRoleAssignedTo/${toGroup.body.id}?$select=principalDisplayName,appRoleId`);
      assert.deepEqual([one.status, one.body.principalDisplayName, one.body.appRoleId, one.body.id], [200, 'Inventory readers', api.roles.Writer, undefined]);
    });

    test('bad input is refused with 400 (or 404 for the addressed object) and assigns nothing', async () => {
      const before = await assignmentCount();
      const cases: [string, string, Record<string, unknown>, number, RegExp][] = [
        ['an application role for a user', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles['Sync.All'] }, 400, /app role/],
        ['a user role for an app', `/servicePrincipals/${plainSpId}/appRoleAssignments`, { principalId: plainSpId, resourceId: api.spId, appRoleId: api.roles.Reader }, 400, /app role/],
        ['a disabled role', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Retired }, 400, /app role/],
        ['an unknown role', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: '6b2e1b8a-0000-4000-8000-000000000000' }, 400, /app role/],
        ['the default role on an API with user roles', `/groups/${groupId}/appRoleAssignments`, { principalId: groupId, resourceId: api.spId, appRoleId: DEFAULT_ROLE }, 400, /app role/],
        ['the default role for an app', `/servicePrincipals/${plainSpId}/appRoleAssignments`, { principalId: plainSpId, resourceId: graphSpId, appRoleId: DEFAULT_ROLE }, 400, /app role/],
        ['a principal other than the path', `/users/${aliceId}/appRoleAssignments`, { principalId: groupId, resourceId: api.spId, appRoleId: api.roles.Reader }, 400, /principalId/],
        ['a resource other than the path', `/servicePrincipals/${api.spId}/appRoleAssignedTo`, { principalId: aliceId, resourceId: plainSpId, appRoleId: DEFAULT_ROLE }, 400, /resourceId/],
        ['an app given a user role through assignedTo', `/servicePrincipals/${api.spId}/appRoleAssignedTo`, { principalId: api.spId, resourceId: api.spId, appRoleId: api.roles.Reader }, 400, /app role/],
        ['a user as resource', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: aliceId, appRoleId: DEFAULT_ROLE }, 400, /resourceId/],
        ["another tenant's resource", `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: foreign.spId, appRoleId: DEFAULT_ROLE }, 400, /resourceId/],
        ["another tenant's user (path)", `/users/${foreign.userId}/appRoleAssignments`, { principalId: foreign.userId, resourceId: api.spId, appRoleId: api.roles.Reader }, 404, /does not exist/],
        ["another tenant's user (body)", `/servicePrincipals/${api.spId}/appRoleAssignedTo`, { principalId: foreign.userId, resourceId: api.spId, appRoleId: api.roles.Reader }, 400, /principalId/],
        ['a missing appRoleId', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId }, 400, /appRoleId/],
        ['a read-only property', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Writer, principalDisplayName: 'Mallory' }, 400, /read-only/],
        ['an unknown property', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Writer, expiresOn: 'never' }, 400, /expiresOn/],
        ['the same assignment twice', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Reader }, 400, /already exists/],
      ];
      for (const [name, path, body, status, message] of cases) {
        const response = await admin('POST', path, body);
        assert.equal(response.status, status, `${name}: ${response.text}`);
        assert.match(response.body.error.message, message, name);
      }
      assert.equal(await assignmentCount(), before);
    });

    test('members and tokens without the permission cannot assign; reads need a reader', async () => {
      const before = await assignmentCount();
      const member = graphCaller(h.app, h.tokens.user(h.tenant.id, aliceId, ['AppRoleAssignment.ReadWrite.All']));
      const refused = await member('POST', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Writer });
      assert.equal(refused.status, 403);
      assert.equal((await member('GET', `/servicePrincipals/${api.spId}/appRoleAssignedTo`)).status, 403);
      const noScope = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']));
      assert.equal((await noScope('POST', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Writer })).status, 403);
      assert.equal(await assignmentCount(), before);
      // an app with AppRoleAssignment.ReadWrite.All may (Entra's application permission)
      const daemon = graphCaller(h.app, h.tokens.app(h.tenant.id, ['AppRoleAssignment.ReadWrite.All']));
      const made = await daemon('POST', `/users/${aliceId}/appRoleAssignments`, { principalId: aliceId, resourceId: api.spId, appRoleId: api.roles.Writer });
      assert.equal(made.status, 201, made.text);
      assert.equal((await daemon('DELETE', `/users/${aliceId}/appRoleAssignments/${made.body.id}`)).status, 204);
    });

    test("removal: through its principal or its resource only; another tenant's assignment is not found", async () => {
      const alices = (await admin('GET', `/users/${aliceId}/appRoleAssignments`)).body.value as { id: string; appRoleId: string }[];
      const reader = alices.find((a) => a.appRoleId === api.roles.Reader)!;
      // not under another principal
      assert.equal((await admin('DELETE', `/groups/${groupId}/appRoleAssignments/${reader.id}`)).status, 404);
      assert.equal((await admin('DELETE', `/servicePrincipals/${plainSpId}/appRoleAssignedTo/${reader.id}`)).status, 404);
      assert.equal((await admin('DELETE', `/users/${aliceId}/appRoleAssignments/${foreign.assignmentId}`)).status, 404);
      assert.equal((await admin('DELETE', `/servicePrincipals/${foreign.spId}/appRoleAssignments/${foreign.assignmentId}`)).status, 404);
      assert.equal((await admin('GET', `/servicePrincipals/${foreign.spId}/appRoleAssignments`)).status, 404);
      assert.ok(await grantsRepo.findAppRoleAssignment(scoped(h.db, tenantScope(foreign.tenantId)), foreign.assignmentId), "the other tenant's assignment stays");
      const removed = await admin('DELETE', `/servicePrincipals/${api.spId}/appRoleAssignedTo/${reader.id}`);
      assert.equal(removed.status, 204);
      assert.equal((await admin('GET', `/users/${aliceId}/appRoleAssignments/${reader.id}`)).status, 404);
      assert.equal((await admin('DELETE', `/users/${aliceId}/appRoleAssignments/${reader.id}`)).status, 404);
      const audit = await auditRepo.list(scoped(h.db, scope()), 50);
      assert.ok(audit.some((e) => e.action === 'Remove app role assignment from user' && e.targetId === reader.id));
    });
  });
}
