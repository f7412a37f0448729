import type { Application, KeyCredential, PasswordCredential, Platform, SignInAudience } from './applicationTypes.ts';
import type { GraphClient } from './client.ts';
import { EVENTUAL_CONSISTENCY, searchExpression, withQuery } from './odata.ts';
import { PAGE_SIZE } from './users.ts';

/** App registrations (`/applications`, graph-reference §8.3). */

const LIST_SELECT = 'id,appId,displayName,signInAudience,createdDateTime,publisherDomain';
const path = (id: string) => `/applications/${encodeURIComponent(id)}`;

export function applicationsPageUrl(search: string): string {
  return withQuery('/applications', { $select: LIST_SELECT, $top: PAGE_SIZE, $search: searchExpression(['displayName'], search), $count: true });
}

export const applicationsQueryHeaders = EVENTUAL_CONSISTENCY;

export const getApplication = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<Application>(path(id), { signal });

export interface NewApplication {
  displayName: string;
  signInAudience: SignInAudience;
  web?: { redirectUris: string[] };
  spa?: { redirectUris: string[] };
  publicClient?: { redirectUris: string[] };
}

export const createApplication = (graph: GraphClient, application: NewApplication) => graph.post<Application>('/applications', application);

/** What the admin center changes on an application: whole properties, as Graph's PATCH replaces them. */
export type ApplicationChanges = Partial<
  Pick<Application, 'displayName' | 'description' | 'signInAudience' | 'identifierUris' | 'requiredResourceAccess' | 'appRoles' | 'info' | 'keyCredentials'>
> & {
  web?: { redirectUris?: string[]; homePageUrl?: string | null };
  spa?: { redirectUris: string[] };
  publicClient?: { redirectUris: string[] };
  api?: { oauth2PermissionScopes: NonNullable<NonNullable<Application['api']>['oauth2PermissionScopes']> };
};

export const updateApplication = (graph: GraphClient, id: string, changes: ApplicationChanges) => graph.patch(path(id), changes);

export const deleteApplication = (graph: GraphClient, id: string) => graph.delete(path(id));

/** A new client secret; the answer carries `secretText`, which Graph never shows again. */
export const addPassword = (graph: GraphClient, id: string, credential: { displayName: string; endDateTime: string }) =>
  graph.post<PasswordCredential>(`${path(id)}/addPassword`, { passwordCredential: credential });

export const removePassword = (graph: GraphClient, id: string, keyId: string) => graph.post<void>(`${path(id)}/removePassword`, { keyId });

/**
 * Certificates are set as Graph sets them: a PATCH of the whole `keyCredentials` collection. The
 * ones already there are sent back by keyId (their key stays on the server); a new one carries its
 * certificate.
 */
export function keyCredentialsWith(existing: readonly KeyCredential[], added: KeyCredential | null, removedKeyId: string | null = null): KeyCredential[] {
  const kept = existing
    .filter((credential) => credential.keyId !== removedKeyId)
    .map((credential) => ({ keyId: credential.keyId, type: credential.type, usage: credential.usage, displayName: credential.displayName ?? null }));
  return added ? [...kept, added] : kept;
}

export const platforms: readonly { value: Platform; label: string; hint: string }[] = [
  { value: 'web', label: 'Web', hint: 'A server-side app that keeps a client secret or certificate.' },
  { value: 'spa', label: 'Single-page application', hint: 'A browser app using the authorization code flow with PKCE.' },
  { value: 'publicClient', label: 'Mobile and desktop applications', hint: 'A public client (no secret), such as a native app.' },
];
