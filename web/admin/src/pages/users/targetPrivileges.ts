import { GLOBAL_ADMINISTRATOR } from '../../access/roles.ts';
import type { GraphClient } from '../../graph/client.ts';
import { directoryRolesOfUser, otherEnabledUsersInRole } from '../../graph/directoryRoleHolders.ts';
import type { DirectoryRole } from '../../graph/types.ts';

export interface TargetPrivileges {
  roles: DirectoryRole[];
  /** counted only when the user holds Global Administrator (0 otherwise) */
  otherEnabledGlobalAdmins: number;
}

/** What the user page needs to decide which sensitive actions it offers (userActionRules.ts). */
export async function loadTargetPrivileges(graph: GraphClient, userId: string, signal: AbortSignal): Promise<TargetPrivileges> {
  const roles = await directoryRolesOfUser(graph, userId, signal);
  const globalAdmin = roles.find((role) => role.roleTemplateId === GLOBAL_ADMINISTRATOR);
  const otherEnabledGlobalAdmins = globalAdmin ? await otherEnabledUsersInRole(graph, globalAdmin.id, userId, signal) : 0;
  return { roles, otherEnabledGlobalAdmins };
}
