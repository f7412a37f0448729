import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { GRAPH_APP_ID, graphPermission, grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { appToken, ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * The user consent setting (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned)
 * and "Grant admin consent for {tenant}" (`POST /beta/servicePrincipals/{id}/grantAdminConsent`,
 * issue 16 items 3 and 5): accepted values, refused values with nothing changed, who may grant
 * what, the grants and role assignments it records, idempotence and audit.
 */
const AUTHZ = '/policies/authorizationPolicy';
const LOW = 'ManagePermissionGrantsForSelf.microsoft-user-default-low';
const LEGACY = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const OWNED = 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team';
const CLOUD_APP_ADMIN = '158c047a-c907-4556-b7ef-446551a6b5f7';
const APP_ADMIN = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';

const scopeId = (value: string) => graphPermission(value)!.scopeId!;
const roleId = (value: string) => graphPermission(value)!.roleId!;

for (const dialect of testDialects) {
  describe(`user consent setting and admin consent on Graph (${dialect})`, () => {
    let h: Harness;
    let ga: Graph;
    let tid: string;

    before(async () => {
      h = await createHarness(dialect, { config: { baseUrl: 'https://tessera.test' } });
      tid = h.tenant.id;
      ga = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Directory.ReadWrite.All', 'Application.ReadWrite.All', 'Policy.Read.All', 'Policy.ReadWrite.Authorization']));
    });
    after(() => h?.close());

    const tdb = () => scoped(h.container.database, tenantScope(tid));
    const assigned = async () => (await ga('GET', AUTHZ)).body.defaultUserRolePermissions.permissionGrantPoliciesAssigned as string[];

    /** An app of this tenant asking for Graph permissions (delegated `scopes`, application `roles`), with its service principal. */
    async function registerApp(name: string, scopes: string[], roles: string[] = []): Promise<{ appId: string; spId: string }> {
      const created = await ga('POST', '/applications', {
        displayName: name,
        signInAudience: 'AzureADMyOrg',
        web: { redirectUris: ['https://app.example/callback'] },
        requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [...scopes.map((s) => ({ id: scopeId(s), type: 'Scope' })), ...roles.map((r) => ({ id: roleId(r), type: 'Role' }))] }],
      });
      assert.equal(created.status, 201, created.text);
      // the tenant's own registration comes with its service principal (or gets one, as in Graph)
      const existing = await h.container.applications.servicePrincipal(tenantScope(tid), created.body.appId);
      if (existing) return { appId: created.body.appId, spId: existing.id };
      const sp = await ga('POST', '/servicePrincipals', { appId: created.body.appId });
      assert.equal(sp.status, 201, sp.text);
      return { appId: created.body.appId, spId: sp.body.id };
    }

    async function grantsOf(spId: string) {
      const graphSp = (await h.container.applications.servicePrincipal(tenantScope(tid), GRAPH_APP_ID))!;
      return {
        grants: await grantsRepo.permissionGrants(tdb(), spId, graphSp.id),
        roles: (await grantsRepo.appRoleAssignments(tdb(), spId, graphSp.id)).map((a) => a.appRoleId).sort(),
      };
    }

    test("permissionGrantPoliciesAssigned takes Entra's three choices, any casing, and keeps owned-resource entries", async () => {
      for (const value of [[LOW], [LEGACY.toLowerCase()], [], [OWNED], [OWNED, LOW]]) {
        const patch = await ga('PATCH', AUTHZ, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: value } });
        assert.equal(patch.status, 204, `${JSON.stringify(value)}: ${patch.text}`);
        assert.deepEqual(await assigned(), value);
      }
      assert.equal(await h.container.consent.userConsentSetting(tenantScope(tid)), 'low');
      await ga('PATCH', AUTHZ, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [OWNED] } });
      assert.equal(await h.container.consent.userConsentSetting(tenantScope(tid)), 'none');
      await ga('PATCH', AUTHZ, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [LEGACY] } });
      assert.equal(await h.container.consent.userConsentSetting(tenantScope(tid)), 'legacy');
    });

    test('unknown user consent policies (recommended included) and two ForSelf entries: 400, nothing changed', async () => {
      await ga('PATCH', AUTHZ, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [LEGACY] } });
      for (const value of [
        ['ManagePermissionGrantsForSelf.microsoft-user-default-recommended'],
        ['ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps'],
        ['ManagePermissionGrantsForSelf.my-policy'],
        [LOW, LEGACY],
        [OWNED, LOW, LOW],
      ]) {
        const patch = await ga('PATCH', AUTHZ, { allowedToUseSSPR: false, defaultUserRolePermissions: { allowedToCreateApps: false, permissionGrantPoliciesAssigned: value } });
        assert.equal(patch.status, 400, JSON.stringify(value));
        assert.equal(patch.body.error.code, 'Request_BadRequest');
        assert.match(patch.body.error.message, /ManagePermissionGrantsForSelf/);
        const policy = (await ga('GET', AUTHZ)).body;
        assert.deepEqual(policy.defaultUserRolePermissions.permissionGrantPoliciesAssigned, [LEGACY], 'nothing changed');
        assert.equal(policy.allowedToUseSSPR, true, 'not even the other properties of the refused request');
      }
    });

    test('permissionGrantPolicies: the built-in -low and -legacy policies, read-only, for administrator readers', async () => {
      for (const version of ['v1.0', 'beta']) {
        const list = await ga('GET', `/${version}/policies/permissionGrantPolicies`);
        assert.equal(list.status, 200, list.text);
        assert.equal(list.body['@odata.context'], `https://tessera.test/${version}/$metadata#policies/permissionGrantPolicies`);
        assert.deepEqual(list.body.value.map((p: { id: string }) => p.id), ['microsoft-user-default-low', 'microsoft-user-default-legacy']);
      }
      const low = await ga('GET', '/policies/permissionGrantPolicies/Microsoft-User-Default-Low');
      assert.equal(low.status, 200);
      assert.equal(low.body.displayName, 'Default User Low Risk Policy');
      assert.deepEqual(low.body.includes.map((c: { clientApplicationTenantIds: string[]; clientApplicationsFromVerifiedPublisherOnly: boolean; permissionClassification: string }) => [c.permissionClassification, c.clientApplicationTenantIds, c.clientApplicationsFromVerifiedPublisherOnly]), [
        ['low', [tid], false],
        ['low', ['all'], true],
      ]);
      assert.equal((await ga('GET', '/policies/permissionGrantPolicies/microsoft-user-default-recommended')).status, 404);
      const member = await userWithRoles(h, { scopes: ['Policy.Read.All'], name: 'reader' });
      assert.equal((await graphCaller(h.app, member.token)('GET', '/policies/permissionGrantPolicies')).status, 403, 'a user without an administrator role');
      const create = await ga('POST', '/policies/permissionGrantPolicies', { id: 'mine' });
      assert.ok([400, 404, 405].includes(create.status), `no custom policies (${create.status})`);
      assert.equal((await ga('GET', '/policies/permissionGrantPolicies')).body.value.length, 2);
    });

    test('grantAdminConsent (Global Administrator): AllPrincipals grant and app role assignments from requiredResourceAccess; idempotent; audited', async () => {
      const app = await registerApp('Reports', ['User.Read', 'Group.Read.All'], ['User.Read.All']);
      const first = await ga('POST', `/beta/servicePrincipals/${app.spId}/grantAdminConsent`);
      assert.equal(first.status, 204, first.text);
      const granted = await grantsOf(app.spId);
      assert.equal(granted.grants.length, 1);
      assert.equal(granted.grants[0]!.consentType, 'AllPrincipals');
      assert.equal(granted.grants[0]!.principalId, null);
      assert.deepEqual(granted.grants[0]!.scope.split(' ').sort(), ['Group.Read.All', 'User.Read']);
      assert.deepEqual(granted.roles, [roleId('User.Read.All')]);
      // again: the same one grant and one assignment (merged, not duplicated)
      assert.equal((await ga('POST', `/beta/servicePrincipals/${app.spId}/grantAdminConsent`, {})).status, 204);
      const again = await grantsOf(app.spId);
      assert.equal(again.grants.length, 1);
      assert.deepEqual(again.roles, [roleId('User.Read.All')]);
      const entries = await auditRepo.list(tdb(), 50);
      const entry = entries.find((e) => e.action === 'Consent to application (admin consent)' && e.targetId === app.spId);
      assert.ok(entry, 'audited');
      assert.equal(entry.actorId, h.tenant.adminId);
      // the app's tokens now carry it: client credentials roles come from the assignment
      assert.deepEqual(await h.container.applications.applicationRoles(tenantScope(tid), app.appId, GRAPH_APP_ID), ['User.Read.All']);
    });

    test('Cloud Application and Application Administrators grant everything but Microsoft Graph application permissions', async () => {
      for (const role of [CLOUD_APP_ADMIN, APP_ADMIN]) {
        const admin = await userWithRoles(h, { roles: [role], scopes: ['Application.ReadWrite.All'], name: 'appadmin' });
        const graph = graphCaller(h.app, admin.token);
        const delegatedOnly = await registerApp(`Delegated ${role}`, ['User.Read', 'User.ReadBasic.All']);
        const ok = await graph('POST', `/beta/servicePrincipals/${delegatedOnly.spId}/grantAdminConsent`);
        assert.equal(ok.status, 204, ok.text);
        assert.equal((await grantsOf(delegatedOnly.spId)).grants.length, 1);
        const withAppRole = await registerApp(`App-only ${role}`, ['User.Read'], ['User.Read.All']);
        const refused = await graph('POST', `/beta/servicePrincipals/${withAppRole.spId}/grantAdminConsent`);
        assert.equal(refused.status, 403, refused.text);
        assert.deepEqual(await grantsOf(withAppRole.spId), { grants: [], roles: [] }, 'nothing granted');
      }
      const pra = await userWithRoles(h, { roles: [ROLE.privilegedRoleAdministrator], scopes: ['DelegatedPermissionGrant.ReadWrite.All'], name: 'pra' });
      const withAppRole = await registerApp('App-only by PRA', [], ['User.Read.All']);
      assert.equal((await graphCaller(h.app, pra.token)('POST', `/beta/servicePrincipals/${withAppRole.spId}/grantAdminConsent`)).status, 204);
      assert.deepEqual((await grantsOf(withAppRole.spId)).roles, [roleId('User.Read.All')]);
    });

    test('not an administrator, or a token without a consent scope: 403 and nothing granted', async () => {
      const app = await registerApp('Refused', ['User.Read']);
      const userAdmin = await userWithRoles(h, { roles: [ROLE.userAdministrator], scopes: ['Directory.ReadWrite.All'], name: 'useradmin' });
      const member = await userWithRoles(h, { scopes: ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'], name: 'member' });
      const narrowGa = h.tokens.user(tid, h.tenant.adminId, ['User.Read', 'Policy.Read.All']);
      for (const token of [userAdmin.token, member.token, narrowGa]) {
        const response = await graphCaller(h.app, token)('POST', `/beta/servicePrincipals/${app.spId}/grantAdminConsent`);
        assert.equal(response.status, 403, response.text);
        assert.equal(response.body.error.code, 'Authorization_RequestDenied');
      }
      assert.deepEqual(await grantsOf(app.spId), { grants: [], roles: [] });
    });

    test('app-only: DelegatedPermissionGrant.ReadWrite.All for scopes, AppRoleAssignment.ReadWrite.All for app roles', async () => {
      const delegated = await registerApp('For a daemon admin', ['User.Read']);
      const withRole = await registerApp('For a daemon admin, app roles', ['User.Read'], ['Group.Read.All']);
      const grantsOnly = graphCaller(h.app, appToken(h, ['DelegatedPermissionGrant.ReadWrite.All']));
      assert.equal((await grantsOnly('POST', `/beta/servicePrincipals/${delegated.spId}/grantAdminConsent`)).status, 204);
      assert.equal((await grantsOnly('POST', `/beta/servicePrincipals/${withRole.spId}/grantAdminConsent`)).status, 403);
      assert.deepEqual(await grantsOf(withRole.spId), { grants: [], roles: [] });
      const both = graphCaller(h.app, appToken(h, ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All']));
      assert.equal((await both('POST', `/beta/servicePrincipals/${withRole.spId}/grantAdminConsent`)).status, 204);
      assert.deepEqual((await grantsOf(withRole.spId)).roles, [roleId('Group.Read.All')]);
      assert.equal((await graphCaller(h.app, appToken(h, ['Directory.ReadWrite.All']))('POST', `/beta/servicePrincipals/${delegated.spId}/grantAdminConsent`)).status, 403);
    });

    test("races: first consents to another tenant's app at once make one service principal, and each user's grant; tenant-wide consents at once make one grant", async () => {
      const domain = `northwind${process.pid}${dialect}.example`;
      const b = await h.container.tenants.create({ displayName: 'Northwind', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
      const home = graphCaller(h.app, h.tokens.user(b.tenant.id, b.adminUserId!, ['Application.ReadWrite.All']));
      const register = async (name: string) => {
        const created = await home('POST', '/applications', {
          displayName: name,
          signInAudience: 'AzureADMultipleOrgs',
          web: { redirectUris: ['https://northwind.example/callback'] },
          requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: scopeId('User.Read'), type: 'Scope' }] }],
        });
        assert.equal(created.status, 201, created.text);
        return created.body.appId as string;
      };
      const scope = tenantScope(tid);
      const users = await Promise.all([1, 2, 3, 4].map(() => userWithRoles(h, { name: 'racer' })));
      const appId = await register('Raced app');
      await Promise.all(users.map((user) => h.container.consent.consentInteractive(scope, { clientAppId: appId, userId: user.id, resourceAppId: GRAPH_APP_ID, scopes: ['openid', 'User.Read'], forOrganization: false })));
      const sp = (await h.container.applications.servicePrincipal(scope, appId))!;
      assert.equal(sp.appOwnerOrganizationId, b.tenant.id);
      const { grants } = await grantsOf(sp.id);
      assert.deepEqual(grants.map((g) => g.principalId).sort(), users.map((u) => u.id).sort(), 'one Principal grant per user');

      const orgWide = await register('Raced org-wide app');
      await Promise.all([1, 2, 3].map(() => h.container.consent.grantTenantWide(scope, { kind: 'system' }, { clientAppId: orgWide })));
      const orgSp = (await h.container.applications.servicePrincipal(scope, orgWide))!;
      const after = await grantsOf(orgSp.id);
      assert.equal(after.grants.length, 1);
      assert.equal(after.grants[0]!.consentType, 'AllPrincipals');
      assert.equal(after.grants[0]!.scope, 'User.Read');
    });

    test("bad input: unknown, foreign and malformed ids, a body, v1.0; nothing granted", async () => {
      const other = await h.container.tenants.create({ displayName: 'Fabrikam', domain: `fabrikam${process.pid}${dialect}.example`, admin: { email: `admin@fabrikam${process.pid}${dialect}.example`, password: 'Admin-Passw0rd!' } });
      const foreign = (await h.container.applications.servicePrincipal(tenantScope(other.tenant.id), GRAPH_APP_ID))!;
      const app = await registerApp('Target', ['User.Read']);
      const unknown = await ga('POST', '/beta/servicePrincipals/0b0b0b0b-0000-4000-8000-000000000000/grantAdminConsent');
      assert.equal(unknown.status, 404, unknown.text);
      assert.equal((await ga('POST', `/beta/servicePrincipals/${foreign.id}/grantAdminConsent`)).status, 404, "another tenant's service principal is not found here");
      assert.equal((await ga('POST', '/beta/servicePrincipals/not-a-guid/grantAdminConsent')).status, 400);
      const withBody = await ga('POST', `/beta/servicePrincipals/${app.spId}/grantAdminConsent`, { scope: 'Directory.ReadWrite.All' });
      assert.equal(withBody.status, 400, withBody.text);
      assert.match(withBody.body.error.message, /'scope' does not exist/);
      const v1 = await ga('POST', `/v1.0/servicePrincipals/${app.spId}/grantAdminConsent`);
      assert.ok(v1.status === 400 || v1.status === 404 || v1.status === 405, `v1.0 has no grantAdminConsent (${v1.status})`);
      assert.deepEqual(await grantsOf(app.spId), { grants: [], roles: [] });
    });
  });
}
