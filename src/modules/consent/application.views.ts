import type { EntityCatalog, FilterOp, PropertySpec } from '../../kernel/odata/index.ts';
import type { Application, KeyCredential, PasswordCredential, ServicePrincipal } from './application.types.ts';

/**
 * Graph's JSON shapes of applications and service principals (graph-reference §8.3-§8.4): what the
 * stored objects look like to Graph clients. Secrets never leave (only their hints), certificates
 * only as their metadata (Graph returns `key: null` unless `$select`ed, and Tessera keeps no more).
 */
export type GraphObject = Record<string, unknown> & { id: string };

function passwordView(credential: PasswordCredential): Record<string, unknown> {
  return {
    customKeyIdentifier: null,
    displayName: credential.displayName,
    endDateTime: credential.endDateTime,
    hint: credential.hint,
    keyId: credential.keyId,
    secretText: null,
    startDateTime: credential.startDateTime,
  };
}

function keyView(credential: KeyCredential): Record<string, unknown> {
  return {
    customKeyIdentifier: credential.customKeyIdentifier ?? null,
    displayName: credential.displayName,
    endDateTime: credential.endDateTime ?? null,
    key: null,
    keyId: credential.keyId,
    startDateTime: credential.startDateTime ?? null,
    type: credential.type === 'Jwk' ? 'AsymmetricX509Cert' : credential.type,
    usage: credential.usage,
  };
}

export function applicationView(app: Application): GraphObject {
  return {
    id: app.id,
    deletedDateTime: null,
    appId: app.appId,
    createdDateTime: app.createdDateTime,
    description: app.description,
    displayName: app.displayName,
    identifierUris: app.identifierUris,
    isFallbackPublicClient: app.isFallbackPublicClient,
    publisherDomain: app.publisherDomain,
    signInAudience: app.signInAudience,
    tags: app.tags,
    api: { acceptMappedClaims: null, knownClientApplications: [], requestedAccessTokenVersion: 2, oauth2PermissionScopes: app.api.oauth2PermissionScopes, preAuthorizedApplications: [] },
    appRoles: app.appRoles,
    info: app.info,
    keyCredentials: app.keyCredentials.map(keyView),
    passwordCredentials: app.passwordCredentials.map(passwordView),
    publicClient: { redirectUris: app.publicClient.redirectUris },
    requiredResourceAccess: app.requiredResourceAccess,
    spa: { redirectUris: app.spa.redirectUris },
    verifiedPublisher: app.verifiedPublisher,
    web: {
      homePageUrl: app.web.homePageUrl,
      logoutUrl: app.web.logoutUrl,
      redirectUris: app.web.redirectUris,
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
  };
}

export function servicePrincipalView(sp: ServicePrincipal): GraphObject {
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: sp.accountEnabled,
    alternativeNames: [],
    appDisplayName: sp.appDisplayName,
    appDescription: null,
    appId: sp.appId,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired,
    description: sp.description,
    displayName: sp.displayName,
    homepage: sp.homepage,
    loginUrl: null,
    logoutUrl: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    publisherName: sp.publisherName,
    replyUrls: sp.replyUrls,
    servicePrincipalNames: sp.servicePrincipalNames,
    servicePrincipalType: sp.servicePrincipalType,
    signInAudience: sp.signInAudience,
    tags: sp.tags,
    appRoles: sp.appRoles,
    info: sp.info,
    keyCredentials: [],
    oauth2PermissionScopes: sp.oauth2PermissionScopes,
    passwordCredentials: [],
    verifiedPublisher: sp.verifiedPublisher,
  };
}

export const applicationProperties = Object.keys(applicationView(sample())) as readonly string[];
export const servicePrincipalProperties = Object.keys(servicePrincipalView(sampleSp())) as readonly string[];

const ADV: FilterOp[] = ['ne', 'not', 'null'];
const guid = (column: string): PropertySpec => ({ column, type: 'guid', filter: { default: ['eq', 'in'], advanced: ['ne', 'not'] } });
const text = (column: string, extra: Partial<PropertySpec> = {}): PropertySpec => ({ column, type: 'string', filter: { default: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: [...ADV, 'endswith'] }, ...extra });
const strings = (column: string): PropertySpec => ({ column, type: 'stringCollection', filter: { default: ['any', 'eq', 'startswith'], advanced: ['count', 'not'] } });
const created: PropertySpec = { column: 'created_at', type: 'datetime', filter: { default: ['ge', 'le', 'gt', 'lt', 'eq', 'in'], advanced: ['ne', 'not', 'null'] }, orderBy: 'advanced' };

/** What Graph lets clients filter, sort and search on (its "Supports $filter (eq, ...)" notes). */
export const applicationCatalog: EntityCatalog = {
  resource: 'Application',
  properties: {
    id: guid('id'),
    appId: guid('app_id'),
    displayName: text('display_name', { orderBy: 'default', search: true }),
    description: text('description', { search: true }),
    signInAudience: { column: 'sign_in_audience', type: 'enum', filter: { default: ['eq', 'in'], advanced: ['ne', 'not'] } },
    publisherDomain: text('publisher_domain'),
    identifierUris: strings('identifier_uris'),
    tags: strings('tags'),
    createdDateTime: created,
  },
};

export const servicePrincipalCatalog: EntityCatalog = {
  resource: 'ServicePrincipal',
  properties: {
    id: guid('id'),
    appId: guid('app_id'),
    appOwnerOrganizationId: guid('app_owner_organization_id'),
    displayName: text('display_name', { orderBy: 'default', search: true }),
    appDisplayName: text('app_display_name'),
    publisherName: text('publisher_name', { search: true }),
    accountEnabled: { column: 'account_enabled', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not'] } },
    appRoleAssignmentRequired: { column: 'app_role_assignment_required', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not'] } },
    servicePrincipalNames: strings('service_principal_names'),
    tags: strings('tags'),
  },
};

function sample(): Application {
  const info = { termsOfServiceUrl: null, privacyStatementUrl: null, marketingUrl: null, supportUrl: null, logoUrl: null };
  return {
    id: '', appId: '', displayName: '', description: null, signInAudience: 'AzureADMyOrg', info, verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    publisherDomain: null, tags: [], web: { redirectUris: [], homePageUrl: null, logoutUrl: null }, spa: { redirectUris: [] }, publicClient: { redirectUris: [] },
    isFallbackPublicClient: false, identifierUris: [], requiredResourceAccess: [], api: { oauth2PermissionScopes: [] }, appRoles: [], passwordCredentials: [], keyCredentials: [], createdDateTime: '',
  };
}

function sampleSp(): ServicePrincipal {
  const app = sample();
  return {
    id: '', appId: '', displayName: '', appOwnerOrganizationId: null, appDisplayName: '', description: null, accountEnabled: true, appRoleAssignmentRequired: false, appRoles: [],
    oauth2PermissionScopes: [], servicePrincipalNames: [], servicePrincipalType: 'Application', signInAudience: 'AzureADMyOrg', publisherName: null,
    verifiedPublisher: app.verifiedPublisher, info: app.info, homepage: null, replyUrls: [], tags: [], createdDateTime: '',
  };
}
