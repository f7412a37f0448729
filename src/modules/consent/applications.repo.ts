import type { TenantDb } from '../../storage/scoped.ts';
import { bool, iso, json, toJson } from '../../storage/values.ts';
import type { Application, ServicePrincipal } from './application.types.ts';

type AppRow = Record<string, unknown> & { id: string; app_id: string; display_name: string; sign_in_audience: string };
type SpRow = Record<string, unknown> & { id: string; app_id: string; display_name: string; app_owner_organization_id: string | null };

const readApp = (row: AppRow): Application => ({
  id: row.id,
  appId: row.app_id,
  displayName: row.display_name,
  signInAudience: row.sign_in_audience as Application['signInAudience'],
  web: { redirectUris: json(row.web_redirect_uris, []) },
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
  accountEnabled: bool(row.account_enabled),
  appRoles: json(row.app_roles, []),
  oauth2PermissionScopes: json(row.oauth2_permission_scopes, []),
  servicePrincipalNames: json(row.service_principal_names, []),
  createdDateTime: iso(row.created_at),
});

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

  async insertApplication(tdb: TenantDb, app: Application): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('applications', {
        id: app.id,
        app_id: app.appId,
        display_name: app.displayName,
        sign_in_audience: app.signInAudience,
        web_redirect_uris: toJson(app.web.redirectUris),
        spa_redirect_uris: toJson(app.spa.redirectUris),
        public_client_redirect_uris: toJson(app.publicClient.redirectUris),
        is_fallback_public_client: app.isFallbackPublicClient,
        identifier_uris: toJson(app.identifierUris),
        required_resource_access: toJson(app.requiredResourceAccess),
        oauth2_permission_scopes: toJson(app.api.oauth2PermissionScopes),
        app_roles: toJson(app.appRoles),
        password_credentials: toJson(app.passwordCredentials),
        key_credentials: toJson(app.keyCredentials),
        created_at: app.createdDateTime,
      })
      .execute();
  },

  async findApplicationByAppId(tdb: TenantDb, appId: string): Promise<Application | undefined> {
    const row = await tdb.selectFrom('applications').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return row ? readApp(row as AppRow) : undefined;
  },

  async insertServicePrincipal(tdb: TenantDb, sp: ServicePrincipal): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb.insertInto('directory_objects', { id: sp.id, object_type: 'servicePrincipal', created_at: sp.createdDateTime }).execute();
    await tdb
      .insertInto('service_principals', {
        id: sp.id,
        app_id: sp.appId,
        display_name: sp.displayName,
        app_owner_organization_id: sp.appOwnerOrganizationId,
        account_enabled: sp.accountEnabled,
        app_roles: toJson(sp.appRoles),
        oauth2_permission_scopes: toJson(sp.oauth2PermissionScopes),
        service_principal_names: toJson(sp.servicePrincipalNames),
        created_at: sp.createdDateTime,
      })
      .execute();
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
});
