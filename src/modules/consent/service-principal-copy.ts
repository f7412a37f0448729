import { newId } from '../../kernel/ids.ts';
import type { Application, ServicePrincipal } from './application.types.ts';

/**
 * A service principal carries copies of its application's published parts (name, permissions it
 * exposes, publisher, links, reply URLs), as in Entra: a tenant's consent and token decisions read
 * its own service principal, never another tenant's registration. The copy is made when the
 * service principal is created and refreshed when the registration changes: at once in the home
 * tenant (RegistrationsService), and in other tenants on the next sign-in that reads the
 * registration (ApplicationsService.client), so a copy is never older than the registration a
 * client was last let in with.
 */
type Copied = Pick<
  ServicePrincipal,
  'appDisplayName' | 'appRoles' | 'oauth2PermissionScopes' | 'signInAudience' | 'verifiedPublisher' | 'info' | 'homepage' | 'replyUrls' | 'servicePrincipalNames'
>;

export function copiedFields(app: Application): Copied {
  return {
    appDisplayName: app.displayName,
    appRoles: app.appRoles,
    oauth2PermissionScopes: app.api.oauth2PermissionScopes,
    signInAudience: app.signInAudience,
    verifiedPublisher: app.verifiedPublisher,
    info: app.info,
    homepage: app.web.homePageUrl,
    replyUrls: [...app.web.redirectUris, ...app.spa.redirectUris, ...app.publicClient.redirectUris],
    servicePrincipalNames: [...new Set([app.appId, ...app.identifierUris, `api://${app.appId}`])],
  };
}

/** The service principal with the registration's current copies (its own name kept unless it was the app's). */
export function refreshedCopy(sp: ServicePrincipal, app: Application): ServicePrincipal {
  const copied = copiedFields(app);
  return { ...sp, ...copied, displayName: sp.displayName === sp.appDisplayName ? app.displayName : sp.displayName };
}

/** Whether the service principal's copies differ from the registration's current parts. */
export function copyIsStale(sp: ServicePrincipal, app: Application): boolean {
  const copied = copiedFields(app);
  return (Object.keys(copied) as (keyof Copied)[]).some((key) => JSON.stringify(sp[key]) !== JSON.stringify(copied[key])) || (sp.displayName === sp.appDisplayName && sp.displayName !== app.displayName);
}

/** A new service principal for `app` in a tenant; `publisherName` is the home tenant's display name. */
export function servicePrincipalFor(app: Application, home: { tenantId: string; publisherName: string | null }, now: string): ServicePrincipal {
  return {
    id: newId(),
    appId: app.appId,
    displayName: app.displayName,
    appOwnerOrganizationId: home.tenantId,
    description: null,
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    servicePrincipalType: 'Application',
    publisherName: home.publisherName,
    tags: [],
    createdDateTime: now,
    ...copiedFields(app),
  };
}
