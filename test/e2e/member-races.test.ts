import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { NODE_SECRET, reservePorts, nodeScheme, startNodes, stopNodes, type ServeNode } from '../helpers/nodes.ts';
import { tokenRequest } from '../helpers/oidc-flow.ts';
import { testConfig } from '../helpers/server.ts';

/**
 * Issue 13 item 9, third bullet: the same member added at once through two `tessera serve` nodes on
 * one PostgreSQL database. Each node's pre-check sees no membership yet, both insert, and the loser
 * hit the primary key: that used to surface as a 500. Every answer must be the 204 of the winner or
 * the 400 a sequential duplicate gets, and exactly one membership may exist afterwards.
 */
const skip = process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set (needs PostgreSQL)';
const ROUNDS = 10;
/** requests per node per round: both nodes, and a second request on each, race for the same insert */
const PER_NODE = 2;
const DUPLICATE = {
  members: "One or more added object references already exist for the following modified properties: 'members'.",
  owners: "One or more added object references already exist for the following modified properties: 'owners'.",
};

describe('the same member added at once through two nodes (PostgreSQL)', { skip }, () => {
  let db: TestDatabase;
  let setup: Container;
  let nodes: ServeNode[] = [];
  let tid: string;
  let accessToken: string;
  const system = () => ({ kind: 'system' as const, tenantId: tid });
  const users: string[] = [];

  const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
  const post = (node: ServeNode, path: string, body: unknown) =>
    fetch(`${node.url}/v1.0${path}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Fires the same request at every node PER_NODE times at once; returns [status, error message] per response. */
  async function race(path: string, body: unknown): Promise<[number, string | null][]> {
    const responses = await Promise.all(nodes.flatMap((node) => Array.from({ length: PER_NODE }, () => post(node, path, body))));
    return Promise.all(
      responses.map(async (response): Promise<[number, string | null]> => {
        const text = await response.text();
        return [response.status, text ? ((JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text) : null];
      }),
    );
  }

  function assertOneWinner(results: [number, string | null][], duplicate: string, round: number): void {
    for (const [status, message] of results) {
      assert.ok(status === 204 || (status === 400 && message === duplicate), `round ${round}: got ${status} ${message}`);
    }
    assert.equal(results.filter(([status]) => status === 204).length, 1, `round ${round}: exactly one add succeeds: ${JSON.stringify(results)}`);
  }

  async function rows(table: 'group_members' | 'group_owners', groupId: string, memberId: string): Promise<number> {
    const found = await db.db.selectFrom(table).select('member_id').where('tenant_id', '=', tid).where('group_id', '=', groupId).where('member_id', '=', memberId).execute();
    return found.length;
  }

  before(async () => {
    db = await createTestDatabase('postgres');
    const ports = await reservePorts(2);
    const baseUrl = `${nodeScheme()}://127.0.0.1:${ports[0]}`;
    setup = await createContainer({ ...testConfig(), baseUrl, secret: NODE_SECRET }, { database: db, migrate: false, logger: createLogger('silent') });
    const domain = `races${process.pid}.example`;
    const { tenant } = await setup.tenants.create({ displayName: 'Races', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
    tid = tenant.id;
    const daemon = await setup.applications.create(tenantScope(tid), { displayName: 'Daemon', withSecret: true, applicationPermissions: ['Group.ReadWrite.All', 'RoleManagement.ReadWrite.Directory'] });
    for (let i = 0; i < ROUNDS; i++) {
      const user = await setup.users.createMember(tenantScope(tid), system(), { userPrincipalName: `racer${i}@${domain}`, displayName: `Racer ${i}`, mailNickname: `racer${i}`, accountEnabled: true, password: 'Racer-Passw0rd!' });
      users.push(user.id);
    }
    nodes = await startNodes({ databaseUrl: db.url, ports, baseUrl });
    const token = await tokenRequest(nodes[0]!.url, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${baseUrl}/.default` });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    accessToken = String(token.body.access_token);
  });

  after(async () => {
    await stopNodes(nodes);
    await setup?.close();
  });

  test('group members: one 204, the rest the duplicate 400, one membership', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const group = await setup.groups.create(tenantScope(tid), system(), { displayName: `Members ${round}`, mailNickname: `members${round}`, mailEnabled: false, securityEnabled: true });
      assertOneWinner(await race(`/groups/${group.id}/members/$ref`, ref(users[round]!)), DUPLICATE.members, round);
      assert.equal(await rows('group_members', group.id, users[round]!), 1);
    }
  });

  test('group owners: one 204, the rest the duplicate 400, one ownership', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const group = await setup.groups.create(tenantScope(tid), system(), { displayName: `Owners ${round}`, mailNickname: `owners${round}`, mailEnabled: false, securityEnabled: true });
      assertOneWinner(await race(`/groups/${group.id}/owners/$ref`, ref(users[round]!)), DUPLICATE.owners, round);
      assert.equal(await rows('group_owners', group.id, users[round]!), 1);
    }
  });

  test('members@odata.bind in a PATCH racing a $ref add: one 204, the rest the duplicate 400, one membership', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const group = await setup.groups.create(tenantScope(tid), system(), { displayName: `Bound ${round}`, mailNickname: `bound${round}`, mailEnabled: false, securityEnabled: true });
      const patch = { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${users[round]}`] };
      // PATCHes alone serialize on the group row they update; a $ref add does not touch that row
      const responses = await Promise.all(
        nodes.flatMap((node) => [
          fetch(`${node.url}/v1.0/groups/${group.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(patch) }),
          post(node, `/groups/${group.id}/members/$ref`, ref(users[round]!)),
        ]),
      );
      const results = await Promise.all(responses.map(async (r): Promise<[number, string | null]> => [r.status, r.status === 204 ? null : ((await r.json()) as { error: { message: string } }).error.message]));
      assertOneWinner(results, DUPLICATE.members, round);
      assert.equal(await rows('group_members', group.id, users[round]!), 1);
    }
  });

  test('directory role members: one 204, the rest the duplicate 400, one assignment', async () => {
    const roles = await setup.roles.list(tenantScope(tid), system());
    const role = roles.find((r) => r.displayName === 'Guest Inviter')!;
    for (let round = 0; round < ROUNDS; round++) {
      assertOneWinner(await race(`/directoryRoles/${role.id}/members/$ref`, ref(users[round]!)), DUPLICATE.members, round);
      const found = await db.db.selectFrom('directory_role_members').select('member_id').where('tenant_id', '=', tid).where('role_id', '=', role.id).where('member_id', '=', users[round]!).execute();
      assert.equal(found.length, 1);
    }
  });
});
