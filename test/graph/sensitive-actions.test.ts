import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../src/kernel/passwords.ts';
import { newId } from '../../src/kernel/ids.ts';
import { rolesRepo } from '../../src/modules/directory/roles.repo.ts';
import { usersRepo } from '../../src/modules/directory/users.repo.ts';
import { inTransaction, scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type GraphResponse } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';

/**
 * Issue 13 item 1: who may make which sensitive change to which user, as Entra rules it
 * (Microsoft Learn, "Privileged roles and permissions in Microsoft Entra ID": "Who can reset
 * passwords" and "Who can perform sensitive actions"). Every built-in role (delegated, with
 * Directory.ReadWrite.All and User.ReadWrite.All) and every user-writing app permission (with and
 * without the app's service principal holding Global Administrator or Privileged Authentication
 * Administrator) × every sensitive action × every class of target. The expectations are written
 * here from the Learn tables, not derived from the implementation. A refused call must change nothing.
 */

const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  directoryWriters: '9360feb5-f418-4baa-8175-e2a00bac4301',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
} as const;
type RoleName = keyof typeof ROLE;

const ACTIONS = ['password', 'disable', 'upn', 'userType', 'delete'] as const;
type Action = (typeof ACTIONS)[number];
/**
 * noRole: a member without directory roles; limitedAdmin: a Helpdesk Administrator (a limited admin
 * in the Learn tables); privilegedAdmin: a Privileged Role Administrator; globalAdmin: one of several
 * enabled Global Administrators; lastGlobalAdmin: a tenant's only enabled Global Administrator
 * (its own tenant); self: the caller acting on their own account.
 */
const TARGETS = ['noRole', 'limitedAdmin', 'privilegedAdmin', 'globalAdmin', 'lastGlobalAdmin', 'self'] as const;
type Target = (typeof TARGETS)[number];
type Outcome = 204 | 400 | 403 | 409;

const NOT_DELETE: Action[] = ['password', 'disable', 'upn', 'userType'];
const ANY_ONE_ELSE: Target[] = ['noRole', 'limitedAdmin', 'privilegedAdmin', 'globalAdmin'];

interface Caller {
  name: string;
  kind: 'user' | 'app';
  role?: RoleName;
  appPermission?: string;
  spRole?: RoleName;
  /** [actions, targets, outcome]; anything not listed is 403 */
  rules: [readonly Action[], readonly Target[], Outcome][];
}

