import type { GraphClient } from './client.ts';
import { EVENTUAL_CONSISTENCY, literal, searchExpression, withQuery } from './odata.ts';
import { PAGE_SIZE } from './users.ts';

export type InvitationState = 'PendingAcceptance' | 'Accepted';
export type InvitationStateFilter = 'all' | InvitationState;

export interface ObjectIdentity {
  signInType: string;
  issuer: string;
  issuerAssignedId: string | null;
}

export interface Guest {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string;
  userType: 'Guest' | 'Member' | null;
  externalUserState: string | null;
  externalUserStateChangeDateTime: string | null;
  creationType: string | null;
  accountEnabled: boolean | null;
  createdDateTime: string | null;
  otherMails?: string[];
  identities?: ObjectIdentity[];
}

const LIST_SELECT = 'id,displayName,mail,userPrincipalName,userType,externalUserState,externalUserStateChangeDateTime,creationType,accountEnabled,createdDateTime';
const DETAIL_SELECT = `${LIST_SELECT},otherMails,identities`;

const path = (id: string) => `/users/${encodeURIComponent(id)}`;

/** The guest list: `userType eq 'Guest'`, narrowed to one invitation state, searched by name or e-mail. */
export function guestsPageUrl(state: InvitationStateFilter, search: string): string {
  const filters = [`userType eq ${literal('Guest')}`, ...(state === 'all' ? [] : [`externalUserState eq ${literal(state)}`])];
  return withQuery('/users', {
    $select: LIST_SELECT,
    $filter: filters.join(' and '),
    $search: searchExpression(['displayName', 'mail'], search),
    $top: PAGE_SIZE,
    $count: true,
  });
}

/** `$search` and `$count` are advanced queries. */
export const guestsQueryHeaders = EVENTUAL_CONSISTENCY;

export const getGuest = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<Guest>(withQuery(path(id), { $select: DETAIL_SELECT }), { signal });

/** Ends every session and refresh token of the user; Graph answers `{ "value": true }`. */
export const revokeSignInSessions = (graph: GraphClient, id: string) => graph.post<{ value: boolean }>(`${path(id)}/revokeSignInSessions`, {});
