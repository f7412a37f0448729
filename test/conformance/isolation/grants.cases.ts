import assert from 'node:assert/strict';
import { grantsRepo } from '../../../src/modules/consent/index.ts';
import { scoped } from '../../../src/storage/scoped.ts';
import type { Case, IsolationCaseFile } from './cases.ts';

/**
 * Delegated permission grants and app role assignments (modules/consent/grants.repo.ts): tenant B
 * has App B with a tenant-wide grant and a Graph application permission (from the main fixture),
 * plus Bob's own grant and Bob's and Group B's assignments to App B seeded here.
 */
const NOW = '2026-12-04T10:00:00.000Z';
const DEFAULT_ROLE = '00000000-0000-0000-0000-000000000000';

const nothing = (value: unknown) =>
  assert.ok(value === undefined || value === false || value === 0 || (Array.isArray(value) && value.length === 0) || (value instanceof Map && value.size === 0), `leaked: ${JSON.stringify(value instanceof Map ? [...value] : value)}`);

export const repositories: IsolationCaseFile['repositories'] = { grantsRepo };

export const seed: IsolationCaseFile['seed'] = async (harness, scopeB, b) => {
  const tdb = scoped(harness.db, scopeB);
  const appSp = (await harness.container.applications.servicePrincipal(scopeB, b.appId))!;
  const grant = await grantsRepo.mergePermissionGrant(tdb, { clientId: appSp.id, resourceId: b.graphSpId, consentType: 'Principal', principalId: b.userId, scopes: ['User.Read'] }, NOW);
  const userAssignment = await grantsRepo.ensureAppRoleAssignment(tdb, { appRoleId: DEFAULT_ROLE, principalId: b.userId, principalType: 'User', resourceId: appSp.id }, NOW);
  await grantsRepo.ensureAppRoleAssignment(tdb, { appRoleId: DEFAULT_ROLE, principalId: b.groupId, principalType: 'Group', resourceId: appSp.id }, NOW);
  return { grantsAppSpId: appSp.id, grantsGrantId: grant.id, grantsAssignmentId: userAssignment.id };
};

const x = (b: Parameters<Case>[1]) => b.extra as { grantsAppSpId: string; grantsGrantId: string; grantsAssignmentId: string };

export const cases: IsolationCaseFile['cases'] = {
  grantsRepo: {
    insertPermissionGrant: async (a, b) =>
      grantsRepo.insertPermissionGrant(a, { id: 'g', clientId: b.graphSpId, consentType: 'Principal', principalId: b.userId, resourceId: b.graphSpId, scope: 'User.Read' }, NOW),
    // B's client, resource and user named from A: the composite foreign keys refuse the row
    mergePermissionGrant: async (a, b) => {
      await grantsRepo.mergePermissionGrant(a, { clientId: x(b).grantsAppSpId, resourceId: b.graphSpId, consentType: 'Principal', principalId: b.userId, scopes: ['Mail.Read'] }, NOW);
    },
    setPermissionGrantScope: async (a, b) => nothing(await grantsRepo.setPermissionGrantScope(a, x(b).grantsGrantId, 'Directory.ReadWrite.All')),
    deletePermissionGrant: async (a, b) => nothing(await grantsRepo.deletePermissionGrant(a, x(b).grantsGrantId)),
    findPermissionGrant: async (a, b) => nothing(await grantsRepo.findPermissionGrant(a, x(b).grantsGrantId)),
    permissionGrants: async (a, b) => nothing(await grantsRepo.permissionGrants(a, x(b).grantsAppSpId, b.graphSpId)),
    principalGrants: async (a, b) => nothing(await grantsRepo.principalGrants(a, b.userId)),
    tenantWideGrants: async (a, b) => {
      const grants = await grantsRepo.tenantWideGrants(a);
      assert.ok(grants.every((g) => g.clientId !== x(b).grantsAppSpId && g.resourceId !== b.graphSpId), 'leaked a grant of B');
    },
    listPermissionGrants: async (a, b) => {
      nothing(await grantsRepo.listPermissionGrants(a, { clientId: x(b).grantsAppSpId }, null, 100));
      nothing(await grantsRepo.listPermissionGrants(a, { principalId: b.userId }, null, 100));
      nothing(await grantsRepo.listPermissionGrants(a, { resourceId: b.graphSpId }, null, 100));
      const all = await grantsRepo.listPermissionGrants(a, {}, null, 1000);
      assert.ok(all.every((g) => g.id !== x(b).grantsGrantId && g.resourceId !== b.graphSpId), 'leaked a grant of B');
    },
    insertAppRoleAssignment: async (a, b) =>
      grantsRepo.insertAppRoleAssignment(a, { id: 'r', appRoleId: DEFAULT_ROLE, principalId: b.userId, principalType: 'User', resourceId: b.graphSpId, createdDateTime: NOW }),
    ensureAppRoleAssignment: async (a, b) => {
      await grantsRepo.ensureAppRoleAssignment(a, { appRoleId: DEFAULT_ROLE, principalId: b.userId, principalType: 'User', resourceId: x(b).grantsAppSpId }, NOW);
    },
    appRoleAssignments: async (a, b) => nothing(await grantsRepo.appRoleAssignments(a, b.userId, x(b).grantsAppSpId)),
    deleteAppRoleAssignment: async (a, b) => assert.equal(await grantsRepo.deleteAppRoleAssignment(a, b.userId, x(b).grantsAppSpId, DEFAULT_ROLE), 0),
    deleteAppRoleAssignmentById: async (a, b) => nothing(await grantsRepo.deleteAppRoleAssignmentById(a, x(b).grantsAssignmentId)),
    findAppRoleAssignment: async (a, b) => nothing(await grantsRepo.findAppRoleAssignment(a, x(b).grantsAssignmentId)),
    listAppRoleAssignments: async (a, b) => {
      nothing(await grantsRepo.listAppRoleAssignments(a, { principalId: b.userId }, null, 100));
      nothing(await grantsRepo.listAppRoleAssignments(a, { resourceId: x(b).grantsAppSpId }, null, 100));
    },
    userAssignments: async (a, b) => nothing(await grantsRepo.userAssignments(a, b.userId, x(b).grantsAppSpId)),
    userId: async (a, b) => {
      nothing(await grantsRepo.userId(a, b.userId));
      nothing(await grantsRepo.userId(a, b.upn));
    },
    directoryObjects: async (a, b) => nothing(await grantsRepo.directoryObjects(a, [b.userId, b.groupId, x(b).grantsAppSpId, b.graphSpId])),
  },
};
