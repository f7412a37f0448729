import type { GraphClient } from './client.ts';
import type { Collection } from './types.ts';

export const OIDC_PROVIDER_TYPE = '#microsoft.graph.openIdConnectIdentityProvider';

/** Tessera's `/beta/identity/identityProviders` (an OpenID Connect provider per partner domain set). */
export interface IdentityProvider {
  id: string;
  '@odata.type'?: string;
  displayName: string;
  issuer: string;
  clientId: string;
  /** write-only: reads answer null */
  clientSecret?: string | null;
  scope?: string | null;
  domains: string[];
}

export type NewIdentityProvider = Omit<IdentityProvider, 'id'> & { clientSecret: string };

const COLLECTION = '/identity/identityProviders';

export async function listIdentityProviders(graph: GraphClient, signal?: AbortSignal): Promise<IdentityProvider[]> {
  const providers: IdentityProvider[] = [];
  let next: string | undefined = graph.betaUrl(COLLECTION);
  // A tenant has a handful of partners; a runaway next-link chain must still end.
  for (let page = 0; next && page < 20; page++) {
    const collection: Collection<IdentityProvider> = await graph.get<Collection<IdentityProvider>>(next, { signal });
    providers.push(...collection.value);
    next = collection['@odata.nextLink'];
  }
  return providers;
}

export const createIdentityProvider = (graph: GraphClient, provider: NewIdentityProvider) =>
  graph.post<IdentityProvider>(graph.betaUrl(COLLECTION), { '@odata.type': OIDC_PROVIDER_TYPE, ...provider });

export const deleteIdentityProvider = (graph: GraphClient, id: string) => graph.delete(graph.betaUrl(`${COLLECTION}/${encodeURIComponent(id)}`));
