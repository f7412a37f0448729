import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { groupsRepo } from '../../src/modules/directory/groups.repo.ts';
import { listGroups, listUsers } from '../../src/modules/directory/listing.repo.ts';
import { objectsRepo } from '../../src/modules/directory/objects.repo.ts';
import { rolesRepo } from '../../src/modules/directory/roles.repo.ts';
import { globalAdminsRepo } from '../../src/modules/directory/global-admins.repo.ts';
import { callersRepo } from '../../src/modules/directory/callers.repo.ts';
import { tenantsRepo } from '../../src/modules/directory/tenants.repo.ts';
import { usersRepo } from '../../src/modules/directory/users.repo.ts';
import { parseFilter } from '../../src/kernel/odata/index.ts';
import { TenantDb, inTransaction, scoped } from '../../src/storage/scoped.ts';
import { QueueService, queueRepo } from '../../src/modules/queue/index.ts';
import { MailService, mailRepo } from '../../src/modules/mail/index.ts';
import { accountSessionsRepo } from '../../src/modules/signin/account-sessions.repo.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { foreignKeyViolation, uniqueViolation } from '../../src/storage/constraints.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testDialects } from '../helpers/databases.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';
import { loadIsolationCaseFiles, type Fixture, type Case } from './isolation/cases.ts';
import { keysRepo, lockoutRepo, payloadsRepo } from '../../src/modules/signin/index.ts';
import { applicationsRepo, grantsRepo, GRAPH_APP_ID } from '../../src/modules/consent/index.ts';

/**
 * Two tenants, A and B, with the same kinds of objects. Every repository method is called scoped to
 * A but handed B's ids; each must find nothing and change nothing of B's. The last test fails when
 * a repository gains a method this suite does not call.
 */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

const NOW = '2026-11-23T12:00:00.000Z';
const nothing = (value: unknown) => assert.ok(value === undefined || value === false || (Array.isArray(value) && value.length === 0), `leaked: ${JSON.stringify(value)}`);

