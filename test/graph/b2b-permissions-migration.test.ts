import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { GRAPH_APP_ID, graphPermission } from '../../src/modules/consent/index.ts';
import { STAMP_RECHECK_MS } from '../../src/modules/consent/stamped-cache.ts';
import { down, up } from '../../src/storage/migrations/2026_12_03_120000_b2b_permissions.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * B2B's Graph permissions and the External Identity Provider Administrator role reach every tenant:
 * a tenant created now has them from the catalogs, and a tenant created before them gets them from
 * the migration (2026_12_03_120000_b2b_permissions), once, with Graph's real ids; the tenant's
 * directory stamp moves, so a node that cached its Microsoft Graph service principal reads it again.
 * Then the role can be assigned and lets its holder manage identity providers, and an app granted
 * the new permissions carries them.
 */
const ROLE_TEMPLATE = 'be2f45a1-457d-42af-a067-6ec1fa63bc45';
const ROLE_NAME = 'External Identity Provider Administrator';

/** value -> [delegated scope id, application role id], as Microsoft Graph publishes them */
const PERMISSIONS: Record<string, [string, string]> = {
  'Policy.Read.All': ['572fea84-0151-49b2-9301-11cb16974376', '246dd0d5-5bd0-4def-940b-0421030a5b68'],
  'Policy.ReadWrite.Authorization': ['edd3c878-b384-41fd-95ad-e7407dd775be', 'fb221be6-99f2-473f-bd32-01c6a0e9ca3b'],
  'Policy.ReadWrite.AuthenticationMethod': ['7e823077-d88e-468f-a337-e18f1f0e6c7c', '29c18626-4985-4dcd-85c0-193eef327366'],
  'User.RevokeSessions.All': ['fc30e98b-8810-4501-81f5-c20a3196387b', '77f3a031-c388-4f99-b373-dc68676a979e'],
  'IdentityProvider.Read.All': ['43781733-b5a7-4d1b-98f4-e8edff23e1a9', 'e321f0bb-e7f7-481e-bb28-e3b0b32d4bd0'],
  'IdentityProvider.ReadWrite.All': ['f13ce604-1677-429f-90bd-8a10b9f01325', '90db2b9a-d928-4d33-a4dd-8442ae3d41e4'],
  'AppRoleAssignment.ReadWrite.All': ['84bccea3-f856-4a8a-967b-dbe0a3d53a64', '06b708a9-e830-4db3-a914-8e69da51d44f'],
};
/** the ones this migration brings to older tenants (Policy.ReadWrite.Authorization was in the first catalog) */
const MIGRATED = Object.keys(PERMISSIONS).filter((value) => value !== 'Policy.ReadWrite.Authorization');

const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

