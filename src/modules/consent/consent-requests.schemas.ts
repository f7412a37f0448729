import { readBody, type BodySpec } from '../../kernel/body.ts';
import { isGuid } from '../../kernel/ids.ts';
import { ConsentRequestErrors } from './consent-requests.errors.ts';
import type { ReviewerScope } from './consent-requests.types.ts';

/** Entra's portal limit on reviewers of the workflow. */
export const MAX_REVIEWERS = 25;
/** The justification box on "Approval required", and a reviewer's justification. */
export const MAX_REASON_LENGTH = 500;

const reviewerSpec: BodySpec = {
  query: { type: 'string', maxLength: 300 },
  queryType: { type: 'string', maxLength: 40 },
  queryRoot: { type: 'string', nullable: true, maxLength: 300 },
};

/** PUT /policies/adminConsentRequestPolicy: id and version are the server's. */
export const adminConsentRequestPolicySpec: BodySpec = {
  id: { type: 'string', writable: false },
  version: { type: 'integer', writable: false },
  isEnabled: { type: 'boolean' },
  notifyReviewers: { type: 'boolean' },
  remindersEnabled: { type: 'boolean' },
  requestDurationInDays: { type: 'integer' },
  reviewers: { type: 'objectArray', maxItems: MAX_REVIEWERS, fields: reviewerSpec, typeName: 'microsoft.graph.accessReviewReviewerScope' },
};

export interface PolicyInput {
  isEnabled?: boolean;
  notifyReviewers?: boolean;
  remindersEnabled?: boolean;
  requestDurationInDays?: number;
  reviewers?: ReviewerScope[];
}

export function readPolicyBody(body: unknown): PolicyInput {
  const input = readBody<Record<string, any>>(body, adminConsentRequestPolicySpec, 'microsoft.graph.adminConsentRequestPolicy');
  const duration = input.requestDurationInDays as number | undefined;
  if (duration !== undefined && (duration < 1 || duration > 30)) throw ConsentRequestErrors.invalidDuration();
  const reviewers = (input.reviewers as Record<string, unknown>[] | undefined)?.map((entry) => {
    if (typeof entry.query !== 'string' || entry.query.trim() === '') throw ConsentRequestErrors.invalidReviewer(String(entry.query ?? ''), "'query' is required");
    if (entry.queryType !== 'MicrosoftGraph') throw ConsentRequestErrors.invalidReviewer(entry.query, "'queryType' must be 'MicrosoftGraph'");
    return { query: entry.query.trim(), queryType: 'MicrosoftGraph' as const, queryRoot: (entry.queryRoot as string | null | undefined) ?? null };
  });
  return {
    ...(input.isEnabled !== undefined ? { isEnabled: input.isEnabled as boolean } : {}),
    ...(input.notifyReviewers !== undefined ? { notifyReviewers: input.notifyReviewers as boolean } : {}),
    ...(input.remindersEnabled !== undefined ? { remindersEnabled: input.remindersEnabled as boolean } : {}),
    ...(duration !== undefined ? { requestDurationInDays: duration } : {}),
    ...(reviewers !== undefined ? { reviewers } : {}),
  };
}

const VERSION = '(?:/(?:v1\\.0|beta))?';
const GUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
const USER_QUERY = new RegExp(`^${VERSION}/users/${GUID}$`, 'i');
const GROUP_QUERY = new RegExp(`^${VERSION}/groups/${GUID}/transitiveMembers/microsoft\\.graph\\.user$`, 'i');
const ROLE_QUERY = new RegExp(`^${VERSION}/roleManagement/directory/roleAssignments\\?\\$filter=roleDefinitionId\\s+eq\\s+'${GUID}'$`, 'i');

/**
 * What a reviewer query names: the forms Entra's portal writes (graph-reference §7.1). A user
 * (`/users/{id}`), a group's users (`/groups/{id}/transitiveMembers/microsoft.graph.user`) or the
 * holders of a directory role (`/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '{templateId}'`).
 */
export function parseReviewerQuery(query: string): { kind: 'user' | 'group' | 'role'; targetId: string } {
  const user = USER_QUERY.exec(query);
  if (user?.[1]) return { kind: 'user', targetId: user[1].toLowerCase() };
  const group = GROUP_QUERY.exec(query);
  if (group?.[1]) return { kind: 'group', targetId: group[1].toLowerCase() };
  const role = ROLE_QUERY.exec(query);
  if (role?.[1] && isGuid(role[1])) return { kind: 'role', targetId: role[1].toLowerCase() };
  throw ConsentRequestErrors.invalidReviewer(
    query,
    "expected '/users/{id}', '/groups/{id}/transitiveMembers/microsoft.graph.user' or '/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '{id}''",
  );
}

/** The user's justification from the "Approval required" page: required, at most 500 characters. */
export function readReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (!reason) throw ConsentRequestErrors.reasonRequired();
  if (reason.length > MAX_REASON_LENGTH) throw ConsentRequestErrors.reasonTooLong(MAX_REASON_LENGTH);
  return reason;
}

/** A reviewer's justification body (`{ "justification": "..." }`): required to deny or block, optional to approve. */
export function readDecisionBody(body: unknown, required: boolean): string | null {
  const input = readBody<Record<string, unknown>>(body ?? {}, { justification: { type: 'string', nullable: true, maxLength: MAX_REASON_LENGTH } }, 'microsoft.graph.approvalStage');
  const justification = typeof input.justification === 'string' ? input.justification.trim() : '';
  if (required && !justification) throw ConsentRequestErrors.justificationRequired();
  return justification || null;
}
