import type { AppRequest, ConsentRequestPolicy, UserRequest } from './consent-requests.types.ts';

/**
 * Graph's shapes of the workflow (graph-reference §7): adminConsentRequestPolicy, appConsentRequest,
 * userConsentRequest and its approval with one stage. Timestamps without milliseconds, as Graph writes them.
 */
const stamp = (value: Date | null) => (value ? `${value.toISOString().slice(0, 19)}Z` : null);

export function policyView(policy: ConsentRequestPolicy): Record<string, unknown> {
  return {
    isEnabled: policy.isEnabled,
    notifyReviewers: policy.notifyReviewers,
    remindersEnabled: policy.remindersEnabled,
    requestDurationInDays: policy.requestDurationInDays,
    reviewers: policy.reviewers.map((r) => ({ query: r.query, queryType: r.queryType, queryRoot: r.queryRoot })),
    version: policy.version,
  };
}

export const appRequestProperties = ['id', 'appId', 'appDisplayName', 'pendingScopes'] as const;
export const userRequestProperties = ['id', 'approvalId', 'status', 'createdBy', 'createdDateTime', 'completedDateTime', 'reason', 'customData', 'approval'] as const;

export function appRequestView(request: AppRequest): Record<string, unknown> {
  const values = new Set<string>();
  for (const resource of request.permissions) {
    for (const scope of resource.scopes) values.add(scope);
    for (const role of resource.appRoles) values.add(role.value);
  }
  return { id: request.id, appId: request.appId, appDisplayName: request.appDisplayName, pendingScopes: [...values].map((displayName) => ({ displayName })) };
}

/** The request's one approval stage: the round's decision once this request was completed by it. */
export function approvalView(round: AppRequest, request: UserRequest, assignedToMe: boolean): Record<string, unknown> {
  const decided = request.status === 'Completed' && round.state !== 'pending' && round.state !== 'expired';
  const result = !decided ? 'NotReviewed' : round.state === 'approved' ? 'Approved' : 'Denied';
  return {
    id: request.id,
    stages: [
      {
        id: request.id,
        displayName: null,
        reviewedDateTime: decided ? stamp(round.reviewedAt) : null,
        reviewResult: result,
        status: request.status === 'InProgress' ? 'InProgress' : 'Completed',
        assignedToMe: assignedToMe && request.status === 'InProgress',
        justification: decided ? round.justification : null,
        reviewedBy: decided && round.reviewedById ? { id: round.reviewedById, displayName: round.reviewedByName } : null,
      },
    ],
  };
}

export function userRequestView(round: AppRequest, request: UserRequest, options: { assignedToMe: boolean; expandApproval: boolean }): Record<string, unknown> {
  return {
    id: request.id,
    approvalId: request.id,
    status: request.status,
    createdBy: { user: { id: request.userId, displayName: request.userDisplayName } },
    createdDateTime: stamp(request.createdAt),
    completedDateTime: stamp(request.completedAt),
    reason: request.reason,
    customData: null,
    ...(options.expandApproval ? { approval: approvalView(round, request, options.assignedToMe) } : {}),
  };
}
