import type { GraphClient } from './client.ts';
import { withQuery } from './odata.ts';
import type { DirectoryRole } from './types.ts';
import { PAGE_SIZE } from './users.ts';

const path = (id: string) => `/directoryRoles/${encodeURIComponent(id)}`;

/** Activated roles only, as in Graph: a role appears here once it has been used in the tenant. */
export const directoryRolesUrl = '/directoryRoles';

export const getDirectoryRole = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<DirectoryRole>(path(id), { signal });

export const roleMembersUrl = (id: string) => withQuery(`${path(id)}/members`, { $top: PAGE_SIZE });

export const assignRole = (graph: GraphClient, roleId: string, userId: string) => graph.post<void>(`${path(roleId)}/members/$ref`, graph.reference(userId));

export const removeRoleMember = (graph: GraphClient, roleId: string, memberId: string) =>
  graph.delete(`${path(roleId)}/members/${encodeURIComponent(memberId)}/$ref`);
