import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { GRAPH_APP_ID, graphPermission } from '../../src/modules/consent/index.ts';
import { STAMP_RECHECK_MS } from '../../src/modules/consent/stamped-cache.ts';
import { down, up } from '../../src/storage/migrations/2026_12_04_090000_applications_consent.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Consent's Graph permissions (with Microsoft's ids) reach every tenant: a tenant made now has them
 * from the catalog; one made before them gets them from 2026_12_04_090000_applications_consent,
 * with the user-facing texts of the scopes users consent to, its apps' publisherDomain and its
 * service principals' publisher and reply URLs filled in, and its directory stamp moved.
 */
const PERMISSIONS: Record<string, [string, string]> = {
  'Application.Read.All': ['c79f8feb-a9db-4090-85f9-90d820caa0eb', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'],
  'DelegatedPermissionGrant.Read.All': ['a197cdc4-a8e8-4d49-9d35-4ca7c83887b4', '81b4724a-58aa-41c1-8a55-84ef97466587'],
  'Policy.ReadWrite.ConsentRequest': ['4d135e65-66b8-41a8-9f8b-081452c91774', '999f8c63-0a38-4f1b-91fd-ed1947bdd1a9'],
  'Policy.ReadWrite.PermissionGrant': ['2672f8bb-fd5e-42e0-85e1-ec764dd2614e', 'a402ca1c-2696-4531-972d-6e5ee4aa11ea'],
  'ConsentRequest.Read.All': ['f3bfad56-966e-4590-a536-82ecf548ac1e', '1260ad83-98fb-4785-abbb-d6cc1806fd41'],
  'ConsentRequest.ReadWrite.All': ['497d9dfa-3bd1-481a-baab-90895e54568c', '9f1b81a7-0223-4428-bfa4-0bcb5535f27d'],
};

for (const dialect of testDialects) {
  describe(`consent's Graph permissions and application columns in every tenant (${dialect})`, () => {
    let h: Harness;
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    before(async () => {
      h = await createHarness(dialect, { clock });
    });
    after(() => h?.close());
    const scope = () => tenantScope(h.tenant.id);
    const stamp = async () => Number((await sql<{ s: number }>`select directory_stamp as s from tenants where id = ${h.tenant.id}`.execute(h.db.db)).rows[0]!.s);
    const graphSp = async () => (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!;

    test('the catalog has each permission with Graph ids, and user-facing texts for what users consent to', async () => {
      for (const [value, [scopeId, roleId]] of Object.entries(PERMISSIONS)) {
        assert.deepEqual([graphPermission(value)?.scopeId, graphPermission(value)?.roleId, graphPermission(value)?.type], [scopeId, roleId, 'Admin'], value);
      }
      const all = (await graphSp()).oauth2PermissionScopes;
      const ids = all.map((s) => s.id);
      assert.equal(new Set(ids).size, ids.length, 'no two scopes share an id');
      const userRead = all.find((s) => s.value === 'User.Read')!;
      assert.equal(userRead.userConsentDisplayName, 'Sign you in and read your profile');
      assert.match(userRead.userConsentDescription!, /your organizational account/);
      for (const scopeEntry of all) assert.ok(scopeEntry.userConsentDescription && scopeEntry.adminConsentDescription, scopeEntry.value);
    });

    test('a tenant from before them gets them from the migration, and its apps and service principals their new columns', async () => {
      const db = h.db.db as unknown as Kysely<any>;
      const app = await h.container.applications.create(scope(), { displayName: 'Old app', redirectUris: ['https://old.example/cb'], withSecret: true });
      const before = await graphSp();
      await down(db);
      const stampDown = await stamp();
      const old = (await db.selectFrom('service_principals').select(['oauth2_permission_scopes']).where('tenant_id', '=', h.tenant.id).where('app_id', '=', GRAPH_APP_ID).executeTakeFirstOrThrow()).oauth2_permission_scopes;
      for (const value of Object.keys(PERMISSIONS)) assert.ok(!JSON.stringify(old).includes(`"${value}"`), `${value} before the migration`);
      await up(db);
      assert.ok((await stamp()) > stampDown, 'the stamp moves');
      offset += STAMP_RECHECK_MS + 1_000;
      const after = await graphSp();
      assert.deepEqual(after.oauth2PermissionScopes.map((s) => s.id).toSorted(), before.oauth2PermissionScopes.map((s) => s.id).toSorted());
      assert.deepEqual(after.appRoles.map((r) => r.id).toSorted(), before.appRoles.map((r) => r.id).toSorted());
      assert.equal(after.publisherName, 'Microsoft Services');
      const migrated = (await h.container.applications.client(scope(), app.appId))!;
      assert.equal(migrated.application.publisherDomain, h.tenant.domain);
      assert.deepEqual(migrated.application.verifiedPublisher, { displayName: null, verifiedPublisherId: null, addedDateTime: null });
      assert.equal(migrated.servicePrincipal?.publisherName, 'Contoso');
      assert.equal(migrated.servicePrincipal?.appDisplayName, 'Old app');
      assert.deepEqual(migrated.servicePrincipal?.replyUrls, ['https://old.example/cb']);
      assert.equal(migrated.servicePrincipal?.appRoleAssignmentRequired, false);
      assert.ok(h.container.applications.secretMatches(migrated.application, app.clientSecret!), 'credentials are untouched');
    });
  });
}
