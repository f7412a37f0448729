import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { GRAPH_APP_ID, grantsRepo } from '../../src/modules/consent/index.ts';
import { down, up } from '../../src/storage/migrations/2026_12_04_100000_permission_grants_unique.ts';
import { inTransaction, scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * One delegated permission grant per (client, resource, AllPrincipals | principal) and one app role
 * assignment per (principal, resource, role), under concurrency: merges running at once end in one
 * row holding every scope asked for (PostgreSQL really runs them at once; SQLite queues them), two
 * Graph POSTs of the same grant give one 201 and one 409, and the migration folds the duplicates an
 * older database may hold before it adds the unique indexes.
 */
const NOW = '2026-12-04T10:00:00.000Z';
const DEFAULT_ROLE = '00000000-0000-0000-0000-000000000000';

for (const dialect of testDialects) {
  describe(`permission grants under concurrency (${dialect})`, () => {
    let h: Harness;
    let clientSpId: string;
    let graphSpId: string;
    let userId: string;
    const scope = () => tenantScope(h.tenant.id);

    before(async () => {
      h = await createHarness(dialect);
      const app = await h.container.applications.create(scope(), { displayName: 'Racer', redirectUris: ['https://racer.example/cb'], withSecret: true });
      clientSpId = app.servicePrincipalId;
      graphSpId = (await h.container.applications.servicePrincipal(scope(), GRAPH_APP_ID))!.id;
      userId = (await h.container.users.createMember(scope(), { kind: 'system', tenantId: h.tenant.id }, { userPrincipalName: `racer@${h.tenant.domain}`, displayName: 'Racer', mailNickname: 'racer', accountEnabled: true, password: 'Racer-Passw0rd!' })).id;
    });
    after(() => h?.close());

    const merge = (consentType: 'AllPrincipals' | 'Principal', scopes: string[]) =>
      inTransaction(h.db, scope(), (tdb) => grantsRepo.mergePermissionGrant(tdb, { clientId: clientSpId, resourceId: graphSpId, consentType, principalId: consentType === 'Principal' ? userId : null, scopes }, NOW));

    const rows = async (consentType: string) =>
      (await grantsRepo.permissionGrants(scoped(h.db, scope()), clientSpId, graphSpId)).filter((g) => g.consentType === consentType);

    test('concurrent tenant-wide merges end in one grant holding every scope', async () => {
      const sets = [['User.Read'], ['Mail.Read', 'User.Read'], ['Calendars.Read'], ['Files.Read', 'Mail.Read'], ['Contacts.Read']];
      const results = await Promise.all(sets.map((set) => merge('AllPrincipals', set)));
      const stored = await rows('AllPrincipals');
      assert.equal(stored.length, 1, 'one row');
      assert.deepEqual(stored[0]!.scope.split(' ').toSorted(), ['Calendars.Read', 'Contacts.Read', 'Files.Read', 'Mail.Read', 'User.Read']);
      // every caller got that one grant back, each with at least what it asked for
      for (const [i, result] of results.entries()) {
        assert.equal(result.id, stored[0]!.id);
        for (const value of sets[i]!) assert.ok(result.scope.split(' ').includes(value));
      }
    });

    test("concurrent merges of one user's consent end in one Principal grant, apart from the tenant-wide one", async () => {
      await Promise.all([merge('Principal', ['User.Read']), merge('Principal', ['Mail.Read']), merge('Principal', ['User.Read', 'Mail.Send'])]);
      const stored = await rows('Principal');
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.principalId, userId);
      assert.deepEqual(stored[0]!.scope.split(' ').toSorted(), ['Mail.Read', 'Mail.Send', 'User.Read']);
      assert.equal((await rows('AllPrincipals')).length, 1);
      // merging again changes nothing and keeps the order the scopes were first granted in
      const before = stored[0]!.scope;
      const again = await merge('Principal', ['Mail.Read']);
      assert.equal(again.scope, before);
    });

    test('a second row for the same combination is refused by the database itself', async () => {
      const grant = (await rows('AllPrincipals'))[0]!;
      await assert.rejects(
        inTransaction(h.db, scope(), (tdb) => grantsRepo.insertPermissionGrant(tdb, { ...grant, id: 'duplicate-grant' }, NOW)),
        (error: { code?: string }) => ['23505', 'SQLITE_CONSTRAINT_UNIQUE'].includes(String(error.code)),
      );
    });

    test('concurrent ensureAppRoleAssignment calls make one assignment', async () => {
      const ensure = () => inTransaction(h.db, scope(), (tdb) => grantsRepo.ensureAppRoleAssignment(tdb, { appRoleId: DEFAULT_ROLE, principalId: userId, principalType: 'User', resourceId: clientSpId }, NOW));
      const results = await Promise.all([ensure(), ensure(), ensure(), ensure()]);
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      assert.equal((await grantsRepo.appRoleAssignments(scoped(h.db, scope()), userId, clientSpId)).length, 1);
    });

    test('two Graph POSTs of the same grant at once: one 201, one 409, one row', async () => {
      const other = await h.container.applications.create(scope(), { displayName: 'Racer two', redirectUris: ['https://racer2.example/cb'] });
      const graph = graphCaller(h.app, h.tenant.adminToken);
      const body = { clientId: other.servicePrincipalId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId, scope: 'User.Read' };
      const answers = await Promise.all([graph('POST', '/oauth2PermissionGrants', body), graph('POST', '/oauth2PermissionGrants', body)]);
      assert.deepEqual(answers.map((a) => a.status).toSorted(), [201, 409]);
      const conflict = answers.find((a) => a.status === 409)!;
      assert.equal(conflict.body.error.message, 'Permission entry already exists.');
      assert.equal((await grantsRepo.permissionGrants(scoped(h.db, scope()), other.servicePrincipalId, graphSpId)).length, 1);
    });

    test('the migration folds duplicates from before it into one row, then enforces uniqueness', async () => {
      const db = h.db.db as unknown as Kysely<any>;
      const stamp = async () => Number((await sql<{ s: number }>`select directory_stamp as s from tenants where id = ${h.tenant.id}`.execute(h.db.db)).rows[0]!.s);
      const dup = await h.container.applications.create(scope(), { displayName: 'Old duplicates', redirectUris: ['https://old.example/cb'] });
      await down(db);
      try {
        const tdb = scoped(h.db, scope());
        await grantsRepo.insertPermissionGrant(tdb, { id: 'old-1', clientId: dup.servicePrincipalId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId, scope: 'User.Read Mail.Read' }, '2026-01-01T00:00:00.000Z');
        await grantsRepo.insertPermissionGrant(tdb, { id: 'old-2', clientId: dup.servicePrincipalId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId, scope: 'Mail.Read Files.Read' }, '2026-01-02T00:00:00.000Z');
        await grantsRepo.insertPermissionGrant(tdb, { id: 'old-3', clientId: dup.servicePrincipalId, consentType: 'Principal', principalId: userId, resourceId: graphSpId, scope: 'User.Read' }, '2026-01-03T00:00:00.000Z');
        for (const id of ['a-1', 'a-2']) {
          await grantsRepo.insertAppRoleAssignment(tdb, { id, appRoleId: DEFAULT_ROLE, principalId: userId, principalType: 'User', resourceId: dup.servicePrincipalId, createdDateTime: id === 'a-1' ? '2026-01-01T00:00:00.000Z' : '2026-01-02T00:00:00.000Z' });
        }
      } finally {
        const before = await stamp();
        await up(db);
        assert.ok((await stamp()) > before, 'the stamp of a tenant whose rows were merged moves');
      }
      const grants = await grantsRepo.permissionGrants(scoped(h.db, scope()), dup.servicePrincipalId, graphSpId);
      assert.deepEqual(
        grants.map((g) => [g.id, g.consentType, g.scope]).toSorted(),
        [
          ['old-1', 'AllPrincipals', 'User.Read Mail.Read Files.Read'],
          ['old-3', 'Principal', 'User.Read'],
        ],
      );
      assert.deepEqual((await grantsRepo.appRoleAssignments(scoped(h.db, scope()), userId, dup.servicePrincipalId)).map((a) => a.id), ['a-1']);
      // a tenant-wide grant and a user's grant for the same client and resource may both exist; two of either may not
      await assert.rejects(grantsRepo.insertPermissionGrant(scoped(h.db, scope()), { id: 'old-4', clientId: dup.servicePrincipalId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId, scope: 'User.Read' }, NOW));
      await assert.rejects(grantsRepo.insertAppRoleAssignment(scoped(h.db, scope()), { id: 'a-3', appRoleId: DEFAULT_ROLE, principalId: userId, principalType: 'User', resourceId: dup.servicePrincipalId, createdDateTime: NOW }));
    });
  });
}
