import type { GraphClient } from '../graph/client.ts';
import { directoryRolesIn } from '../graph/directoryRoleHolders.ts';
import { withQuery } from '../graph/odata.ts';
import type { DirectoryRole } from '../graph/types.ts';
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

/** Who is signed in and which directory roles they hold (`/me`, `/me/memberOf`). */
export async function loadAccess(graph: GraphClient, signal: AbortSignal): Promise<Access> {
  const user = await graph.get<SignedInUser>(withQuery('/me', { $select: 'id,displayName,userPrincipalName,userType' }), { signal });
  const roles = await directoryRolesIn(graph, '/me/memberOf', signal);
  const templateIds = roles.map((role) => role.roleTemplateId);
  const granted = grantedActions(user.userType, templateIds);
  return { user, roles, hasAdminRole: holdsAdminRole(templateIds), can: (action) => allows(granted, action) };
}
