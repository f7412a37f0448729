import { sql } from 'kysely';
import type { EntityCatalog } from '../../kernel/odata/index.ts';
import type { Executor } from '../../storage/database.ts';
import { keysetPage } from '../../storage/keyset-page.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { bool, iso, json, toJson } from '../../storage/values.ts';
import type { ListQuery, Page } from '../directory/index.ts';
import { EMPTY_INFO, UNVERIFIED_PUBLISHER, type Application, type ServicePrincipal } from './application.types.ts';

type AppRow = Record<string, unknown> & { id: string; app_id: string; display_name: string; sign_in_audience: string };
type SpRow = Record<string, unknown> & { id: string; app_id: string; display_name: string; app_owner_organization_id: string | null };

const readApp = (row: AppRow): Application => ({
  id: row.id,
  appId: row.app_id,
  displayName: row.display_name,
  description: (row.description as string | null | undefined) ?? null,
  signInAudience: row.sign_in_audience as Application['signInAudience'],
  info: { ...EMPTY_INFO, ...json(row.info, {}) },
  verifiedPublisher: { ...UNVERIFIED_PUBLISHER, ...json(row.verified_publisher, {}) },
  publisherDomain: (row.publisher_domain as string | null | undefined) ?? null,
  tags: json(row.tags, []),
  web: { redirectUris: json(row.web_redirect_uris, []), homePageUrl: (row.web_home_page_url as string | null | undefined) ?? null, logoutUrl: (row.web_logout_url as string | null | undefined) ?? null },
  spa: { redirectUris: json(row.spa_redirect_uris, []) },
  publicClient: { redirectUris: json(row.public_client_redirect_uris, []) },
  isFallbackPublicClient: bool(row.is_fallback_public_client),
  identifierUris: json(row.identifier_uris, []),
  requiredResourceAccess: json(row.required_resource_access, []),
  api: { oauth2PermissionScopes: json(row.oauth2_permission_scopes, []) },
  appRoles: json(row.app_roles, []),
  passwordCredentials: json(row.password_credentials, []),
  keyCredentials: json(row.key_credentials, []),
  createdDateTime: iso(row.created_at),
});

const readSp = (row: SpRow): ServicePrincipal => ({
  id: row.id,
  appId: row.app_id,
  displayName: row.display_name,
  appOwnerOrganizationId: row.app_owner_organization_id,
  appDisplayName: (row.app_display_name as string | null | undefined) ?? row.display_name,
  description: (row.description as string | null | undefined) ?? null,
  accountEnabled: bool(row.account_enabled),
  appRoleAssignmentRequired: bool(row.app_role_assignment_required),
  appRoles: json(row.app_roles, []),
  oauth2PermissionScopes: json(row.oauth2_permission_scopes, []),
  servicePrincipalNames: json(row.service_principal_names, []),
  servicePrincipalType: 'Application',
  signInAudience: (row.sign_in_audience as string | undefined) ?? 'AzureADMyOrg',
  publisherName: (row.publisher_name as string | null | undefined) ?? null,
  verifiedPublisher: { ...UNVERIFIED_PUBLISHER, ...json(row.verified_publisher, {}) },
  info: { ...EMPTY_INFO, ...json(row.info, {}) },
  homepage: (row.homepage as string | null | undefined) ?? null,
  replyUrls: json(row.reply_urls, []),
  tags: json(row.tags, []),
  createdDateTime: iso(row.created_at),
});

/** The columns of an application a change may write (everything but its ids and creation time). */
function appColumns(app: Application) {
  return {
    display_name: app.displayName,
    description: app.description,
    sign_in_audience: app.signInAudience,
    info: toJson(app.info),
    verified_publisher: toJson(app.verifiedPublisher),
    publisher_domain: app.publisherDomain,
    tags: toJson(app.tags),
    web_redirect_uris: toJson(app.web.redirectUris),
    web_home_page_url: app.web.homePageUrl,
    web_logout_url: app.web.logoutUrl,
    spa_redirect_uris: toJson(app.spa.redirectUris),
    public_client_redirect_uris: toJson(app.publicClient.redirectUris),
    is_fallback_public_client: app.isFallbackPublicClient,
    identifier_uris: toJson(app.identifierUris),
    required_resource_access: toJson(app.requiredResourceAccess),
    oauth2_permission_scopes: toJson(app.api.oauth2PermissionScopes),
    app_roles: toJson(app.appRoles),
    password_credentials: toJson(app.passwordCredentials),
    key_credentials: toJson(app.keyCredentials),
  };
}

