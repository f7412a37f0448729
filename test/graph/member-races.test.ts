import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph, type GraphResponse } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Issue 13 item 9, third bullet, in one process: concurrent adds of the same member (through the
 * pool's several PostgreSQL connections) race past the "already a member" pre-check; the loser's
 * primary-key violation must answer the same 400 as a sequential duplicate, never a 500.
 * (SQLite runs one transaction at a time, so there the race cannot happen; the test holds anyway.)
 * The two-process version is test/e2e/member-races.test.ts.
 */
const ROUNDS = 10;
const AT_ONCE = 4;
const DUPLICATE = {
  members: "One or more added object references already exist for the following modified properties: 'members'.",
  owners: "One or more added object references already exist for the following modified properties: 'owners'.",
};
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

for (const dialect of testDialects) {
  describe(`concurrent adds of the same member (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    const users: string[] = [];
    const group = async (nick: string) => (await graph('POST', '/groups', { displayName: nick, mailNickname: nick, mailEnabled: false, securityEnabled: true })).body.id as string;

    function assertOneWinner(responses: GraphResponse[], duplicate: string, round: number): void {
      for (const response of responses) {
        assert.ok(response.status === 204 || (response.status === 400 && response.body.error.code === 'Request_BadRequest' && response.body.error.message === duplicate), `round ${round}: ${response.status} ${response.text}`);
      }
      assert.equal(responses.filter((r) => r.status === 204).length, 1, `round ${round}: exactly one add succeeds`);
    }

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      for (let i = 0; i < ROUNDS; i++) {
        const created = await graph('POST', '/users', { accountEnabled: true, displayName: `u${i}`, mailNickname: `u${i}`, userPrincipalName: `u${i}@${h.tenant.domain}`, passwordProfile: { password: 'Str0ng!Passw0rd' } });
        users.push(created.body.id as string);
      }
    });
    after(() => h.close());

    test('group members and owners', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await group(`race${round}`);
        const user = users[round]!;
        const members = await Promise.all(Array.from({ length: AT_ONCE }, () => graph('POST', `/groups/${id}/members/$ref`, ref(user))));
        assertOneWinner(members, DUPLICATE.members, round);
        const owners = await Promise.all(Array.from({ length: AT_ONCE }, () => graph('POST', `/groups/${id}/owners/$ref`, ref(user))));
        assertOneWinner(owners, DUPLICATE.owners, round);
        assert.deepEqual((await graph('GET', `/groups/${id}/members`)).body.value.map((m: { id: string }) => m.id), [user]);
        assert.deepEqual((await graph('GET', `/groups/${id}/owners`)).body.value.map((m: { id: string }) => m.id), [user]);
      }
    });

    test('members@odata.bind in a PATCH racing $ref adds', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await group(`bind${round}`);
        const user = users[round]!;
        const responses = await Promise.all([
          graph('PATCH', `/groups/${id}`, { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${user}`] }),
          ...Array.from({ length: AT_ONCE - 1 }, () => graph('POST', `/groups/${id}/members/$ref`, ref(user))),
        ]);
        assertOneWinner(responses, DUPLICATE.members, round);
        assert.deepEqual((await graph('GET', `/groups/${id}/members`)).body.value.map((m: { id: string }) => m.id), [user]);
      }
    });

    test('directory role members', async () => {
      const role = ((await graph('GET', '/directoryRoles')).body.value as { id: string; displayName: string }[]).find((r) => r.displayName === 'Guest Inviter')!;
      for (let round = 0; round < ROUNDS; round++) {
        const user = users[round]!;
        const responses = await Promise.all(Array.from({ length: AT_ONCE }, () => graph('POST', `/directoryRoles/${role.id}/members/$ref`, ref(user))));
        assertOneWinner(responses, DUPLICATE.members, round);
        const members = (await graph('GET', `/directoryRoles/${role.id}/members`)).body.value as { id: string }[];
        assert.equal(members.filter((m) => m.id === user).length, 1);
      }
    });

    test('a sequential duplicate still gets the same 400, and a bad reference is still a 404', async () => {
      const id = await group('sequential');
      assert.equal((await graph('POST', `/groups/${id}/members/$ref`, ref(users[0]!))).status, 204);
      assertOneWinner([{ status: 204 } as GraphResponse, await graph('POST', `/groups/${id}/members/$ref`, ref(users[0]!))], DUPLICATE.members, 0);
      const missing = await graph('POST', `/groups/${id}/members/$ref`, ref('00000000-0000-4000-8000-000000000001'));
      assert.equal(missing.status, 404);
    });
  });
}
