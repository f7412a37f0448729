import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * authorizationPolicy.guestUserRoleId decides what a GUEST may read on Graph (issue 15 item 1):
 * User (same as members), Guest User (default: own profile, others by id, no lists of users or
 * groups) and Restricted Guest User (own profile only). Directory roles assigned to a guest apply.
 */
const LEVELS = { member: 'a0b1b346-4d3e-4e8b-98f8-753987be4970', limited: '10dae51f-b6af-4016-8d66-8c2a99b929b3', restricted: '2af84b1e-32c8-42b7-82bc-daa82404023b' };
const READ_SCOPES = ['User.Read', 'User.Read.All', 'Group.Read.All', 'Directory.Read.All'];

for (const dialect of testDialects) {
  describe(`guest access levels (${dialect})`, () => {
    let h: Harness;
    let ga: Graph;
    let guest: { id: string; graph: Graph };
    let guestWithRole: Graph;
    let member: Graph;
    let otherUserId: string;
    let groupId: string;

    before(async () => {
      h = await createHarness(dialect);
      ga = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['Policy.ReadWrite.Authorization', 'Directory.ReadWrite.All']));
      const g = await userWithRoles(h, { userType: 'Guest', scopes: READ_SCOPES, name: 'guest' });
      guest = { id: g.id, graph: graphCaller(h.app, g.token) };
      guestWithRole = graphCaller(h.app, (await userWithRoles(h, { userType: 'Guest', roles: [ROLE.directoryReaders], scopes: READ_SCOPES })).token);
      member = graphCaller(h.app, (await userWithRoles(h, { scopes: READ_SCOPES })).token);
      otherUserId = h.tenant.adminId;
      const group = await ga('POST', '/groups', { displayName: 'Project', mailNickname: 'project', mailEnabled: false, securityEnabled: true, 'members@odata.bind': [] });
      assert.equal(group.status, 201, group.text);
      groupId = group.body.id;
    });
    after(() => h?.close());

    const setLevel = async (level: keyof typeof LEVELS) => assert.equal((await ga('PATCH', '/policies/authorizationPolicy', { guestUserRoleId: LEVELS[level] })).status, 204);
    const statuses = async (graph: Graph) => ({
      me: (await graph('GET', '/me')).status,
      ownById: (await graph('GET', `/users/${guest.id}`)).status,
      otherById: (await graph('GET', `/users/${otherUserId}`)).status,
      otherMemberOf: (await graph('GET', `/users/${otherUserId}/memberOf`)).status,
      users: (await graph('GET', '/users')).status,
      usersCount: (await graph('GET', '/users/$count', undefined, { consistencylevel: 'eventual' })).status,
      groupById: (await graph('GET', `/groups/${groupId}`)).status,
      groups: (await graph('GET', '/groups')).status,
      organization: (await graph('GET', '/organization')).status,
    });

    test('Guest User (the default): own profile and objects by id, no enumeration', async () => {
      assert.deepEqual(await statuses(guest.graph), { me: 200, ownById: 200, otherById: 200, otherMemberOf: 200, users: 403, usersCount: 403, groupById: 200, groups: 403, organization: 200 });
      // and through $batch, item by item
      const batch = await guest.graph('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users' }, { id: '2', method: 'GET', url: `/users/${otherUserId}` }] });
      assert.equal(batch.status, 200);
      const byId = Object.fromEntries(batch.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]));
      assert.deepEqual(byId, { '1': 403, '2': 200 });
    });

    test('Restricted Guest User: their own profile only; other objects do not exist for them', async () => {
      await setLevel('restricted');
      try {
        assert.deepEqual(await statuses(guest.graph), { me: 200, ownById: 200, otherById: 404, otherMemberOf: 404, users: 403, usersCount: 403, groupById: 403, groups: 403, organization: 403 });
        // by UPN too
        assert.equal((await guest.graph('GET', `/users/admin@${h.tenant.domain}`)).status, 404);
        assert.equal((await guest.graph('GET', `/users/${guest.id}/memberOf`)).status, 200);
      } finally {
        await setLevel('limited');
      }
    });

    test('User (member access): guests read like members', async () => {
      await setLevel('member');
      try {
        const everything = { me: 200, ownById: 200, otherById: 200, otherMemberOf: 200, users: 200, usersCount: 200, groupById: 200, groups: 200, organization: 200 };
        assert.deepEqual(await statuses(guest.graph), everything);
      } finally {
        await setLevel('limited');
      }
    });

    test('members are not affected, and a directory role held by a guest applies in full', async () => {
      await setLevel('restricted');
      try {
        const everything = { me: 200, ownById: 200, otherById: 200, otherMemberOf: 200, users: 200, usersCount: 200, groupById: 200, groups: 200, organization: 200 };
        assert.deepEqual(await statuses(member), everything);
        assert.deepEqual(await statuses(guestWithRole), everything);
      } finally {
        await setLevel('limited');
      }
    });

    test('a guest still needs the token scopes, whatever the level', async () => {
      await setLevel('member');
      try {
        const scoped = graphCaller(h.app, h.tokens.user(h.tenant.id, guest.id, ['User.Read']));
        assert.equal((await scoped('GET', '/me')).status, 200);
        assert.equal((await scoped('GET', '/users')).status, 403);
      } finally {
        await setLevel('limited');
      }
    });
  });
}
