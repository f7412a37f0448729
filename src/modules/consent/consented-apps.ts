import type { TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import type { OAuth2PermissionGrant } from './application.types.ts';
import type { ApplicationsService } from './applications.service.ts';
import { ADMIN_CENTER_APP_ID, FEDERATION_APP_ID, MY_ACCOUNT_APP_ID } from './first-party.ts';
import { grantsRepo, scopeValues } from './grants.repo.ts';

/** One app in My Account → Apps: the client, who published it, and the permissions consented. */
export interface ConsentedApp {
  clientId: string;
  appId: string;
  displayName: string;
  publisherName: string | null;
  verifiedPublisher: boolean;
  permissions: { resourceDisplayName: string; value: string; displayName: string; description: string | null }[];
}

/**
 * Tessera's own apps (My Account, the admin center, home sign-in): consented for everyone when the
 * tenant is made, they are left out of the apps a user sees, as My Apps leaves out Microsoft's.
 */
const FIRST_PARTY: ReadonlySet<string> = new Set([ADMIN_CENTER_APP_ID, MY_ACCOUNT_APP_ID, FEDERATION_APP_ID]);

/**
 * The clients of `grants`, one entry per client with the permissions of all its grants (each with
 * the user-facing text its resource publishes), in display-name order. Service principals come from
 * the stamp-invalidated cache.
 */
export async function consentedApps(tdb: TenantDb, scope: TenantScope, applications: ApplicationsService, grants: OAuth2PermissionGrant[]): Promise<ConsentedApp[]> {
  const objects = await grantsRepo.directoryObjects(tdb, grants.flatMap((g) => [g.clientId, g.resourceId]));
  const apps = new Map<string, ConsentedApp>();
  for (const grant of grants) {
    const clientAppId = objects.get(grant.clientId)?.appId;
    const resourceAppId = objects.get(grant.resourceId)?.appId;
    if (!clientAppId || !resourceAppId || FIRST_PARTY.has(clientAppId)) continue;
    const client = await applications.cachedServicePrincipal(scope, clientAppId);
    const resource = await applications.cachedServicePrincipal(scope, resourceAppId);
    if (!client || !resource) continue;
    let app = apps.get(client.id);
    if (!app) {
      app = {
        clientId: client.id,
        appId: client.appId,
        displayName: client.displayName,
        publisherName: client.publisherName,
        verifiedPublisher: Boolean(client.verifiedPublisher?.verifiedPublisherId),
        permissions: [],
      };
      apps.set(client.id, app);
    }
    for (const value of scopeValues(grant.scope)) {
      if (app.permissions.some((p) => p.value === value && p.resourceDisplayName === resource.displayName)) continue;
      const published = resource.oauth2PermissionScopes.find((s) => s.value === value);
      app.permissions.push({
        resourceDisplayName: resource.displayName,
        value,
        displayName: published?.userConsentDisplayName ?? published?.adminConsentDisplayName ?? value,
        description: published?.userConsentDescription ?? published?.adminConsentDescription ?? null,
      });
    }
  }
  return [...apps.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