/** The expectation table, from Learn's two tables (and Graph's permission reference for apps). */
const callers: Caller[] = [
  // Global Administrator and Privileged Authentication Administrator: anyone. Nobody deletes their own account.
  { name: 'Global Administrator', kind: 'user', role: 'globalAdministrator', rules: [[ACTIONS, ANY_ONE_ELSE, 204], [NOT_DELETE, ['self'], 204], [['delete'], ['self'], 400]] },
  {
    name: 'Privileged Authentication Administrator',
    kind: 'user',
    role: 'privilegedAuthenticationAdministrator',
    rules: [[ACTIONS, ANY_ONE_ELSE, 204], [['password', 'upn', 'userType'], ['lastGlobalAdmin'], 204], [['disable', 'delete'], ['lastGlobalAdmin'], 409], [NOT_DELETE, ['self'], 204], [['delete'], ['self'], 400]],
  },
  // User Administrator: non-admins and the limited admin roles (Helpdesk Administrator among them, and itself).
  { name: 'User Administrator', kind: 'user', role: 'userAdministrator', rules: [[ACTIONS, ['noRole', 'limitedAdmin'], 204], [NOT_DELETE, ['self'], 204], [['delete'], ['self'], 400]] },
  // Helpdesk Administrator: passwords only, of non-admins and a few limited roles (itself included).
  { name: 'Helpdesk Administrator', kind: 'user', role: 'helpdeskAdministrator', rules: [[['password'], ['noRole', 'limitedAdmin', 'self'], 204]] },
  // Password Administrator: passwords of non-admins, Directory Readers, Guest Inviters and Password Administrators (not Helpdesk).
  { name: 'Password Administrator', kind: 'user', role: 'passwordAdministrator', rules: [[['password'], ['noRole', 'self'], 204]] },
  // Directory Writers: enable/disable and sign-in names of non-admins; never passwords, never deletes.
  { name: 'Directory Writers', kind: 'user', role: 'directoryWriters', rules: [[['disable', 'upn', 'userType'], ['noRole'], 204]] },
  { name: 'Privileged Role Administrator', kind: 'user', role: 'privilegedRoleAdministrator', rules: [] },
  { name: 'Global Reader', kind: 'user', role: 'globalReader', rules: [] },
  { name: 'Groups Administrator', kind: 'user', role: 'groupsAdministrator', rules: [] },
  { name: 'License Administrator', kind: 'user', role: 'licenseAdministrator', rules: [] },
  { name: 'Guest Inviter', kind: 'user', role: 'guestInviter', rules: [] },
  { name: 'Cloud Application Administrator', kind: 'user', role: 'cloudApplicationAdministrator', rules: [] },
  { name: 'Application Administrator', kind: 'user', role: 'applicationAdministrator', rules: [] },
  { name: 'Directory Readers', kind: 'user', role: 'directoryReaders', rules: [] },
  { name: 'member without a role', kind: 'user', rules: [] },
  // Apps: passwords need User-PasswordProfile.ReadWrite.All; Directory.ReadWrite.All deletes no users;
  // holders of privileged roles are out of reach unless the app's service principal holds GA or PAA.
  { name: 'app User.ReadWrite.All', kind: 'app', appPermission: 'User.ReadWrite.All', rules: [[['disable', 'upn', 'userType', 'delete'], ['noRole'], 204]] },
  ...(['globalAdministrator', 'privilegedAuthenticationAdministrator'] as const).flatMap((spRole): Caller[] => [
    {
      name: `app User.ReadWrite.All as ${spRole}`,
      kind: 'app',
      appPermission: 'User.ReadWrite.All',
      spRole,
      rules: [[['disable', 'upn', 'userType', 'delete'], ANY_ONE_ELSE, 204], [['upn', 'userType'], ['lastGlobalAdmin'], 204], [['disable', 'delete'], ['lastGlobalAdmin'], 409]],
    },
    {
      name: `app Directory.ReadWrite.All as ${spRole}`,
      kind: 'app',
      appPermission: 'Directory.ReadWrite.All',
      spRole,
      rules: [[['disable', 'upn', 'userType'], ANY_ONE_ELSE, 204], [['upn', 'userType'], ['lastGlobalAdmin'], 204], [['disable'], ['lastGlobalAdmin'], 409]],
    },
    { name: `app User-PasswordProfile.ReadWrite.All as ${spRole}`, kind: 'app', appPermission: 'User-PasswordProfile.ReadWrite.All', spRole, rules: [[['password'], [...ANY_ONE_ELSE, 'lastGlobalAdmin'], 204]] },
  ]),
  { name: 'app Directory.ReadWrite.All', kind: 'app', appPermission: 'Directory.ReadWrite.All', rules: [[['disable', 'upn', 'userType'], ['noRole'], 204]] },
  { name: 'app User-PasswordProfile.ReadWrite.All', kind: 'app', appPermission: 'User-PasswordProfile.ReadWrite.All', rules: [[['password'], ['noRole'], 204]] },
];

function expected(caller: Caller, action: Action, target: Target): Outcome {
  for (const [actions, targets, outcome] of caller.rules) if (actions.includes(action) && targets.includes(target)) return outcome;
  return 403;
}

/** Which cases a caller has: apps have no "self"; the Global Administrator caller would not leave the target the last one. */
function targetsOf(caller: Caller): Target[] {
  return TARGETS.filter((t) => !(t === 'self' && caller.kind === 'app') && !(t === 'lastGlobalAdmin' && caller.role === 'globalAdministrator'));
}

