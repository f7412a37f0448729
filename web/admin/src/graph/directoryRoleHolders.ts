import type { GraphClient } from './client.ts';
import { withQuery } from './odata.ts';
import { type Collection, DIRECTORY_ROLE_TYPE, type DirectoryObject, type DirectoryRole, USER_TYPE } from './types.ts';

/** A runaway next-link chain must not hang the page; no role or membership list gets this long here. */
const MAX_PAGES = 50;
/** Graph's largest page for relationship collections, so that the common case is one request. */
const LARGEST_PAGE = 999;

/** Every item of a collection, following `@odata.nextLink` as-is (at most MAX_PAGES pages). */
async function everyItem<T>(graph: GraphClient, firstPageUrl: string, signal: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = firstPageUrl;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const collection: Collection<T> = await graph.get<Collection<T>>(next, { signal });
    items.push(...collection.value);
    next = collection['@odata.nextLink'];
  }
  return items;
}

/** The directory roles among a memberOf collection (`/me/memberOf`, `/users/{id}/memberOf`). */
export async function directoryRolesIn(graph: GraphClient, memberOfUrl: string, signal: AbortSignal): Promise<DirectoryRole[]> {
  const objects = await everyItem<DirectoryObject>(graph, memberOfUrl, signal);
  return objects.flatMap((item) =>
    item['@odata.type'] === DIRECTORY_ROLE_TYPE && item.roleTemplateId
      ? [{ id: item.id, displayName: item.displayName ?? '', description: item.description ?? null, roleTemplateId: item.roleTemplateId }]
      : [],
  );
}

/** The directory roles a user holds directly. */
export const directoryRolesOfUser = (graph: GraphClient, userId: string, signal: AbortSignal) =>
  directoryRolesIn(graph, withQuery(`/users/${encodeURIComponent(userId)}/memberOf`, { $select: 'id,displayName,roleTemplateId', $top: LARGEST_PAGE }), signal);

/**
 * How many users other than `userId` hold the role and are enabled. The role is addressed by its
 * object id (known from the user's memberOf), which every server answers; only an explicit
 * `accountEnabled: true` counts, so a member whose state is unknown never makes a target look replaceable.
 */
export async function otherEnabledUsersInRole(graph: GraphClient, roleId: string, userId: string, signal: AbortSignal): Promise<number> {
  const url = withQuery(`/directoryRoles/${encodeURIComponent(roleId)}/members`, { $select: 'id,accountEnabled', $top: LARGEST_PAGE });
  const members = await everyItem<DirectoryObject & { accountEnabled?: boolean | null }>(graph, url, signal);
  const self = userId.toLowerCase();
  return members.filter((member) => member['@odata.type'] === USER_TYPE && member.accountEnabled === true && member.id.toLowerCase() !== self).length;
}