function spColumns(sp: ServicePrincipal) {
  return {
    display_name: sp.displayName,
    app_display_name: sp.appDisplayName,
    description: sp.description,
    app_owner_organization_id: sp.appOwnerOrganizationId,
    account_enabled: sp.accountEnabled,
    app_role_assignment_required: sp.appRoleAssignmentRequired,
    app_roles: toJson(sp.appRoles),
    oauth2_permission_scopes: toJson(sp.oauth2PermissionScopes),
    service_principal_names: toJson(sp.servicePrincipalNames),
    sign_in_audience: sp.signInAudience,
    publisher_name: sp.publisherName,
    verified_publisher: toJson(sp.verifiedPublisher),
    info: toJson(sp.info),
    homepage: sp.homepage,
    reply_urls: toJson(sp.replyUrls),
    tags: toJson(sp.tags),
  };
}

/**
 * Bumps the tenant's directory change stamp: every write to applications, service principals,
 * permission grants and app role assignments calls it in its own transaction, so the per-node
 * caches of these (stamped-cache.ts) see the change within their bound.
 */
export async function bumpDirectoryStamp(tdb: TenantDb): Promise<void> {
  await tdb.updateOwnTenant().set((eb) => ({ directory_stamp: eb('directory_stamp', '+', 1) })).execute();
}

