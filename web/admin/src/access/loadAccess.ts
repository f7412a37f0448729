import type { GraphClient } from '../graph/client.ts';
import { withQuery } from '../graph/odata.ts';
import { type Collection, DIRECTORY_ROLE_TYPE, type DirectoryObject, type DirectoryRole } from '../graph/types.ts';
import { type Action, allows, grantedActions, holdsAdminRole } from './roles.ts';

export interface SignedInUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  userType: string | null;
}

export interface Access {
  user: SignedInUser;
  roles: DirectoryRole[];
  hasAdminRole: boolean;
  can(action: Action): boolean;
}

/** A runaway next-link chain must not hang the start of the app; nobody holds this many memberships. */
const MAX_PAGES = 50;

/** Who is signed in and which directory roles they hold (`/me`, `/me/memberOf`). */
export async function loadAccess(graph: GraphClient, signal: AbortSignal): Promise<Access> {
  const user = await graph.get<SignedInUser>(withQuery('/me', { $select: 'id,displayName,userPrincipalName,userType' }), { signal });
  const roles: DirectoryRole[] = [];
  let next: string | undefined = '/me/memberOf';
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const collection: Collection<DirectoryObject> = await graph.get<Collection<DirectoryObject>>(next, { signal });
    for (const item of collection.value) {
      if (item['@odata.type'] === DIRECTORY_ROLE_TYPE && item.roleTemplateId) {
        roles.push({ id: item.id, displayName: item.displayName ?? '', description: item.description ?? null, roleTemplateId: item.roleTemplateId });
      }
    }
    next = collection['@odata.nextLink'];
  }
  const templateIds = roles.map((role) => role.roleTemplateId);
  const granted = grantedActions(user.userType, templateIds);
  return { user, roles, hasAdminRole: holdsAdminRole(templateIds), can: (action) => allows(granted, action) };
}
