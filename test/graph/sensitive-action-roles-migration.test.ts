import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { down, up } from '../../src/storage/migrations/2026_11_24_090000_sensitive_action_roles.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * New built-in roles reach every tenant: a tenant created now activates them with the rest, and a
 * tenant created before them gets them from the migration (with Graph's new
 * User-PasswordProfile.ReadWrite.All permission on its Microsoft Graph service principal).
 */
const NEW_ROLES = { '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator', '966707d0-3269-4727-9be2-8c3a10f19b9d': 'Password Administrator' };

for (const dialect of testDialects) {
  describe(`Privileged Authentication and Password Administrator in every tenant (${dialect})`, () => {
    let h: Harness;
    before(async () => {
      h = await createHarness(dialect);
    });
    after(() => h?.close());

    const directoryRoles = async () => (await graphCaller(h.app, h.tenant.adminToken)('GET', '/directoryRoles')).body.value as { displayName: string; roleTemplateId: string }[];
    const graphPermissionValues = async () => {
      const graph = (await h.container.applications.servicePrincipal(tenantScope(h.tenant.id), GRAPH_APP_ID))!;
      return { roles: graph.appRoles.map((r) => `${r.value}:${r.id}`), scopes: graph.oauth2PermissionScopes.map((s) => `${s.value}:${s.id}`) };
    };

    test('a new tenant lists them in /directoryRoles, and Graph offers User-PasswordProfile.ReadWrite.All', async () => {
      const roles = await directoryRoles();
      for (const [template, name] of Object.entries(NEW_ROLES)) assert.ok(roles.some((r) => r.roleTemplateId === template && r.displayName === name), name);
      const graph = await graphPermissionValues();
      assert.ok(graph.roles.includes('User-PasswordProfile.ReadWrite.All:cc117bb9-00cf-4eb8-b580-ea2a878fe8f7'));
      assert.ok(graph.scopes.includes('User-PasswordProfile.ReadWrite.All:56760768-b641-451f-8906-e1b8ab31bca7'));
    });

    test('a tenant from before the roles existed gets them from the migration, once', async () => {
      const db = h.db.db as unknown as Kysely<any>;
      const before = (await directoryRoles()).length;
      await down(db); // the tenant as it was before this migration
      const without = await directoryRoles();
      assert.equal(without.length, before - 2);
      assert.ok(!without.some((r) => r.roleTemplateId in NEW_ROLES));
      assert.ok(!(await graphPermissionValues()).roles.some((r) => r.startsWith('User-PasswordProfile.ReadWrite.All')));

      await up(db);
      await up(db); // a second run adds nothing
      const roles = await directoryRoles();
      assert.equal(roles.length, before);
      for (const [template, name] of Object.entries(NEW_ROLES)) assert.equal(roles.filter((r) => r.roleTemplateId === template && r.displayName === name).length, 1, name);
      const graph = await graphPermissionValues();
      assert.equal(graph.roles.filter((r) => r === 'User-PasswordProfile.ReadWrite.All:cc117bb9-00cf-4eb8-b580-ea2a878fe8f7').length, 1);
      assert.equal(graph.scopes.filter((s) => s === 'User-PasswordProfile.ReadWrite.All:56760768-b641-451f-8906-e1b8ab31bca7').length, 1);

      // and an app can be granted the permission, which then appears in its app-only tokens' roles
      const daemon = await h.container.applications.create(tenantScope(h.tenant.id), { displayName: 'Password resets', withSecret: true, applicationPermissions: ['User-PasswordProfile.ReadWrite.All'] });
      assert.deepEqual(await h.container.applications.applicationRoles(tenantScope(h.tenant.id), daemon.appId, GRAPH_APP_ID), ['User-PasswordProfile.ReadWrite.All']);
    });
  });
}
