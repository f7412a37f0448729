import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { FastifyInstance } from 'fastify';
import { createContainer, type Container } from '../../src/container.ts';
import { buildServer } from '../../src/http/server.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { STAMP_RECHECK_MS } from '../../src/modules/consent/stamped-cache.ts';
import { PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from '../../src/modules/directory/access/roles.catalog.ts';
import { tenantScope, type TenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, testConfig, type Harness } from '../helpers/server.ts';

/** A clock that only moves when told to. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.now();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

/**
 * The per-node caches of a tenant's apps, service principals, grants and role assignments (and of
 * tenant resolution) on two containers sharing one database: a change made through one node is seen
 * by the other within the stated bound (STAMP_RECHECK_MS, advanced on the test clock), and at once
 * by the node that made it.
 */
for (const dialect of testDialects) {
  describe(`stamped directory caches across two nodes (${dialect})`, () => {
    const clockA = manualClock();
    const clockB = manualClock();
    let h: Harness;
    let nodeB: { container: Container; app: FastifyInstance };
    let scope: TenantScope;
    let base: string;

    before(async () => {
      h = await createHarness(dialect, { clock: clockA, realTokens: true });
      const container = await createContainer(testConfig(), { database: h.db, clock: clockB, logger: createLogger('silent'), migrate: false });
      nodeB = { container, app: await buildServer(container) };
      await nodeB.app.ready();
      scope = tenantScope(h.tenant.id);
      base = h.container.config.baseUrl;
    });

    after(async () => {
      await nodeB?.app.close();
      await h?.close();
    });

    async function token(app: FastifyInstance, client: { appId: string; clientSecret: string | null }): Promise<{ status: number; roles: string[]; error?: string }> {
      const payload = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.appId, client_secret: client.clientSecret!, scope: `${base}/.default` }).toString();
      const res = await app.inject({ method: 'POST', url: `/${h.tenant.id}/oauth2/v2.0/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
      const body = res.json();
      const roles = res.statusCode === 200 ? ((decodeJwt(body.access_token).roles as string[] | undefined) ?? []) : [];
      return { status: res.statusCode, roles, error: body.error };
    }

    async function accessToken(app: FastifyInstance, client: { appId: string; clientSecret: string | null }): Promise<string> {
      const payload = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.appId, client_secret: client.clientSecret!, scope: `${base}/.default` }).toString();
      const res = await app.inject({ method: 'POST', url: `/${h.tenant.id}/oauth2/v2.0/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().access_token as string;
    }

    test('a revoked app role leaves the tokens of both nodes within the bound', async () => {
      const daemon = await h.container.applications.create(scope, { displayName: 'Role daemon', withSecret: true, applicationPermissions: ['User.Read.All', 'Group.Read.All'] });
      assert.deepEqual((await token(nodeB.app, daemon)).roles.sort(), ['Group.Read.All', 'User.Read.All']);
      assert.deepEqual((await token(h.app, daemon)).roles.sort(), ['Group.Read.All', 'User.Read.All']);

      await h.container.applications.revokeApplicationPermission(scope, daemon.appId, 'User.Read.All');
      assert.deepEqual((await token(h.app, daemon)).roles, ['Group.Read.All'], 'the node that made the change sees it at once');
      clockB.advance(STAMP_RECHECK_MS);
      assert.deepEqual((await token(nodeB.app, daemon)).roles, ['Group.Read.All'], 'the other node sees it within the bound');
    });

    test('a removed client secret stops working on both nodes within the bound', async () => {
      const daemon = await h.container.applications.create(scope, { displayName: 'Secret daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
      assert.equal((await token(nodeB.app, daemon)).status, 200);
      const keyId = (await h.container.applications.client(scope, daemon.appId))!.application.passwordCredentials[0]!.keyId;

      await h.container.applications.removePassword(scope, daemon.appId, keyId);
      assert.equal((await token(h.app, daemon)).error, 'invalid_client');
      clockB.advance(STAMP_RECHECK_MS);
      assert.equal((await token(nodeB.app, daemon)).error, 'invalid_client');
    });

    test('a disabled service principal gets no tokens from either node within the bound, and tokens again once enabled', async () => {
      const daemon = await h.container.applications.create(scope, { displayName: 'Disabled daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
      assert.equal((await token(nodeB.app, daemon)).status, 200);

      await nodeB.container.applications.setServicePrincipalEnabled(scope, daemon.appId, false);
      assert.equal((await token(nodeB.app, daemon)).error, 'invalid_client');
      clockA.advance(STAMP_RECHECK_MS);
      assert.equal((await token(h.app, daemon)).error, 'invalid_client');

      await h.container.applications.setServicePrincipalEnabled(scope, daemon.appId, true);
      assert.equal((await token(h.app, daemon)).status, 200);
      clockB.advance(STAMP_RECHECK_MS);
      assert.equal((await token(nodeB.app, daemon)).status, 200);
    });

    test('an app registered on one node is usable on the other at once (misses are not cached)', async () => {
      const unknown = { appId: '11111111-2222-3333-4444-555555555555', clientSecret: 'x' };
      assert.equal((await token(nodeB.app, unknown)).error, 'invalid_client');
      const daemon = await h.container.applications.create(scope, { displayName: 'New daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
      assert.deepEqual((await token(nodeB.app, daemon)).roles, ['User.Read.All']);
    });

    test("a service principal's directory role, added or removed on one node, applies to its Graph calls on both within the bound", async () => {
      const system = { kind: 'system', tenantId: scope.tenantId } as const;
      // an app that may update users, and a target who holds a privileged role: the app reaches
      // that target only while its own service principal holds Privileged Authentication Administrator
      const daemon = await h.container.applications.create(scope, { displayName: 'Role-holding daemon', withSecret: true, applicationPermissions: ['User.ReadWrite.All'] });
      const target = await h.container.users.create(scope, system, {
        accountEnabled: true,
        displayName: 'Privileged target',
        mailNickname: 'privtarget',
        userPrincipalName: `privtarget@${h.tenant.domain}`,
        passwordProfile: { password: 'Target-Passw0rd!', forceChangePasswordNextSignIn: false },
      });
      const roleId = async (templateId: string) => (await h.container.roles.getByTemplate(scope, system, templateId)).id;
      await h.container.roles.addMember(scope, system, await roleId(PRIVILEGED_ROLE_ADMINISTRATOR), { '@odata.id': `${base}/v1.0/directoryObjects/${target.id}` });
      const paa = await roleId(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
      const enable = async (node: FastifyInstance) => {
        const res = await node.inject({
          method: 'PATCH',
          url: `/v1.0/users/${target.id}`,
          headers: { authorization: `Bearer ${await accessToken(node, daemon)}`, 'content-type': 'application/json' },
          payload: { accountEnabled: true },
        });
        return res.statusCode;
      };
      // both nodes have cached "no directory roles" for the service principal
      assert.equal(await enable(h.app), 403);
      assert.equal(await enable(nodeB.app), 403);

      await h.container.roles.addMember(scope, system, paa, { '@odata.id': `${base}/v1.0/directoryObjects/${daemon.servicePrincipalId}` });
      assert.equal(await enable(h.app), 204, 'the node that made the change sees it at once');
      clockB.advance(STAMP_RECHECK_MS);
      assert.equal(await enable(nodeB.app), 204, 'the other node sees it within the bound');

      await nodeB.container.roles.removeMember(scope, system, paa, daemon.servicePrincipalId);
      assert.equal(await enable(nodeB.app), 403, 'removed: the node that made the change refuses at once');
      clockA.advance(STAMP_RECHECK_MS);
      assert.equal(await enable(h.app), 403, 'removed: the other node refuses within the bound');
    });

    test("the tenant's name and branding (sign-in pages) change on both nodes within the bound", async () => {
      const system = { kind: 'system', tenantId: scope.tenantId } as const;
      const before = (await nodeB.container.tenants.pageBranding(scope))!;
      assert.equal((await h.container.tenants.pageBranding(scope))!.displayName, before.displayName);
      await h.container.tenants.updateBranding(scope, system, { backgroundColor: '#0a0b0c' });
      await h.container.tenants.updateOrganization(scope, system, scope.tenantId, { displayName: 'Renamed on node A' });
      const onA = (await h.container.tenants.pageBranding(scope))!;
      assert.deepEqual([onA.displayName, onA.branding.backgroundColor], ['Renamed on node A', '#0a0b0c'], 'the node that made the change sees it at once');
      clockB.advance(STAMP_RECHECK_MS);
      const onB = (await nodeB.container.tenants.pageBranding(scope))!;
      assert.deepEqual([onB.displayName, onB.branding.backgroundColor], ['Renamed on node A', '#0a0b0c'], 'the other node sees it within the bound');
      await nodeB.container.tenants.updateOrganization(scope, system, scope.tenantId, { displayName: before.displayName });
      assert.equal((await nodeB.container.tenants.pageBranding(scope))!.displayName, before.displayName);
      clockA.advance(STAMP_RECHECK_MS);
      assert.equal((await h.container.tenants.pageBranding(scope))!.displayName, before.displayName);
    });

    test('tenant resolution by domain and id agrees on both nodes', async () => {
      assert.equal((await nodeB.container.tenants.resolve(h.tenant.domain.toUpperCase()))?.tenantId, h.tenant.id);
      assert.equal((await nodeB.container.tenants.resolve(h.tenant.id))?.tenantId, h.tenant.id);
      assert.equal(await nodeB.container.tenants.resolve('nowhere.example'), null);
      clockB.advance(STAMP_RECHECK_MS);
      assert.equal((await nodeB.container.tenants.resolve(h.tenant.domain))?.tenantId, h.tenant.id);
    });
  });
}
