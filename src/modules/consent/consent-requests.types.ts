/**
 * The admin consent request workflow's shapes (graph-reference §7): the policy, what a request asks
 * for, and the stored rounds of requests per app.
 */

/** Graph's accessReviewReviewerScope: who reviews, as a Graph query. */
export interface ReviewerScope {
  query: string;
  queryType: 'MicrosoftGraph';
  queryRoot: string | null;
}

/** One reviewer entry as stored: what it names, and since when (a reviewer acts only on later requests). */
export interface ReviewerEntry extends ReviewerScope {
  id: string;
  kind: 'user' | 'group' | 'role';
  /** the user id, group id or directory role template id the query names */
  targetId: string;
  addedAt: Date;
}

export interface ConsentRequestPolicy {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  reviewers: ReviewerEntry[];
  version: number;
}

/** What a request asks for on one resource: delegated scope values and application permission (app role) ids with their values. */
export interface RequestedResource {
  resourceAppId: string;
  scopes: string[];
  appRoles: { id: string; value: string }[];
}

export type AppRequestState = 'pending' | 'approved' | 'denied' | 'blocked' | 'expired';
export type UserRequestStatus = 'InProgress' | 'Completed' | 'Expired';

/** One round of requests for an app (Graph's appConsentRequest). */
export interface AppRequest {
  id: string;
  appId: string;
  appDisplayName: string;
  state: AppRequestState;
  permissions: RequestedResource[];
  createdAt: Date;
  reviewedById: string | null;
  reviewedByName: string | null;
  reviewedAt: Date | null;
  justification: string | null;
}

/** One user's request within a round (Graph's userConsentRequest), with who they are. */
export interface UserRequest {
  id: string;
  appRequestId: string;
  userId: string;
  userDisplayName: string;
  userPrincipalName: string;
  /** where mail about the request goes (null: nowhere to send it) */
  mail: string | null;
  preferredLanguage: string | null;
  reason: string;
  permissions: RequestedResource[];
  status: UserRequestStatus;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export type Decision = 'approve' | 'deny' | 'block';

/** A person to mail: address, name and language. */
export interface Recipient {
  mail: string;
  displayName: string;
  preferredLanguage: string | null;
}