for (const dialect of testDialects) {
  describe(`B2B permissions and the External Identity Provider Administrator role in every tenant (${dialect})`, () => {
    let h: Harness;
    // the container's clock, moved past the stamp recheck interval to stand for "a few seconds later"
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const later = () => {
      offset += STAMP_RECHECK_MS + 1_000;
    };

    before(async () => {
      h = await createHarness(dialect, { clock });
    });
    after(() => h?.close());

    const scope = () => tenantScope(h.tenant.id);
    const directoryRoles = async () => (await graphCaller(h.app, h.tenant.adminToken)('GET', '/directoryRoles')).body.value as { id: string; displayName: string; roleTemplateId: string; description: string }[];
    /** the tenant's Microsoft Graph service principal as this node sees it: `value:id` of its app roles and scopes */
    const graphCatalog = async () => {
      const graph = (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!;
      return { roles: graph.appRoles.map((r) => `${r.value}:${r.id}`), scopes: graph.oauth2PermissionScopes.map((s) => `${s.value}:${s.id}:${s.type}`) };
    };
    const stamp = async () => Number((await sql<{ s: number }>`select directory_stamp as s from tenants where id = ${h.tenant.id}`.execute(h.db.db)).rows[0]!.s);

    test('the catalog carries each permission with Graph ids (delegated needing an administrator, and for apps)', () => {
      for (const [value, [scopeId, roleId]] of Object.entries(PERMISSIONS)) {
        const permission = graphPermission(value);
        assert.ok(permission, value);
        assert.deepEqual([permission.scopeId, permission.roleId, permission.type], [scopeId, roleId, 'Admin'], value);
      }
      // no two permissions share an id (a copy-paste slip would make one grant the other)
      const ids = Object.values(PERMISSIONS).flat();
      assert.equal(new Set(ids).size, ids.length);
    });

    test('a new tenant lists the role in /directoryRoles and offers every permission on its Graph service principal', async () => {
      const role = (await directoryRoles()).find((r) => r.roleTemplateId === ROLE_TEMPLATE);
      assert.equal(role?.displayName, ROLE_NAME);
      assert.equal(role?.description, 'Can configure identity providers for use in direct federation.');
      const graph = await graphCatalog();
      for (const [value, [scopeId, roleId]] of Object.entries(PERMISSIONS)) {
        assert.ok(graph.scopes.includes(`${value}:${scopeId}:Admin`), `${value} as a delegated scope`);
        assert.ok(graph.roles.includes(`${value}:${roleId}`), `${value} as an application role`);
      }
    });

    test('a tenant from before them gets them from the migration, once, and nodes see it through the directory stamp', async () => {
      const db = h.db.db as unknown as Kysely<any>;
      const rolesBefore = (await directoryRoles()).length;
      const catalogBefore = await graphCatalog(); // cached on this node from here on
      const stampBefore = await stamp();

      await down(db); // the tenant as it was before this migration
      assert.ok((await stamp()) > stampBefore, 'the stamp moves when the catalog changes');
      later();
      const without = await directoryRoles();
      assert.equal(without.length, rolesBefore - 1);
      assert.ok(!without.some((r) => r.roleTemplateId === ROLE_TEMPLATE));
      const old = await graphCatalog();
      for (const value of MIGRATED) {
        assert.ok(!old.roles.some((r) => r.startsWith(`${value}:`)), `${value} is not an app role before the migration`);
        assert.ok(!old.scopes.some((s) => s.startsWith(`${value}:`)), `${value} is not a scope before the migration`);
      }
      assert.ok(old.scopes.some((s) => s.startsWith('Policy.ReadWrite.Authorization:')), 'what was there before stays');
      // an app granted the permissions meanwhile gets none of them: the service principal has no such roles
      const daemon = await h.container.applications.create(scope(), { displayName: 'Guest lifecycle', withSecret: true, applicationPermissions: MIGRATED });
      assert.deepEqual(await h.container.applications.applicationRoles(scope(), daemon.appId, GRAPH_APP_ID), []);

      const stampDown = await stamp();
      await up(db);
      const stampUp = await stamp();
      assert.ok(stampUp > stampDown);
      await up(db); // a second run adds nothing (and changes nothing)
      assert.equal(await stamp(), stampUp);
      later();

      const roles = await directoryRoles();
      assert.equal(roles.length, rolesBefore);
      assert.equal(roles.filter((r) => r.roleTemplateId === ROLE_TEMPLATE && r.displayName === ROLE_NAME).length, 1);
      const graph = await graphCatalog();
      assert.deepEqual(graph.roles.toSorted(), catalogBefore.roles.toSorted());
      assert.deepEqual(graph.scopes.toSorted(), catalogBefore.scopes.toSorted());
      for (const value of MIGRATED) {
        const [scopeId, roleId] = PERMISSIONS[value]!;
        assert.equal(graph.roles.filter((r) => r === `${value}:${roleId}`).length, 1, value);
        assert.equal(graph.scopes.filter((s) => s === `${value}:${scopeId}:Admin`).length, 1, value);
      }
      // the app's grants now resolve to the permissions' values
      assert.deepEqual((await h.container.applications.applicationRoles(scope(), daemon.appId, GRAPH_APP_ID)).toSorted(), MIGRATED.toSorted());
    });

    test('the role can be assigned, and lets its holder (and only with the permission) manage identity providers', async () => {
      const admin = graphCaller(h.app, h.tenant.adminToken);
      const role = (await directoryRoles()).find((r) => r.roleTemplateId === ROLE_TEMPLATE)!;
      const user = await h.container.users.createMember(scope(), { kind: 'system', tenantId: h.tenant.id }, {
        userPrincipalName: `idp-admin@${h.tenant.domain}`,
        displayName: 'IdP Admin',
        mailNickname: 'idp-admin',
        accountEnabled: true,
        password: 'IdP-Admin-Passw0rd!',
      });
      const provider = { '@odata.type': '#microsoft.graph.openIdConnectIdentityProvider', displayName: 'Partner', issuer: 'https://login.partner-idp.example', clientId: 'guests', clientSecret: 'a-secret-value', domains: [`partner${process.pid}.example`] };
      const asUser = graphCaller(h.app, h.tokens.user(h.tenant.id, user.id, ['IdentityProvider.ReadWrite.All']));
      const refused = await asUser('POST', '/beta/identity/identityProviders', provider);
      assert.equal(refused.status, 403, 'without the role: refused');

      assert.equal((await admin('POST', `/directoryRoles/${role.id}/members/$ref`, ref(user.id))).status, 204);
      const members = await admin('GET', `/directoryRoles/${role.id}/members`);
      assert.deepEqual(members.body.value.map((m: { id: string }) => m.id), [user.id]);

      const created = await asUser('POST', '/beta/identity/identityProviders', provider);
      assert.equal(created.status, 201, created.text);
      assert.equal((await asUser('GET', '/beta/identity/identityProviders')).status, 200);
      // the role without the permission is not enough (delegated: scope and role both)
      const roleOnly = graphCaller(h.app, h.tokens.user(h.tenant.id, user.id, ['User.Read']));
      assert.equal((await roleOnly('DELETE', `/beta/identity/identityProviders/${created.body.id}`)).status, 403);
      // nor does it reach anything else an administrator does
      assert.equal((await graphCaller(h.app, h.tokens.user(h.tenant.id, user.id, ['Policy.ReadWrite.Authorization']))('PATCH', '/policies/authorizationPolicy', { allowInvitesFrom: 'everyone' })).status, 403);
      assert.equal((await asUser('DELETE', `/beta/identity/identityProviders/${created.body.id}`)).status, 204);
    });
  });
}
