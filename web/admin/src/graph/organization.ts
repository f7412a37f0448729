import type { GraphClient } from './client.ts';
import { GraphError } from './errors.ts';
import type { Branding, Collection, Organization } from './types.ts';

const path = (id: string) => `/organization/${encodeURIComponent(id)}`;

/** `GET /organization` is a one-item collection: the tenant of the signed-in user. */
export async function getOrganization(graph: GraphClient, signal?: AbortSignal): Promise<Organization> {
  const collection = await graph.get<Collection<Organization>>('/organization', { signal });
  const organization = collection.value[0];
  if (!organization) throw new GraphError(404, 'Request_ResourceNotFound', 'The directory returned no organization for this tenant.');
  return organization;
}

export type OrganizationChanges = Partial<Pick<Organization, 'displayName' | 'countryLetterCode' | 'privacyProfile' | 'technicalNotificationMails'>>;

export const updateOrganization = (graph: GraphClient, id: string, changes: OrganizationChanges) => graph.patch(path(id), changes);

export const getBranding = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<Branding>(graph.betaUrl(`${path(id)}/branding`), { signal });

export const updateBranding = (graph: GraphClient, id: string, changes: Branding) => graph.patch(graph.betaUrl(`${path(id)}/branding`), changes);
