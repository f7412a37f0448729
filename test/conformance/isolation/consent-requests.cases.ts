import assert from 'node:assert/strict';
import { GRAPH_APP_ID } from '../../../src/modules/consent/index.ts';
import { consentRequestsRepo } from '../../../src/modules/consent/consent-requests.repo.ts';
import type { Principal } from '../../../src/modules/directory/index.ts';
import { usersRepo } from '../../../src/modules/directory/users.repo.ts';
import { scoped, type TenantDb } from '../../../src/storage/scoped.ts';
import type { Case, IsolationCaseFile } from './cases.ts';

/**
 * The admin consent request workflow's repository in the two-tenant isolation suite: scoped to
 * tenant A and given tenant B's request round, user request, user and app ids, each method finds
 * nothing of B's and changes nothing of B's (B's round stays pending, its request in progress).
 */
const NOW = '2026-12-04T09:00:00.000Z';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const nothing = (value: unknown) => assert.ok(value === undefined || value === false || (Array.isArray(value) && value.length === 0), `leaked: ${JSON.stringify(value)}`);
const PERMISSIONS = [{ resourceAppId: GRAPH_APP_ID, scopes: ['User.Read'], appRoles: [] }];

async function userInA(a: TenantDb, id: string): Promise<void> {
  if (await usersRepo.findById(a, id)) return;
  await usersRepo.insert(a, { id, userPrincipalName: `x${id.slice(0, 8)}@a.example`, displayName: 'x', mailNickname: 'x', accountEnabled: true, userType: 'Member' }, NOW);
}

export const repositories: IsolationCaseFile['repositories'] = { consentRequestsRepo };

export const cases: Record<string, Record<string, Case>> = {
  consentRequestsRepo: {
    // A reads its own policy (none, or its own with its own reviewers), never B's
    policy: async (a) => assert.notEqual((await consentRequestsRepo.policy(a))?.requestDurationInDays, 7),
    savePolicy: async (a) => consentRequestsRepo.savePolicy(a, { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 3, version: 99 }, NOW),
    reviewers: async (a, b) => assert.ok(!(await consentRequestsRepo.reviewers(a)).some((r) => r.targetId === b.userId)),
    replaceReviewers: async (a, b) => consentRequestsRepo.replaceReviewers(a, [{ id: b.extra.reviewerEntryId, kind: 'user', targetId: b.userId, query: `/users/${b.userId}`, queryType: 'MicrosoftGraph', queryRoot: null }], NOW),
    openAppRequest: async (a, b) => nothing(await consentRequestsRepo.openAppRequest(a, b.appId.toLowerCase())),
    latestDecision: async (a, b) => nothing(await consentRequestsRepo.latestDecision(a, b.appId.toLowerCase())),
    appRequest: async (a, b) => nothing(await consentRequestsRepo.appRequest(a, b.extra.roundId)),
    updateOpen: async (a, b) => nothing(await consentRequestsRepo.updateOpen(a, b.extra.roundId, [], NOW)),
    // a round of A's that happens to carry B's round id lands in A; B's stays as it was
    insertAppRequest: async (a, b) => consentRequestsRepo.insertAppRequest(a, { id: b.extra.roundId, appId: b.appId.toLowerCase(), appDisplayName: 'hijack', permissions: [] }, NOW),
    userRequestOf: async (a, b) => nothing(await consentRequestsRepo.userRequestOf(a, b.extra.roundId, b.userId)),
    insertUserRequest: async (a, b) => {
      if (!(await consentRequestsRepo.appRequest(a, b.extra.roundId))) await consentRequestsRepo.insertAppRequest(a, { id: b.extra.roundId, appId: 'a-app', appDisplayName: 'a', permissions: [] }, NOW);
      await userInA(a, b.userId);
      await consentRequestsRepo.insertUserRequest(a, { id: b.extra.userRequestId, appRequestId: b.extra.roundId, userId: b.userId, reason: 'hijack', permissions: [], expiresAt: FAR_FUTURE }, NOW);
    },
    removeUserRequest: async (a, b) => consentRequestsRepo.removeUserRequest(a, b.extra.userRequestId),
    updateUserRequest: async (a, b) => nothing(await consentRequestsRepo.updateUserRequest(a, b.extra.userRequestId, 'hijack', [])),
    userRequest: async (a, b) => nothing(await consentRequestsRepo.userRequest(a, b.extra.roundId, b.extra.userRequestId)),
    userRequestById: async (a, b) => nothing(await consentRequestsRepo.userRequestById(a, b.extra.userRequestId)),
    userRequests: async (a, b) => nothing(await consentRequestsRepo.userRequests(a, b.extra.roundId, { status: 'InProgress' })),
    listAppRequests: async (a, b) =>
      nothing(await consentRequestsRepo.listAppRequests(a, { appId: b.appId.toLowerCase(), userStatus: 'InProgress', orderBy: { field: 'id', direction: 'asc' }, after: null, limit: 10 })),
    decide: async (a, b) => nothing(await consentRequestsRepo.decide(a, b.extra.roundId, { state: 'denied', reviewerId: b.userId, reviewerName: 'x', justification: 'hijack' }, NOW)),
    completeUserRequests: async (a, b) => nothing(await consentRequestsRepo.completeUserRequests(a, b.extra.roundId, NOW)),
    expireUserRequest: async (a, b) => nothing(await consentRequestsRepo.expireUserRequest(a, b.extra.userRequestId, FAR_FUTURE)),
    expireOverdue: async (a, b) => consentRequestsRepo.expireOverdue(a, b.extra.roundId, FAR_FUTURE),
    closeIfEmpty: async (a, b) => nothing(await consentRequestsRepo.closeIfEmpty(a, b.extra.roundId, NOW)),
    touchOpen: async (a, b) => nothing(await consentRequestsRepo.touchOpen(a, b.extra.roundId, NOW)),
    markReminded: async (a, b) => nothing(await consentRequestsRepo.markReminded(a, b.extra.userRequestId, NOW)),
  },
};

export const seed: IsolationCaseFile['seed'] = async (harness, scopeB, b) => {
  const { consentRequests, database } = harness.container;
  const system: Principal = { kind: 'system', tenantId: scopeB.tenantId };
  await consentRequests.updatePolicy(scopeB, system, { isEnabled: true, requestDurationInDays: 7, reviewers: [{ query: `/users/${b.userId}`, queryType: 'MicrosoftGraph', queryRoot: null }] });
  await consentRequests.submit(scopeB, { userId: b.userId, clientAppId: b.appId, permissions: PERMISSIONS, reason: 'B needs it' });
  const tdb = scoped(database, scopeB);
  const round = (await consentRequestsRepo.openAppRequest(tdb, b.appId.toLowerCase()))!;
  const [request] = await consentRequestsRepo.userRequests(tdb, round.id);
  const [entry] = await consentRequestsRepo.reviewers(tdb);
  return { roundId: round.id, userRequestId: request!.id, reviewerEntryId: entry!.id };
};
