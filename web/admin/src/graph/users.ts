import type { GraphClient } from './client.ts';
import { EVENTUAL_CONSISTENCY, literal, searchExpression, withQuery } from './odata.ts';
import type { NewUser, User } from './types.ts';

export const PAGE_SIZE = 50;

const LIST_SELECT = 'id,displayName,userPrincipalName,userType,accountEnabled,mail,jobTitle';
const DETAIL_SELECT =
  'id,displayName,userPrincipalName,mail,mailNickname,userType,accountEnabled,givenName,surname,jobTitle,department,usageLocation,createdDateTime,externalUserState';
const SEARCHED = ['displayName', 'userPrincipalName'] as const;

export type UserTypeFilter = 'all' | 'Member' | 'Guest';

const path = (id: string) => `/users/${encodeURIComponent(id)}`;

/** The first page of the user list. Always an advanced query, so that `@odata.count` gives the total. */
export function usersPageUrl(search: string, userType: UserTypeFilter, top = PAGE_SIZE): string {
  return withQuery('/users', {
    $select: LIST_SELECT,
    $top: top,
    $filter: userType === 'all' ? undefined : `userType eq ${literal(userType)}`,
    $search: searchExpression(SEARCHED, search),
    $count: true,
  });
}

export const usersQueryHeaders = EVENTUAL_CONSISTENCY;

export const getUser = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<User>(withQuery(path(id), { $select: DETAIL_SELECT }), { signal });

export const createUser = (graph: GraphClient, user: NewUser) => graph.post<User>('/users', user);

/** What the admin center changes on a user; null removes an optional value. */
export type UserChanges = { accountEnabled?: boolean } & Partial<
  Record<'displayName' | 'userPrincipalName' | 'givenName' | 'surname' | 'jobTitle' | 'department' | 'usageLocation', string | null>
>;

export const updateUser = (graph: GraphClient, id: string, changes: UserChanges) => graph.patch(path(id), changes);

export const deleteUser = (graph: GraphClient, id: string) => graph.delete(path(id));

/** Groups and directory roles the user is a direct member of (mixed directoryObjects). */
export const userMemberOfUrl = (id: string) => withQuery(`${path(id)}/memberOf`, { $top: PAGE_SIZE });

export function countUsers(graph: GraphClient, signal: AbortSignal, userType?: 'Guest'): Promise<number> {
  const url = withQuery('/users/$count', { $filter: userType ? `userType eq ${literal(userType)}` : undefined });
  return graph.count(url, { headers: EVENTUAL_CONSISTENCY, signal });
}
