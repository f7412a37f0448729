import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { GLOBAL_ADMINISTRATOR } from '../../src/modules/directory/index.ts';
import { globalAdminsRepo } from '../../src/modules/directory/global-admins.repo.ts';
import { rolesRepo } from '../../src/modules/directory/roles.repo.ts';
import { inTransaction, scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { NODE_SECRET, nodeScheme, reservePorts, startNodes, stopNodes, type ServeNode } from '../helpers/nodes.ts';
import { tokenRequest } from '../helpers/oidc-flow.ts';
import { testConfig } from '../helpers/server.ts';

/** the remover's role: it reaches every user, and it is not Global Administrator, so that role's members are exactly the racing users */
const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';

/**
 * Issue 13 item 9, second bullet: a tenant with exactly two enabled Global Administrators, and two
 * `tessera serve` nodes on one PostgreSQL database each taking one of them out at the same moment
 * (removing the role, deleting the user, disabling the account). Under READ COMMITTED both nodes
 * used to count two, both went ahead, and the tenant was left without one. Now exactly one
 * change wins each round, the other gets the 409, and one enabled Global Administrator remains.
 */
const skip = process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set (needs PostgreSQL)';
const ROUNDS = 10;
type Removal = 'unassign' | 'delete' | 'disable';
/** what node 1 and node 2 do to "their" Global Administrator in each round: every pairing of the paths */
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

describe('the last enabled Global Administrator, taken out from two nodes at once (PostgreSQL)', { skip }, () => {
  let db: TestDatabase;
  let setup: Container;
  let nodes: ServeNode[] = [];
  let tid: string;
  let domain: string;
  let gaRoleId: string;
  let accessToken: string;
  let counter = 0;
  const system = () => ({ kind: 'system' as const, tenantId: tid });

  async function newGlobalAdmin(): Promise<string> {
    const n = ++counter;
    const user = await setup.users.createMember(tenantScope(tid), system(), { userPrincipalName: `ga${n}@${domain}`, displayName: `GA ${n}`, mailNickname: `ga${n}`, accountEnabled: true, password: 'Global-Passw0rd!' });
    await inTransaction(db, tenantScope(tid), (tdb) => setup.roles.assignByTemplate(tdb, system(), GLOBAL_ADMINISTRATOR, user.id));
    return user.id;
  }

  function takeOut(node: ServeNode, how: Removal, userId: string): Promise<Response> {
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    switch (how) {
      case 'unassign':
        return fetch(`${node.url}/v1.0/directoryRoles/${gaRoleId}/members/${userId}/$ref`, { method: 'DELETE', headers });
      case 'delete':
        return fetch(`${node.url}/v1.0/users/${userId}`, { method: 'DELETE', headers });
      case 'disable':
        return fetch(`${node.url}/v1.0/users/${userId}`, { method: 'PATCH', headers, body: JSON.stringify({ accountEnabled: false }) });
    }
  }

  before(async () => {
    db = await createTestDatabase('postgres');
    const ports = await reservePorts(2);
    const baseUrl = `${nodeScheme()}://127.0.0.1:${ports[0]}`;
    setup = await createContainer({ ...testConfig(), baseUrl, secret: NODE_SECRET }, { database: db, migrate: false, logger: createLogger('silent') });
    domain = `garace${process.pid}.example`;
    const { tenant, adminUserId } = await setup.tenants.create({ displayName: 'GA race', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
    tid = tenant.id;
    gaRoleId = (await rolesRepo.findByTemplate(scoped(db, tenantScope(tid)), GLOBAL_ADMINISTRATOR))!.id;
    // The app that does the removals: user and role management, and its service principal holds
    // Privileged Authentication Administrator (apps reach Global Administrators only with that role
    // or Global Administrator itself).
    const daemon = await setup.applications.create(tenantScope(tid), { displayName: 'Remover', withSecret: true, applicationPermissions: ['User.ReadWrite.All', 'RoleManagement.ReadWrite.Directory'] });
    await inTransaction(db, tenantScope(tid), (tdb) => setup.roles.assignByTemplate(tdb, system(), PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, daemon.servicePrincipalId));
    // exactly two enabled Global Administrator users: two new ones, and the first admin steps down
    await newGlobalAdmin();
    await newGlobalAdmin();
    await inTransaction(db, tenantScope(tid), (tdb) => rolesRepo.removeMember(tdb, gaRoleId, adminUserId!));
    nodes = await startNodes({ databaseUrl: db.url, ports, baseUrl });
    const token = await tokenRequest(nodes[0]!.url, tid, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${baseUrl}/.default` });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    accessToken = String(token.body.access_token);
  });

  after(async () => {
    await stopNodes(nodes);
    await setup?.close();
  });

  test(`${ROUNDS} rounds: one removal wins, the other gets 409, one enabled Global Administrator remains`, async () => {
    const tdb = scoped(db, tenantScope(tid));
    for (let round = 0; round < ROUNDS; round++) {
      const admins = await globalAdminsRepo.enabledUserIds(tdb);
      assert.equal(admins.length, 2, `round ${round} starts with two enabled Global Administrators`);
      const [first, second] = admins as [string, string];
      const [how1, how2] = PAIRS[round % PAIRS.length]!;
      const responses = await Promise.all([takeOut(nodes[0]!, how1, first), takeOut(nodes[1]!, how2, second)]);
      const results = await Promise.all(responses.map(async (r) => ({ status: r.status, body: r.status === 204 ? null : ((await r.json()) as { error: { code: string; message: string } }) })));
      const label = `round ${round} (${how1} / ${how2}): ${JSON.stringify(results)}`;
      const remaining = await globalAdminsRepo.enabledUserIds(tdb);
      assert.equal(remaining.length, 1, `${label}: ${remaining.length} enabled Global Administrators left`);
      assert.deepEqual(results.map((r) => r.status).sort(), [204, 409], label);
      const loser = results.find((r) => r.status === 409)!;
      assert.match(loser.body!.error.message, /last enabled Global Administrator/, label);
      // back to two for the next round
      await newGlobalAdmin();
    }
  });
});
