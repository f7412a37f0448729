import type { GraphClient } from '../../graph/client.ts';
import { withQuery } from '../../graph/odata.ts';
import type { Collection } from '../../graph/types.ts';

/** Graph's admin consent workflow as the admin center uses it (graph-reference §7; decisions are Tessera's /beta extensions). */
export interface ReviewerScope {
  query: string;
  queryType: 'MicrosoftGraph';
  queryRoot: string | null;
}

export interface AdminConsentRequestPolicy {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  reviewers: ReviewerScope[];
  version: number;
}

export interface AppConsentRequest {
  id: string;
  appId: string;
  appDisplayName: string;
  pendingScopes: { displayName: string }[];
}

export interface ApprovalStage {
  reviewResult: 'NotReviewed' | 'Approved' | 'Denied';
  status: string;
  assignedToMe: boolean;
  justification: string | null;
  reviewedBy: { id: string; displayName: string | null } | null;
  reviewedDateTime: string | null;
}

export interface UserConsentRequest {
  id: string;
  status: 'Initializing' | 'InProgress' | 'Expired' | 'Completed';
  reason: string;
  createdDateTime: string;
  completedDateTime: string | null;
  createdBy: { user: { id: string; displayName: string | null } };
  approval: { id: string; stages: ApprovalStage[] };
}

/** One app's round with its users' requests, as the page shows it. */
export interface RequestRound extends AppConsentRequest {
  requests: UserConsentRequest[];
  /** some request still waits */
  pending: boolean;
  /** the signed-in user may decide it */
  assignedToMe: boolean;
  /** the decision, once made */
  outcome: 'Approved' | 'Denied' | 'Expired' | null;
  reviewedBy: string | null;
  justification: string | null;
}

const ROOT = '/identityGovernance/appConsent/appConsentRequests';
const IN_PROGRESS = "userConsentRequests/any(u:u/status eq 'InProgress')";
/** a page of rounds at a time, and at most this many pages */
const PAGE = 100;
const MAX_PAGES = 10;

async function all<T>(graph: GraphClient, first: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = first;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const body: Collection<T> = await graph.get<Collection<T>>(next, signal ? { signal } : {});
    items.push(...body.value);
    next = body['@odata.nextLink'];
  }
  return items;
}

async function withRequests(graph: GraphClient, rounds: AppConsentRequest[], signal?: AbortSignal): Promise<RequestRound[]> {
  return Promise.all(
    rounds.map(async (round) => {
      const requests = await all<UserConsentRequest>(graph, withQuery(`${ROOT}/${encodeURIComponent(round.id)}/userConsentRequests`, { $expand: 'approval' }), signal);
      const stages = requests.map((r) => r.approval.stages[0]).filter((s): s is ApprovalStage => Boolean(s));
      const decided = stages.find((s) => s.reviewResult !== 'NotReviewed');
      const pending = requests.some((r) => r.status === 'InProgress');
      return {
        ...round,
        requests,
        pending,
        assignedToMe: stages.some((s) => s.assignedToMe),
        outcome: decided ? (decided.reviewResult as 'Approved' | 'Denied') : !pending && requests.length > 0 ? 'Expired' : null,
        reviewedBy: decided?.reviewedBy?.displayName ?? null,
        justification: decided?.justification ?? null,
      };
    }),
  );
}

/** My pending: the rounds the signed-in user reviews that still wait (`filterByCurrentUser(on='reviewer')`). */
export async function myPendingRounds(graph: GraphClient, signal?: AbortSignal): Promise<RequestRound[]> {
  const rounds = await all<AppConsentRequest>(graph, withQuery(`${ROOT}/filterByCurrentUser(on='reviewer')`, { $filter: IN_PROGRESS, $top: PAGE }), signal);
  return withRequests(graph, rounds, signal);
}

/** All: every round that still waits, whoever reviews it. */
export async function allPendingRounds(graph: GraphClient, signal?: AbortSignal): Promise<RequestRound[]> {
  const rounds = await all<AppConsentRequest>(graph, withQuery(ROOT, { $filter: IN_PROGRESS, $top: PAGE }), signal);
  return withRequests(graph, rounds, signal);
}

/** History: rounds decided or expired. */
export async function decidedRounds(graph: GraphClient, signal?: AbortSignal): Promise<RequestRound[]> {
  const rounds = await all<AppConsentRequest>(graph, withQuery(ROOT, { $top: PAGE }), signal);
  return (await withRequests(graph, rounds, signal)).filter((round) => !round.pending);
}

export type Decision = 'approve' | 'deny' | 'block';

export function decide(graph: GraphClient, roundId: string, decision: Decision, justification: string): Promise<void> {
  return graph.post<void>(graph.betaUrl(`${ROOT}/${encodeURIComponent(roundId)}/${decision}`), justification ? { justification } : {});
}

export const getPolicy = (graph: GraphClient, signal?: AbortSignal) => graph.get<AdminConsentRequestPolicy>('/policies/adminConsentRequestPolicy', signal ? { signal } : {});

/** PUT (Graph's only way to change it) → 204; `version` is the server's. */
export const putPolicy = (graph: GraphClient, policy: Omit<AdminConsentRequestPolicy, 'version'>) => graph.put('/policies/adminConsentRequestPolicy', policy);
