import type { AppRoleAssignment, DelegatedPermissionClassification, OAuth2PermissionGrant, ServicePrincipal } from './applicationTypes.ts';
import type { GraphClient } from './client.ts';
import { EVENTUAL_CONSISTENCY, literal, searchExpression, withQuery } from './odata.ts';
import type { Collection } from './types.ts';
import { PAGE_SIZE } from './users.ts';

/**
 * Enterprise applications (`/servicePrincipals`, graph-reference §8.4) and what hangs off them:
 * delegated grants (§8.1), app role assignments (§8.2), permission classifications (§6).
 */

const LIST_SELECT = 'id,appId,displayName,appOwnerOrganizationId,accountEnabled,publisherName,verifiedPublisher';
const path = (id: string) => `/servicePrincipals/${encodeURIComponent(id)}`;

export function servicePrincipalsPageUrl(search: string): string {
  return withQuery('/servicePrincipals', { $select: LIST_SELECT, $top: PAGE_SIZE, $search: searchExpression(['displayName'], search), $count: true });
}

export const servicePrincipalsQueryHeaders = EVENTUAL_CONSISTENCY;

export const getServicePrincipal = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<ServicePrincipal>(path(id), { signal });

/** This tenant's service principal of an app, or null when it has none (an app registered here but never consented to). */
export async function servicePrincipalByAppId(graph: GraphClient, appId: string, signal?: AbortSignal): Promise<ServicePrincipal | null> {
  const page = await graph.get<Collection<ServicePrincipal>>(withQuery('/servicePrincipals', { $filter: `appId eq ${literal(appId)}` }), { signal });
  return page.value[0] ?? null;
}

/** Creates this tenant's service principal of an app registered here (what Entra's portal does on registration). */
export const createServicePrincipal = (graph: GraphClient, appId: string) => graph.post<ServicePrincipal>('/servicePrincipals', { appId });

export type ServicePrincipalChanges = Partial<Pick<ServicePrincipal, 'accountEnabled' | 'appRoleAssignmentRequired'>>;

export const updateServicePrincipal = (graph: GraphClient, id: string, changes: ServicePrincipalChanges) => graph.patch(path(id), changes);

/** Every page of a small collection (grants of one app, its assignments): the admin center shows them whole. */
export async function allPages<T>(graph: GraphClient, url: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = url;
  while (next) {
    const page: Collection<T> = await graph.get<Collection<T>>(next, { signal });
    items.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return items;
}

/** Delegated permissions granted to the app (it is the client). */
export const permissionGrantsOf = (graph: GraphClient, spId: string, signal?: AbortSignal) =>
  allPages<OAuth2PermissionGrant>(graph, withQuery(`${path(spId)}/oauth2PermissionGrants`, { $top: 999 }), signal);

export const updatePermissionGrant = (graph: GraphClient, grantId: string, scope: string) => graph.patch(`/oauth2PermissionGrants/${encodeURIComponent(grantId)}`, { scope });

export const deletePermissionGrant = (graph: GraphClient, grantId: string) => graph.delete(`/oauth2PermissionGrants/${encodeURIComponent(grantId)}`);

/** Application permissions the app holds (app role assignments whose principal is the app). */
export const appRoleAssignmentsOf = (graph: GraphClient, spId: string, signal?: AbortSignal) =>
  allPages<AppRoleAssignment>(graph, withQuery(`${path(spId)}/appRoleAssignments`, { $top: 999 }), signal);

export const deleteAppRoleAssignment = (graph: GraphClient, spId: string, assignmentId: string) =>
  graph.delete(`${path(spId)}/appRoleAssignments/${encodeURIComponent(assignmentId)}`);

/** Users, groups and apps assigned to the app (it is the resource), a page at a time. */
export const appRoleAssignedToUrl = (spId: string) => withQuery(`${path(spId)}/appRoleAssignedTo`, { $top: PAGE_SIZE });

export const assignToApp = (graph: GraphClient, spId: string, assignment: { principalId: string; appRoleId: string }) =>
  graph.post<AppRoleAssignment>(`${path(spId)}/appRoleAssignedTo`, { ...assignment, resourceId: spId });

export const removeAssignment = (graph: GraphClient, spId: string, assignmentId: string) => graph.delete(`${path(spId)}/appRoleAssignedTo/${encodeURIComponent(assignmentId)}`);

/**
 * "Grant admin consent for {tenant}": tenant-wide consent to everything the app's registration
 * asks for (requiredResourceAccess). A Tessera `/beta` extension; Entra's portal does this in a popup.
 */
export const grantAdminConsent = (graph: GraphClient, spId: string) => graph.post<void>(graph.betaUrl(`${path(spId)}/grantAdminConsent`), undefined);

export const classificationsOf = (graph: GraphClient, resourceSpId: string, signal?: AbortSignal) =>
  allPages<DelegatedPermissionClassification>(graph, `${path(resourceSpId)}/delegatedPermissionClassifications`, signal);

export const addClassification = (graph: GraphClient, resourceSpId: string, classification: Omit<DelegatedPermissionClassification, 'id'>) =>
  graph.post<DelegatedPermissionClassification>(`${path(resourceSpId)}/delegatedPermissionClassifications`, classification);

export const removeClassification = (graph: GraphClient, resourceSpId: string, classificationId: string) =>
  graph.delete(`${path(resourceSpId)}/delegatedPermissionClassifications/${encodeURIComponent(classificationId)}`);
