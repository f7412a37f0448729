import type { GraphClient } from './client.ts';
import { type AuthorizationPolicy, getAuthorizationPolicy } from './policies.ts';

/** The user consent setting, stored in the tenant's authorizationPolicy (graph-reference §6). */
export async function getPermissionGrantPoliciesAssigned(graph: GraphClient, signal?: AbortSignal): Promise<string[]> {
  // the admin center's AuthorizationPolicy type names only what External identities edits
  const policy: AuthorizationPolicy & { defaultUserRolePermissions?: { permissionGrantPoliciesAssigned?: unknown } } = await getAuthorizationPolicy(graph, signal);
  const assigned = policy.defaultUserRolePermissions?.permissionGrantPoliciesAssigned;
  return Array.isArray(assigned) ? assigned.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** Graph merges `defaultUserRolePermissions` on PATCH: the other flags in it stay as they are. */
export const updatePermissionGrantPoliciesAssigned = (graph: GraphClient, assigned: readonly string[]) =>
  graph.patch('/policies/authorizationPolicy', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: assigned } });
