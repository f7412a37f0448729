import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/kernel/ids.ts';
import { GLOBAL_ADMINISTRATOR } from '../../src/modules/directory/index.ts';
import { globalAdminsRepo } from '../../src/modules/directory/global-admins.repo.ts';
import { rolesRepo } from '../../src/modules/directory/roles.repo.ts';
import { inTransaction, scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/** the remover's role: it reaches every user, and it is not Global Administrator, so that role's members are exactly the racing users */
const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';

/**
 * The last-Global-Administrator rule under concurrency, in one process on both databases (the
 * two-node version is test/e2e/last-global-admin-race.test.ts): a tenant with exactly two enabled
 * Global Administrators, and two requests at once, each taking one of them out by any path (role
 * removal, delete, disable). Exactly one wins, the other gets 409, one remains.
 */
type Removal = 'unassign' | 'delete' | 'disable';
const PAIRS: [Removal, Removal][] = [
  ['unassign', 'unassign'],
  ['delete', 'delete'],
  ['disable', 'disable'],
  ['unassign', 'delete'],
  ['delete', 'disable'],
  ['disable', 'unassign'],
  ['unassign', 'unassign'],
  ['delete', 'unassign'],
  ['disable', 'delete'],
  ['unassign', 'disable'],
];

for (const dialect of testDialects) {
  describe(`the last enabled Global Administrator under concurrent removals (${dialect})`, () => {
    let h: Harness;
    let app: Graph;
    let gaRoleId: string;
    let counter = 0;
    const scope = () => tenantScope(h.tenant.id);
    const system = () => ({ kind: 'system' as const, tenantId: h.tenant.id });

    async function newGlobalAdmin(): Promise<string> {
      const n = ++counter;
      const user = await h.container.users.createMember(scope(), system(), { userPrincipalName: `ga${n}@${h.tenant.domain}`, displayName: `GA ${n}`, mailNickname: `ga${n}`, accountEnabled: true, password: 'Global-Passw0rd!' });
      await inTransaction(h.db, scope(), (tdb) => h.container.roles.assignByTemplate(tdb, system(), GLOBAL_ADMINISTRATOR, user.id));
      return user.id;
    }

    const takeOut = (how: Removal, userId: string) =>
      how === 'unassign' ? app('DELETE', `/directoryRoles/${gaRoleId}/members/${userId}/$ref`) : how === 'delete' ? app('DELETE', `/users/${userId}`) : app('PATCH', `/users/${userId}`, { accountEnabled: false });

    before(async () => {
      h = await createHarness(dialect);
      gaRoleId = (await rolesRepo.findByTemplate(scoped(h.db, scope()), GLOBAL_ADMINISTRATOR))!.id;
      // An app whose service principal holds Privileged Authentication Administrator does the removals.
      const { servicePrincipalId } = await h.container.applications.create(scope(), { displayName: 'Remover' });
      await inTransaction(h.db, scope(), (tdb) => h.container.roles.assignByTemplate(tdb, system(), PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, servicePrincipalId));
      app = graphCaller(h.app, h.tokens.issue({ tenantId: h.tenant.id, kind: 'app', objectId: servicePrincipalId, clientAppId: newId(), scopes: [], roles: ['User.ReadWrite.All', 'RoleManagement.ReadWrite.Directory'] }));
      await newGlobalAdmin();
      await newGlobalAdmin();
      await inTransaction(h.db, scope(), (tdb) => rolesRepo.removeMember(tdb, gaRoleId, h.tenant.adminId));
    });
    after(() => h?.close());

    test('two removals at once, ten rounds over every pairing of the paths', async () => {
      const tdb = scoped(h.db, scope());
      for (let round = 0; round < PAIRS.length; round++) {
        const admins = await globalAdminsRepo.enabledUserIds(tdb);
        assert.equal(admins.length, 2, `round ${round} starts with two`);
        const [how1, how2] = PAIRS[round]!;
        const results = await Promise.all([takeOut(how1, admins[0]!), takeOut(how2, admins[1]!)]);
        const label = `round ${round} (${how1} / ${how2}): ${JSON.stringify(results.map((r) => [r.status, r.body?.error?.message]))}`;
        assert.equal((await globalAdminsRepo.enabledUserIds(tdb)).length, 1, label);
        assert.deepEqual(results.map((r) => r.status).sort(), [204, 409], label);
        assert.match(results.find((r) => r.status === 409)!.body.error.message, /last enabled Global Administrator/, label);
        await newGlobalAdmin();
      }
    });
  });
}