/** Application registrations and service principals of one tenant. */
export const applicationsRepo = Object.freeze({
  /** The tenant's directory change stamp (undefined when the tenant does not exist). */
  async directoryStamp(tdb: TenantDb): Promise<number | undefined> {
    const row = await tdb.selectOwnTenant().select('directory_stamp').executeTakeFirst();
    return row ? Number(row.directory_stamp) : undefined;
  },

  /** The tenant's display name and initial domain (a publisher's name and publisherDomain). */
  async tenantIdentity(tdb: TenantDb): Promise<{ displayName: string; initialDomain: string } | undefined> {
    const row = await tdb.selectOwnTenant().select(['display_name', 'initial_domain']).executeTakeFirst();
    return row ? { displayName: row.display_name, initialDomain: row.initial_domain } : undefined;
  },

  /** The tenant's verified domain names (https identifier URIs must be on one of them). */
  async verifiedDomains(tdb: TenantDb): Promise<string[]> {
    const rows = await tdb.selectFrom('tenant_domains').select('name').where('is_verified', '=', true).execute();
    return rows.map((row) => row.name.toLowerCase());
  },

  /** Identifier URIs (lower-cased) of the tenant's other applications: one URI names one app. */
  async identifierUrisOfOthers(tdb: TenantDb, exceptId: string | null): Promise<Set<string>> {
    let query = tdb.selectFrom('applications').select('identifier_uris');
    if (exceptId) query = query.where('id', '<>', exceptId);
    const rows = await query.execute();
    return new Set(rows.flatMap((row) => json<string[]>(row.identifier_uris, []).map((uri) => uri.toLowerCase())));
  },

  async insertApplication(tdb: TenantDb, app: Application): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb.insertInto('applications', { id: app.id, app_id: app.appId, created_at: app.createdDateTime, ...appColumns(app) }).execute();
  },

  /** Writes every changeable column of an application (the service merged and checked the change). */
  async saveApplication(tdb: TenantDb, app: Application): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb.updateTable('applications').set(appColumns(app)).where('id', '=', app.id).execute();
  },

  async deleteApplication(tdb: TenantDb, id: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('applications').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async findApplicationByAppId(tdb: TenantDb, appId: string): Promise<Application | undefined> {
    const row = await tdb.selectFrom('applications').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return row ? readApp(row as AppRow) : undefined;
  },

  async findApplicationById(tdb: TenantDb, id: string): Promise<Application | undefined> {
    const row = await tdb.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? readApp(row as AppRow) : undefined;
  },

  async listApplications(tdb: TenantDb, catalog: EntityCatalog, query: ListQuery): Promise<Page<Application>> {
    const { rows, nextCursor, count } = await keysetPage<Record<string, unknown>>(tdb, 'applications', catalog, query);
    return { items: rows.map((row) => readApp(row as AppRow)), nextCursor, count };
  },

  async insertServicePrincipal(tdb: TenantDb, sp: ServicePrincipal): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb.insertInto('directory_objects', { id: sp.id, object_type: 'servicePrincipal', created_at: sp.createdDateTime }).execute();
    await tdb.insertInto('service_principals', { id: sp.id, app_id: sp.appId, created_at: sp.createdDateTime, ...spColumns(sp) }).execute();
  },

  async saveServicePrincipal(tdb: TenantDb, sp: ServicePrincipal): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb.updateTable('service_principals').set(spColumns(sp)).where('id', '=', sp.id).execute();
  },

  /** Removes a service principal; its grants, role assignments and classifications go with it (cascades). */
  async deleteServicePrincipal(tdb: TenantDb, id: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('directory_objects').where('id', '=', id).where('object_type', '=', 'servicePrincipal').executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** Replaces an application's client secrets (their keyed hashes). */
  async setPasswordCredentials(tdb: TenantDb, appId: string, credentials: Application['passwordCredentials']): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.updateTable('applications').set({ password_credentials: toJson(credentials) }).where('app_id', '=', appId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async setServicePrincipalEnabled(tdb: TenantDb, appId: string, enabled: boolean): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.updateTable('service_principals').set({ account_enabled: enabled }).where('app_id', '=', appId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  async findServicePrincipalByAppId(tdb: TenantDb, appId: string): Promise<ServicePrincipal | undefined> {
    const row = await tdb.selectFrom('service_principals').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return row ? readSp(row as SpRow) : undefined;
  },

  async findServicePrincipalById(tdb: TenantDb, id: string): Promise<ServicePrincipal | undefined> {
    const row = await tdb.selectFrom('service_principals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? readSp(row as SpRow) : undefined;
  },

  async listServicePrincipals(tdb: TenantDb, catalog: EntityCatalog, query: ListQuery): Promise<Page<ServicePrincipal>> {
    const { rows, nextCursor, count } = await keysetPage<Record<string, unknown>>(tdb, 'service_principals', catalog, query);
    return { items: rows.map((row) => readSp(row as SpRow)), nextCursor, count };
  },
});

/**
 * The one deliberate cross-tenant read of consent (DESIGN §3): which tenant publishes a
 * multi-tenant (AzureADMultipleOrgs) registration under this app id. It returns only the tenant's
 * id; the registration itself is then read through that tenant's own scope, and only its public
 * parts leave the service (ApplicationsService.client). The unique partial index
 * applications_multi_tenant_app_id answers it, and no two tenants can publish one app id.
 */
export const publishedApps = Object.freeze({
  async homeTenantOf(ex: Executor, appId: string): Promise<string | undefined> {
    const row = await ex.selectFrom('applications').select('tenant_id').where('app_id', '=', appId).where('sign_in_audience', '=', 'AzureADMultipleOrgs').executeTakeFirst();
    return row?.tenant_id;
  },

  /**
   * The published registration itself with its home tenant's name, read in the caller's
   * transaction (the first consent in another tenant creates that tenant's service principal from
   * it). Only ApplicationsService.ensureServicePrincipal and client() use it, and only the public
   * parts reach anything outside this module.
   */
  async registration(tdb: TenantDb, appId: string): Promise<{ application: Application; homeTenantId: string; homeDisplayName: string } | undefined> {
    const result = await tdb.raw<AppRow & { tenant_id: string; home_display_name: string }>(sql`
      select a.*, t.display_name as home_display_name
      from applications a join tenants t on t.id = a.tenant_id
      where a.app_id = ${appId} and a.sign_in_audience = 'AzureADMultipleOrgs'`);
    const row = result.rows[0];
    return row ? { application: readApp(row), homeTenantId: row.tenant_id, homeDisplayName: row.home_display_name } : undefined;
  },
});