const cases: Record<string, Record<string, Case>> = {
  usersRepo: {
    insert: async (a, b) => {
      // inserting into A with B's id must not touch B's row: it lands in A
      await usersRepo.insert(a, { id: b.userId, userPrincipalName: `x@${'a'}.example`, displayName: 'x', mailNickname: 'x', accountEnabled: true, userType: 'Member' }, NOW);
    },
    findById: async (a, b) => nothing(await usersRepo.findById(a, b.userId)),
    findByUpn: async (a, b) => nothing(await usersRepo.findByUpn(a, b.upn)),
    findByIds: async (a, b) => nothing(await usersRepo.findByIds(a, [b.userId])),
    upnTaken: async (a, b) => nothing(await usersRepo.upnTaken(a, b.upn)),
    update: async (a, b) => usersRepo.update(a, b.userId, { display_name: 'hijacked' }),
    delete: async (a, b) => nothing(await usersRepo.delete(a, b.userId)),
    count: async (a) => assert.equal(await usersRepo.count(a), 1),
    setPasswordHash: async (a, b) => usersRepo.setPasswordHash(a, b.userId, 'hijacked', NOW, true),
    setForceChangePassword: async (a, b) => nothing(await usersRepo.setForceChangePassword(a, b.userId, true)),
    replacePassword: async (a, b) => nothing(await usersRepo.replacePassword(a, b.userId, b.passwordHash, 'hijacked', NOW)),
    credential: async (a, b) => nothing(await usersRepo.credential(a, b.userId)),
  },
  groupsRepo: {
    insert: async (a, b) => {
      await groupsRepo
        .insert(a, { id: b.groupId, displayName: 'x', description: null, mailNickname: 'x', mailEnabled: false, securityEnabled: true, groupTypes: [], visibility: null, isAssignableToRole: false, mail: null }, NOW)
        ;
    },
    findById: async (a, b) => nothing(await groupsRepo.findById(a, b.groupId)),
    findByIds: async (a, b) => nothing(await groupsRepo.findByIds(a, [b.groupId])),
    mailNicknameTaken: async (a, b) => nothing(await groupsRepo.mailNicknameTaken(a, b.nickname)),
    update: async (a, b) => groupsRepo.update(a, b.groupId, { display_name: 'hijacked' }),
    delete: async (a, b) => nothing(await groupsRepo.delete(a, b.groupId)),
    count: async (a) => assert.equal(await groupsRepo.count(a), 0),
    hasLink: async (a, b) => nothing(await groupsRepo.hasLink(a, 'group_members', b.groupId, b.userId)),
    addLink: async (a, b) => groupsRepo.addLink(a, 'group_members', b.groupId, b.userId, NOW),
    removeLink: async (a, b) => nothing(await groupsRepo.removeLink(a, 'group_members', b.groupId, b.userId)),
    linkPage: async (a, b) => nothing(await groupsRepo.linkPage(a, 'group_members', b.groupId, null, 10)),
    containingGroups: async (a, b) => nothing(await groupsRepo.containingGroups(a, b.userId)),
    nestedMembers: async (a, b) => nothing(await groupsRepo.nestedMembers(a, b.groupId)),
  },
  rolesRepo: {
    insert: async (a, b) => rolesRepo.insert(a, { id: b.roleId, roleTemplateId: '00000000-0000-0000-0000-000000000000', displayName: 'x', description: 'x' }, NOW),
    list: async (a, b) => assert.ok((await rolesRepo.list(a)).every((r) => r.id !== b.roleId)),
    findById: async (a, b) => nothing(await rolesRepo.findById(a, b.roleId)),
    findByTemplate: async (a, b) => {
      const role = await rolesRepo.findByTemplate(a, '62e90394-69f5-4237-9190-012177145e10');
      assert.notEqual(role?.id, b.roleId);
    },
    findByIds: async (a, b) => nothing(await rolesRepo.findByIds(a, [b.roleId])),
    memberIds: async (a, b) => nothing(await rolesRepo.memberIds(a, b.roleId)),
    isMember: async (a, b) => nothing(await rolesRepo.isMember(a, b.roleId, b.userId)),
    addMember: async (a, b) => rolesRepo.addMember(a, b.roleId, b.userId, NOW),
    removeMember: async (a, b) => nothing(await rolesRepo.removeMember(a, b.roleId, b.userId)),
    rolesOf: async (a, b) => nothing(await rolesRepo.rolesOf(a, b.userId)),
  },
  globalAdminsRepo: {
    // A has one Global Administrator (the harness admin); B's must not be counted with it
    enabledUserIds: async (a) => assert.equal((await globalAdminsRepo.enabledUserIds(a)).length, 1),
  },
  objectsRepo: {
    typeOf: async (a, b) => nothing(await objectsRepo.typeOf(a, b.userId)),
    typesOf: async (a, b) => nothing(await objectsRepo.typesOf(a, [b.userId, b.groupId, b.roleId])),
    load: async (a, b) => nothing(await objectsRepo.load(a, [{ id: b.userId, type: 'user' }, { id: b.groupId, type: 'group' }, { id: b.roleId, type: 'directoryRole' }])),
  },
  tenantsRepo: {
    insert: async (a) => tenantsRepo.insert(a, { displayName: 'again', initialDomain: 'x.example', countryLetterCode: null, cloudType: 'commercial', createdAt: NOW }),
    get: async (a, b) => {
      const tenant = await tenantsRepo.get(a);
      assert.ok(tenant?.verifiedDomains.every((d) => !b.upn.endsWith(d.name)));
    },
    update: async (a) => tenantsRepo.update(a, { display_name: 'A renamed' }),
    // A's sign-in pages show A's name, never B's
    pageBranding: async (a) => assert.notEqual((await tenantsRepo.pageBranding(a))?.displayName, 'Fabrikam'),
    addDomain: async (a, b) => tenantsRepo.addDomain(a, { name: b.upn.split('@')[1]!, isInitial: false, isDefault: false, createdAt: NOW }),
    verifiedDomainNames: async (a, b) => assert.ok((await tenantsRepo.verifiedDomainNames(a)).every((d) => !b.upn.endsWith(d))),
  },
  auditRepo: {
    append: async (a, b) => auditRepo.append(a, { id: b.userId, occurredAt: NOW, actorId: b.userId, actorType: 'user', action: 'x', targetType: null, targetId: b.userId, details: {} }),
    list: async (a, b) => assert.ok((await auditRepo.list(a, 1000)).every((e) => e.targetId !== b.userId || e.action === 'x')),
  },
  queueRepo: {
    insert: async (a, b) => queueRepo.insert(a, { id: b.jobId, kind: 'x', payload: {}, maxAttempts: 1, runAfter: NOW, now: NOW }),
    get: async (a, b) => nothing(await queueRepo.get(a, b.jobId)),
    claim: async (a, b) => nothing(await queueRepo.claim(a, b.jobId, 'thief', '2030-01-01T00:00:00.000Z', '2030-01-01T00:01:00.000Z')),
    update: async (a, b) => nothing(await queueRepo.update(a, b.jobId, { owner: 'owner-b', attempt: 1 }, { state: 'failed', now: NOW })),
  },
  mailRepo: {
    insert: async (a, b) => mailRepo.insert(a, b.mailId, { template: 'x', locale: 'en', to: ['x@y.example'], subject: 'x', text: 'x', html: 'x' }, NOW),
    get: async (a, b) => nothing(await mailRepo.get(a, b.mailId)),
    list: async (a, b) => assert.ok((await mailRepo.list(a, 100)).every((m) => m.id !== b.mailId)),
    settle: async (a, b) => mailRepo.settle(a, b.mailId, { state: 'failed', error: 'hijacked' }),
  },
  payloadsRepo: {
    upsert: async (a) => payloadsRepo.upsert(a, { model: 'Grant', id: 'b-grant', payload: '{"hijacked":true}', uid: 'b-uid', grantId: 'b-grant-id', userCode: null, expiresAt: FAR_FUTURE }),
    find: async (a) => nothing(await payloadsRepo.find(a, 'Grant', 'b-grant')),
    findBy: async (a) => nothing(await payloadsRepo.findBy(a, 'Grant', 'uid', 'b-uid')),
    consume: async (a) => payloadsRepo.consume(a, 'Grant', 'b-grant', NOW),
    destroy: async (a) => payloadsRepo.destroy(a, 'Grant', 'b-grant'),
    revokeByGrantId: async (a) => assert.equal(await payloadsRepo.revokeByGrantId(a, 'b-grant-id'), 0),
    purgeExpired: async (a) => {
      await payloadsRepo.purgeExpired(a, FAR_FUTURE);
    },
  },
  keysRepo: {
    insert: async (a, b) => keysRepo.insert(a, { kid: b.kid, alg: 'RS256', publicJwk: '{}', privateJwkSealed: 'x', createdAt: NOW }),
    list: async (a, b) => assert.ok((await keysRepo.list(a)).every((k) => k.kid !== b.kid)),
    retireActive: async (a) => {
      await keysRepo.retireActive(a, NOW, NOW);
    },
    removeRetired: async (a) => {
      await keysRepo.retireActive(a, NOW, NOW);
      await keysRepo.removeRetired(a, FAR_FUTURE);
    },
  },
  lockoutRepo: {
    get: async (a, b) => nothing(await lockoutRepo.get(a, b.userId, '192.0.2.1')),
    recordFailure: async (a, b) => {
      await lockoutRepo.recordFailure(a, b.userId, '192.0.2.1', NOW);
    },
    lock: async (a, b) => lockoutRepo.lock(a, b.userId, '192.0.2.1', FAR_FUTURE, NOW),
    clear: async (a, b) => lockoutRepo.clear(a, b.userId, '192.0.2.1'),
  },
  applicationsRepo: {
    insertApplication: async (a, b) => {
      const existing = (await applicationsRepo.findApplicationByAppId(a, 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c'))!;
      await applicationsRepo.insertApplication(a, { ...existing, id: newIdLike(), appId: b.appId });
    },
    findApplicationByAppId: async (a, b) => nothing(await applicationsRepo.findApplicationByAppId(a, b.appId)),
    insertServicePrincipal: async (a, b) => {
      const graph = (await applicationsRepo.findServicePrincipalByAppId(a, GRAPH_APP_ID))!;
      await applicationsRepo.insertServicePrincipal(a, { ...graph, id: b.graphSpId, appId: b.appId });
    },
    findServicePrincipalByAppId: async (a, b) => nothing(await applicationsRepo.findServicePrincipalByAppId(a, b.appId)),
    setPasswordCredentials: async (a, b) => nothing(await applicationsRepo.setPasswordCredentials(a, b.appId, [])),
    setServicePrincipalEnabled: async (a, b) => nothing(await applicationsRepo.setServicePrincipalEnabled(a, b.appId, false)),
    // A's stamp is A's own: reading it neither reads nor bumps B's
    directoryStamp: async (a) => assert.equal(typeof (await applicationsRepo.directoryStamp(a)), 'number'),
  },
  callersRepo: {
    userWithRoles: async (a, b) => nothing(await callersRepo.userWithRoles(a, b.userId)),
  },
  grantsRepo: {
    insertPermissionGrant: async (a, b) =>
      grantsRepo.insertPermissionGrant(a, { id: 'g', clientId: b.graphSpId, consentType: 'Principal', principalId: b.userId, resourceId: b.graphSpId, scope: 'User.Read' }, NOW),
    permissionGrants: async (a, b) => nothing(await grantsRepo.permissionGrants(a, b.graphSpId, b.graphSpId)),
    insertAppRoleAssignment: async (a, b) =>
      grantsRepo.insertAppRoleAssignment(a, { id: 'r', appRoleId: '00000000-0000-0000-0000-000000000000', principalId: b.userId, principalType: 'User', resourceId: b.graphSpId, createdDateTime: NOW }),
    appRoleAssignments: async (a, b) => nothing(await grantsRepo.appRoleAssignments(a, b.userId, b.graphSpId)),
    deleteAppRoleAssignment: async (a, b) => assert.equal(await grantsRepo.deleteAppRoleAssignment(a, b.userId, b.graphSpId, '00000000-0000-0000-0000-000000000000'), 0),
  },
  accountSessionsRepo: {
    destroyByAccount: async (a, b) => assert.equal(await accountSessionsRepo.destroyByAccount(a, b.userId), 0),
  },
  listing: {
    listUsers: async (a, b) => {
      const page = await listUsers(a, { top: 999, count: true, filter: parseFilter(`id eq '${b.userId}'`) });
      nothing(page.items);
      assert.equal(page.count, 0);
    },
    listGroups: async (a) => nothing((await listGroups(a, { top: 999, count: false, filter: parseFilter(`displayName eq 'Group B'`) })).items),
  },
};

// Each module's own case file (test/conformance/isolation/*.cases.ts) adds its repositories, cases
// and tenant B's rows for them, so a new module never edits this file.
const caseFiles = await loadIsolationCaseFiles();
for (const file of caseFiles) Object.assign(cases, file.cases);

const repositories: Record<string, object> = { usersRepo, groupsRepo, rolesRepo, globalAdminsRepo, objectsRepo, tenantsRepo, auditRepo, queueRepo, mailRepo, accountSessionsRepo, payloadsRepo, keysRepo, lockoutRepo, applicationsRepo, grantsRepo, callersRepo, listing: { listUsers, listGroups }, ...Object.assign({}, ...caseFiles.map((f) => f.repositories)) };

let idCounter = 0;
function newIdLike(): string {
  return `00000000-0000-4000-8000-${String(++idCounter).padStart(12, '0')}`;
}

for (const dialect of testDialects) {
  describe(`two-tenant isolation (${dialect})`, () => {
    let a: Harness;
    let fixtureB: Fixture;
    let tenantB: string;
    before(async () => {
      a = await createHarness(dialect);
      const domainB = `fabrikam-${Date.now()}.example`;
      const { tenant } = await a.container.tenants.create({ displayName: 'Fabrikam', domain: domainB, admin: { email: `admin@${domainB}`, password: 'Admin-Passw0rd!' } });
      tenantB = tenant.id;
      const scopeB = tenantScope(tenantB);
      const queue = new QueueService(a.db, systemClock);
      const system = { kind: 'system' as const, tenantId: tenantB };
      const user = await a.container.users.createMember(scopeB, system, { userPrincipalName: `bob@${domainB}`, displayName: 'Bob', mailNickname: 'bob', accountEnabled: true, password: 'Passw0rd!Passw0rd' });
      const group = await a.container.groups.create(scopeB, system, { displayName: 'Group B', mailNickname: 'groupb', mailEnabled: false, securityEnabled: true });
      const nested = await a.container.groups.create(scopeB, system, { displayName: 'Nested B', mailNickname: 'nestedb', mailEnabled: false, securityEnabled: true });
      await a.container.groups.addReference(scopeB, system, 'members', group.id, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
      await a.container.groups.addReference(scopeB, system, 'members', nested.id, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${group.id}` });
      const roles = await a.container.roles.list(scopeB, system);
      const role = roles.find((r) => r.displayName === 'User Administrator')!;
      await a.container.roles.addMember(scopeB, system, role.id, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
      // a job leased by one of B's nodes, and a mail in B's outbox
      const jobId = await inTransaction(a.db, scopeB, (tdb) => queue.enqueue(tdb, 'b-job', {}));
      await queue.claim('owner-b', 100, 3_600_000);
      const mailId = await inTransaction(a.db, scopeB, (tdb) => new MailService(a.db, systemClock, queue, null, 'x@y.example').send(tdb, { template: 'x', locale: 'en', to: ['b@b.example'], subject: 'B', text: 'B', html: 'B' }));
      // Bob signed in at B's OpenID provider: a session and a grant with a refresh token
      await a.container.oidcPayloads.upsert(scopeB, 'Session', 'session-b', { accountId: user.id, uid: 'uid-b' }, 3600);
      await a.container.oidcPayloads.upsert(scopeB, 'Grant', 'grant-b', { accountId: user.id, clientId: 'client-b' }, 3600);
      await a.container.oidcPayloads.upsert(scopeB, 'RefreshToken', 'rt-b', { accountId: user.id, grantId: 'grant-b' }, 3600);
      // B's sign-in state: its Graph service principal, an app with grants, a protocol artifact, a lockout, its keys
      const graphB = (await a.container.applications.servicePrincipal(scopeB, GRAPH_APP_ID))!;
      const appB = await a.container.applications.create(scopeB, { displayName: 'App B', withSecret: true, delegatedPermissions: ['User.Read'], applicationPermissions: ['User.Read.All'] });
      await a.container.oidcPayloads.upsert(scopeB, 'Grant', 'b-grant', { grantId: 'b-grant-id', uid: 'b-uid' }, 3600);
      await lockoutRepo.recordFailure(scoped(a.db, scopeB), user.id, '192.0.2.1', NOW);
      const kid = (await a.container.signingKeys.publicJwks(scopeB))[0]!.kid!;
      await usersRepo.setForceChangePassword(scoped(a.db, scopeB), user.id, true);
      const passwordHash = (await usersRepo.credential(scoped(a.db, scopeB), user.id))!.passwordHash;
      fixtureB = {
        jobId,
        mailId,
        userId: user.id,
        groupId: group.id,
        nestedGroupId: nested.id,
        roleId: role.id,
        upn: `bob@${domainB}`,
        nickname: 'groupb',
        graphSpId: graphB.id,
        appId: appB.appId,
        kid,
        passwordHash,
        extra: {},
      };
      for (const file of caseFiles) if (file.seed) Object.assign(fixtureB.extra, await file.seed(a, scopeB, fixtureB));
    });
    after(() => a.close());

    for (const [repo, methods] of Object.entries(cases)) {
      for (const [method, run] of Object.entries(methods)) {
        test(`${repo}.${method} scoped to A cannot read or change B`, async () => {
          // Each case runs in a transaction that is rolled back, so cases cannot affect each other.
          // A write the database refuses (a key collision, a foreign key into nothing) is a
          // correct outcome; it is undone to a savepoint so the transaction stays usable.
          const trx = await a.db.db.startTransaction().execute();
          try {
            const before = await isolationTablesSnapshot(a.db, tenantB, trx);
            const savepoint = await trx.savepoint('isolation_case').execute();
            try {
              await run(new TenantDb(savepoint, tenantScope(a.tenant.id), a.db.dialect), fixtureB);
            } catch (error) {
              if (!uniqueViolation(error) && !foreignKeyViolation(error)) throw error;
              await savepoint.rollbackToSavepoint('isolation_case').execute();
            }
            assert.deepEqual(await isolationTablesSnapshot(a.db, tenantB, trx), before);
          } finally {
            await trx.rollback().execute();
          }
        });
      }
    }

    test('the suite covers every repository method', () => {
      for (const [name, repo] of Object.entries(repositories)) {
        const methods = Object.keys(repo).sort();
        assert.deepEqual(Object.keys(cases[name] ?? {}).sort(), methods, `${name} has methods the isolation suite does not call`);
      }
    });
  });
}