const NEW_PASSWORD = 'Res3t!Passw0rd-by-test';
const DELEGATED_SCOPES = ['Directory.ReadWrite.All', 'User.ReadWrite.All'];

for (const dialect of testDialects) {
  describe(`sensitive actions on users, by caller role and target role (${dialect})`, () => {
    let h: Harness;
    /** the main tenant (several Global Administrators) and a tenant with exactly one */
    const tenants: Record<'main' | 'solo', { id: string; domain: string; roleIds: Map<string, string> }> = {} as never;
    let passwordHash = '';
    /** the solo tenant's only user with Global Administrator (service principals of the cases may hold it too) */
    let soloAdmin = '';
    let counter = 0;

    async function makeUser(tenant: 'main' | 'solo', role?: RoleName): Promise<string> {
      const t = tenants[tenant];
      const id = newId();
      const alias = `u${++counter}x${id.slice(0, 6)}`;
      await inTransaction(h.db, tenantScope(t.id), async (tdb) => {
        await usersRepo.insert(tdb, { id, userPrincipalName: `${alias}@${t.domain}`, displayName: alias, mailNickname: alias, accountEnabled: true, userType: 'Member' }, new Date().toISOString());
        await usersRepo.setPasswordHash(tdb, id, passwordHash, new Date().toISOString(), false);
        if (role) await rolesRepo.addMember(tdb, t.roleIds.get(ROLE[role])!, id, new Date().toISOString());
      });
      return id;
    }

    async function makeServicePrincipal(tenant: 'main' | 'solo', role?: RoleName): Promise<string> {
      const t = tenants[tenant];
      const { servicePrincipalId } = await h.container.applications.create(tenantScope(t.id), { displayName: `Daemon ${++counter}` });
      if (role) await inTransaction(h.db, tenantScope(t.id), (tdb) => rolesRepo.addMember(tdb, t.roleIds.get(ROLE[role])!, servicePrincipalId, new Date().toISOString()));
      return servicePrincipalId;
    }

    function tokenFor(tenant: 'main' | 'solo', caller: Caller, objectId: string): string {
      const tid = tenants[tenant].id;
      if (caller.kind === 'user') return h.tokens.user(tid, objectId, DELEGATED_SCOPES);
      return h.tokens.issue({ tenantId: tid, kind: 'app', objectId, clientAppId: newId(), scopes: [], roles: [caller.appPermission!] });
    }

    /** What a sensitive action can change on a user: the row, the credential, the role assignments. */
    async function targetState(tenant: 'main' | 'solo', userId: string) {
      const tdb = scoped(h.db, tenantScope(tenants[tenant].id));
      const user = await usersRepo.findById(tdb, userId);
      const credential = await usersRepo.credential(tdb, userId);
      const roles = (await rolesRepo.rolesOf(tdb, userId)).map((r) => r.roleTemplateId).sort();
      return { user, credential, roles };
    }

    function call(tenant: 'main' | 'solo', token: string, action: Action, targetId: string, current: { userType: string }): Promise<GraphResponse> {
      const graph = graphCaller(h.app, token);
      switch (action) {
        case 'password':
          return graph('PATCH', `/users/${targetId}`, { passwordProfile: { password: NEW_PASSWORD, forceChangePasswordNextSignIn: false } });
        case 'disable':
          return graph('PATCH', `/users/${targetId}`, { accountEnabled: false });
        case 'upn':
          return graph('PATCH', `/users/${targetId}`, { userPrincipalName: `renamed${++counter}@${tenants[tenant].domain}` });
        case 'userType':
          return graph('PATCH', `/users/${targetId}`, { userType: current.userType === 'Member' ? 'Guest' : 'Member' });
        case 'delete':
          return graph('DELETE', `/users/${targetId}`);
      }
    }

    before(async () => {
      passwordHash = await hashPassword('Initial!Passw0rd-1');
      h = await createHarness(dialect);
      const solo = await h.container.tenants.create({ displayName: 'Solo', domain: `solo${process.pid}${dialect}.example`, admin: { email: `solo@solo${process.pid}${dialect}.example`, password: 'Solo-Passw0rd!' } });
      soloAdmin = solo.adminUserId!;
      for (const [key, id, domain] of [['main', h.tenant.id, h.tenant.domain], ['solo', solo.tenant.id, `solo${process.pid}${dialect}.example`]] as const) {
        const roles = await rolesRepo.list(scoped(h.db, tenantScope(id)));
        tenants[key] = { id, domain, roleIds: new Map(roles.map((r) => [r.roleTemplateId, r.id])) };
      }
    });
    after(() => h?.close());

    test('every role of the table is a built-in role of the tenant (Privileged Authentication and Password Administrator included)', () => {
      for (const [name, template] of Object.entries(ROLE)) assert.ok(tenants.main.roleIds.has(template), `${name} (${template}) is not activated`);
    });

    for (const caller of callers) {
      test(`${caller.name}`, async () => {
        const failures: string[] = [];
        for (const tenant of ['main', 'solo'] as const) {
          const targets = targetsOf(caller).filter((t) => (tenant === 'solo') === (t === 'lastGlobalAdmin'));
          if (targets.length === 0) continue;
          if (caller.role && !tenants[tenant].roleIds.has(ROLE[caller.role])) {
            failures.push(`${caller.role} is not a role of the tenant`);
            continue;
          }
          // The standing caller and the standing targets of refused cases (a refused call must leave them as they were).
          const callerId = caller.kind === 'user' ? await makeUser(tenant, caller.role) : await makeServicePrincipal(tenant, caller.spRole);
          const token = tokenFor(tenant, caller, callerId);
          const standing: Partial<Record<Target, string>> =
            tenant === 'solo'
              ? { lastGlobalAdmin: soloAdmin }
              : { noRole: await makeUser(tenant), limitedAdmin: await makeUser(tenant, 'helpdeskAdministrator'), privilegedAdmin: await makeUser(tenant, 'privilegedRoleAdministrator'), globalAdmin: await makeUser(tenant, 'globalAdministrator'), self: callerId };
          // When no case may change anything, the whole tenant is compared before and after.
          const before = targets.some((t) => ACTIONS.some((a) => expected(caller, a, t) === 204)) ? null : await isolationTablesSnapshot(h.db, tenants[tenant].id);
          let changedSomething = false;
          /** each target's state as last read: a refused case must find it unchanged afterwards */
          const known = new Map<string, Awaited<ReturnType<typeof targetState>>>();
          for (const target of targets) {
            for (const action of ACTIONS) {
              const want = expected(caller, action, target);
              // An allowed change gets a fresh target (and for "self" a fresh caller), except the last
              // Global Administrator, who must stay the only one; its allowed changes are not destructive.
              let targetId = standing[target]!;
              let actingToken = token;
              if (want === 204 && target !== 'lastGlobalAdmin') {
                changedSomething = true;
                if (target === 'self') {
                  targetId = await makeUser(tenant, caller.role);
                  actingToken = tokenFor(tenant, caller, targetId);
                } else {
                  targetId = await makeUser(tenant, { noRole: undefined, limitedAdmin: 'helpdeskAdministrator', privilegedAdmin: 'privilegedRoleAdministrator', globalAdmin: 'globalAdministrator' }[target as 'noRole']);
                }
              } else if (want === 204) {
                changedSomething = true;
              }
              const stateBefore = known.get(targetId) ?? (await targetState(tenant, targetId));
              if (!stateBefore.user) {
                failures.push(`${action} on ${target}: the target was already gone (deleted by an earlier case)`);
                continue;
              }
              const response = await call(tenant, actingToken, action, targetId, { userType: stateBefore.user.userType });
              const label = `${action} on ${target}`;
              if (response.status !== want) {
                failures.push(`${label}: expected ${want}, got ${response.status} ${JSON.stringify(response.body?.error ?? response.body)}`);
                if (response.status === 204) changedSomething = true;
                known.delete(targetId);
                continue;
              }
              const stateAfter = await targetState(tenant, targetId);
              known.set(targetId, stateAfter);
              if (want !== 204) {
                const code = { 400: 'Request_BadRequest', 403: 'Authorization_RequestDenied', 409: 'Request_BadRequest' }[want];
                if (response.body?.error?.code !== code) failures.push(`${label}: error code ${response.body?.error?.code}, expected ${code}`);
                if (want === 403 && !/Insufficient privileges/.test(response.body?.error?.message ?? '')) failures.push(`${label}: message ${response.body?.error?.message}`);
                if (JSON.stringify(stateAfter) !== JSON.stringify(stateBefore)) failures.push(`${label}: refused, but the target changed`);
                continue;
              }
              // allowed: the change took effect
              const effect = {
                password: () => stateAfter.credential?.passwordHash !== stateBefore.credential?.passwordHash,
                disable: () => stateAfter.user?.accountEnabled === false,
                upn: () => stateAfter.user?.userPrincipalName.startsWith('renamed') === true && stateAfter.user.userPrincipalName !== stateBefore.user?.userPrincipalName,
                userType: () => stateAfter.user !== undefined && stateAfter.user.userType !== stateBefore.user!.userType,
                delete: () => stateAfter.user === undefined,
              }[action]();
              if (!effect) failures.push(`${label}: answered 204 but the change is not there`);
            }
          }
          // When every case was refused, nothing at all in the tenant may have changed (audit, sessions, roles...).
          if (before && !changedSomething) assert.deepEqual(await isolationTablesSnapshot(h.db, tenants[tenant].id), before, `${caller.name}: refused calls changed data in the ${tenant} tenant`);
        }
        assert.deepEqual(failures, [], `${caller.name}:\n  ${failures.join('\n  ')}`);
      });
    }

    test('the only enabled Global Administrator cannot disable (409) or delete (400) their own account', async () => {
      const graph = graphCaller(h.app, h.tokens.user(tenants.solo.id, soloAdmin, [...DELEGATED_SCOPES, 'RoleManagement.ReadWrite.Directory']));
      const before = await isolationTablesSnapshot(h.db, tenants.solo.id);
      const disable = await graph('PATCH', `/users/${soloAdmin}`, { accountEnabled: false });
      assert.equal(disable.status, 409, JSON.stringify(disable.body));
      assert.match(disable.body.error.message, /last enabled Global Administrator/);
      const remove = await graph('DELETE', `/users/${soloAdmin}`);
      assert.equal(remove.status, 400, JSON.stringify(remove.body));
      assert.match(remove.body.error.message, /own account/);
      const unassign = await graph('DELETE', `/directoryRoles/${tenants.solo.roleIds.get(ROLE.globalAdministrator)}/members/${soloAdmin}/$ref`);
      assert.equal(unassign.status, 409);
      assert.deepEqual(await isolationTablesSnapshot(h.db, tenants.solo.id), before);
    });

    test('a Global Administrator whose account is disabled does not count: the last enabled one stays', async () => {
      const gaRole = tenants.main.roleIds.get(ROLE.globalAdministrator)!;
      const tdb = scoped(h.db, tenantScope(tenants.main.id));
      // Make a tenant state with exactly one enabled Global Administrator (the harness admin) plus disabled ones.
      const members = (await rolesRepo.memberIds(tdb, gaRole)).filter((id) => id !== h.tenant.adminId);
      const others = (await usersRepo.findByIds(tdb, members)).filter((u) => u.accountEnabled).map((u) => u.id);
      for (const id of others) await usersRepo.update(tdb, id, { account_enabled: false });
      const graph = graphCaller(h.app, h.tenant.adminToken);
      const disabledAdmin = others[0] ?? (await makeUser('main', 'globalAdministrator'));
      if (!others[0]) await usersRepo.update(tdb, disabledAdmin, { account_enabled: false });
      const unassign = await graph('DELETE', `/directoryRoles/${gaRole}/members/${h.tenant.adminId}/$ref`);
      assert.equal(unassign.status, 409, 'a disabled Global Administrator is no replacement');
      const disableSelf = await graph('PATCH', `/users/${h.tenant.adminId}`, { accountEnabled: false });
      assert.equal(disableSelf.status, 409);
      // removing or deleting the disabled one is fine, and enabling one makes the other removable
      assert.equal((await graph('DELETE', `/directoryRoles/${gaRole}/members/${disabledAdmin}/$ref`)).status, 204);
      const spare = await makeUser('main', 'globalAdministrator');
      assert.equal((await graph('PATCH', `/users/${spare}`, { accountEnabled: false })).status, 204);
      assert.equal((await graph('DELETE', `/directoryRoles/${gaRole}/members/${h.tenant.adminId}/$ref`)).status, 409);
      assert.equal((await graph('PATCH', `/users/${spare}`, { accountEnabled: true })).status, 204);
      assert.equal((await graph('PATCH', `/users/${spare}`, { accountEnabled: false })).status, 204, 'the admin is still an enabled Global Administrator');
      assert.equal((await graph('PATCH', `/users/${spare}`, { accountEnabled: true })).status, 204);
      for (const id of others) await usersRepo.update(tdb, id, { account_enabled: true });
    });

    test('User Administrator: non-sensitive properties of a Global Administrator may change, sensitive ones not (Entra)', async () => {
      const caller = await makeUser('main', 'userAdministrator');
      const ga = await makeUser('main', 'globalAdministrator');
      const graph = graphCaller(h.app, h.tokens.user(tenants.main.id, caller, DELEGATED_SCOPES));
      assert.equal((await graph('PATCH', `/users/${ga}`, { jobTitle: 'CEO', department: 'Board' })).status, 204);
      // the authentication contact properties of Entra's sensitive-actions table
      for (const body of [{ businessPhones: ['+31 20 555 0100'] }, { mobilePhone: '+31 6 5555 0100' }, { otherMails: ['ceo@elsewhere.example'] }, { jobTitle: 'x', accountEnabled: true }]) {
        const response = await graph('PATCH', `/users/${ga}`, body);
        assert.equal(response.status, 403, JSON.stringify(body));
      }
      const after = await targetState('main', ga);
      assert.equal(after.user?.jobTitle, 'CEO');
      assert.deepEqual(after.user?.businessPhones, []);
      assert.equal(after.user?.mobilePhone, null);
    });

    test('a password change without a new password (passwordProfile flags) is a password change too', async () => {
      const caller = await makeUser('main', 'directoryWriters');
      const target = await makeUser('main');
      const graph = graphCaller(h.app, h.tokens.user(tenants.main.id, caller, DELEGATED_SCOPES));
      assert.equal((await graph('PATCH', `/users/${target}`, { passwordProfile: { forceChangePasswordNextSignIn: true } })).status, 403);
      assert.equal((await graph('PATCH', `/users/${target}`, { displayName: 'Renamed by a Directory Writer' })).status, 204);
    });

    test('a service principal that holds User Administrator reaches what a User Administrator reaches', async () => {
      const sp = await makeServicePrincipal('main', 'userAdministrator');
      const app = graphCaller(h.app, h.tokens.issue({ tenantId: tenants.main.id, kind: 'app', objectId: sp, clientAppId: newId(), scopes: [], roles: ['User.ReadWrite.All'] }));
      assert.equal((await app('PATCH', `/users/${await makeUser('main', 'helpdeskAdministrator')}`, { accountEnabled: false })).status, 204);
      assert.equal((await app('PATCH', `/users/${await makeUser('main', 'privilegedRoleAdministrator')}`, { accountEnabled: false })).status, 403);
      assert.equal((await app('PATCH', `/users/${await makeUser('main', 'directoryReaders')}`, { accountEnabled: false })).status, 204, 'Directory Readers is not a privileged role');
    });
  });
}
