import type { GraphClient } from './client.ts';
import { EVENTUAL_CONSISTENCY, searchExpression, withQuery } from './odata.ts';
import type { Group, NewGroup } from './types.ts';
import { PAGE_SIZE } from './users.ts';

const SELECT = 'id,displayName,description,mailNickname,securityEnabled,mailEnabled,createdDateTime';

export type GroupRelation = 'members' | 'owners';

const path = (id: string) => `/groups/${encodeURIComponent(id)}`;

export function groupsPageUrl(search: string): string {
  return withQuery('/groups', { $select: SELECT, $top: PAGE_SIZE, $search: searchExpression(['displayName'], search), $count: true });
}

export const groupsQueryHeaders = EVENTUAL_CONSISTENCY;

export const getGroup = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<Group>(withQuery(path(id), { $select: SELECT }), { signal });

export const createGroup = (graph: GraphClient, group: NewGroup) => graph.post<Group>('/groups', group);

/** null removes the description. */
export type GroupChanges = { displayName?: string; mailNickname?: string; description?: string | null };

export const updateGroup = (graph: GraphClient, id: string, changes: GroupChanges) => graph.patch(path(id), changes);

export const deleteGroup = (graph: GraphClient, id: string) => graph.delete(path(id));

export const groupRelationUrl = (id: string, relation: GroupRelation) => withQuery(`${path(id)}/${relation}`, { $top: PAGE_SIZE });

export const addToGroup = (graph: GraphClient, id: string, relation: GroupRelation, objectId: string) =>
  graph.post<void>(`${path(id)}/${relation}/$ref`, graph.reference(objectId));

export const removeFromGroup = (graph: GraphClient, id: string, relation: GroupRelation, objectId: string) =>
  graph.delete(`${path(id)}/${relation}/${encodeURIComponent(objectId)}/$ref`);

export const countGroups = (graph: GraphClient, signal: AbortSignal) => graph.count('/groups/$count', { headers: EVENTUAL_CONSISTENCY, signal });
