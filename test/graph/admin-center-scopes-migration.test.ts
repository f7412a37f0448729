import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { ADMIN_CENTER_APP_ID, ADMIN_CENTER_SCOPES, GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { down, up } from '../../src/storage/migrations/2026_12_04_130000_admin_center_consent_scopes.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Issue 16, item 7: the admin center's pages for applications, consent and consent requests call
 * Graph APIs its token did not allow. A tenant created now has the new scopes in the admin center's
 * tenant-wide grant on Microsoft Graph; a tenant created before gets them from the migration
 * (2026_12_04_130000_admin_center_consent_scopes), once, without touching any other grant, and its
 * directory stamp moves so nodes read the grant again.
 */
const ADDED = ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Policy.ReadWrite.PermissionGrant', 'Policy.ReadWrite.ConsentRequest', 'ConsentRequest.ReadWrite.All'];

for (const dialect of testDialects) {
  describe(`the admin center's consent scopes in every tenant (${dialect})`, () => {
    let h: Harness;
    before(async () => {
      h = await createHarness(dialect);
    });
    after(() => h?.close());

    const db = () => h.db.db as unknown as Kysely<any>;
    /** the tenant's grants on Microsoft Graph, by client appId */
    const grants = async () => {
      const rows = await db()
        .selectFrom('oauth2_permission_grants as g')
        .innerJoin('service_principals as c', (join) => join.onRef('c.tenant_id', '=', 'g.tenant_id').onRef('c.id', '=', 'g.client_id'))
        .innerJoin('service_principals as r', (join) => join.onRef('r.tenant_id', '=', 'g.tenant_id').onRef('r.id', '=', 'g.resource_id'))
        .select(['c.app_id as appId', 'g.scope as scope', 'g.consent_type as consentType'])
        .where('g.tenant_id', '=', h.tenant.id)
        .where('r.app_id', '=', GRAPH_APP_ID)
        .execute();
      return new Map(rows.map((row) => [`${row.appId}/${row.consentType}`, String(row.scope)]));
    };
    const adminCenter = async () => (await grants()).get(`${ADMIN_CENTER_APP_ID}/AllPrincipals`)!.split(' ');
    const stamp = async () => Number((await sql<{ s: number }>`select directory_stamp as s from tenants where id = ${h.tenant.id}`.execute(h.db.db)).rows[0]!.s);

    test('a new tenant pre-consents the admin center to exactly ADMIN_CENTER_SCOPES, the new ones included', async () => {
      const scopes = await adminCenter();
      assert.deepEqual(scopes, ADMIN_CENTER_SCOPES.split(' '));
      for (const value of ADDED) assert.ok(scopes.includes(value), value);
    });

    test('a tenant from before them gets them from the migration, once; other grants are untouched', async () => {
      const others = await grants();
      others.delete(`${ADMIN_CENTER_APP_ID}/AllPrincipals`);
      const stampBefore = await stamp();

      await down(db()); // the tenant as it was before this migration
      const old = await adminCenter();
      assert.deepEqual(old, ['User.Read', 'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'Organization.ReadWrite.All', 'offline_access', 'openid', 'profile']);
      assert.ok((await stamp()) > stampBefore, 'the stamp moves when the grant changes');

      const stampDown = await stamp();
      await up(db());
      const stampUp = await stamp();
      assert.ok(stampUp > stampDown);
      assert.deepEqual(await adminCenter(), [...old, ...ADDED]);
      await up(db()); // a second run adds nothing and changes nothing
      assert.equal(await stamp(), stampUp);
      assert.deepEqual(await adminCenter(), [...old, ...ADDED]);

      const after = await grants();
      after.delete(`${ADMIN_CENTER_APP_ID}/AllPrincipals`);
      assert.deepEqual([...after].sort(), [...others].sort(), 'My Account, home sign-in and other apps keep their grants');
    });

    test('scopes the grant already holds, in any casing, are not added twice', async () => {
      await db()
        .updateTable('oauth2_permission_grants')
        .set({ scope: 'openid application.readwrite.all User.Read' })
        .where('tenant_id', '=', h.tenant.id)
        .where('consent_type', '=', 'AllPrincipals')
        .where('client_id', '=', (await h.container.applications.servicePrincipal(tenantScope(h.tenant.id), ADMIN_CENTER_APP_ID))!.id)
        .execute();
      await up(db());
      assert.deepEqual(await adminCenter(), ['openid', 'application.readwrite.all', 'User.Read', ...ADDED.filter((value) => value !== 'Application.ReadWrite.All')]);
    });
  });
}
