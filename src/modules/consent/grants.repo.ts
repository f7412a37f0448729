import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';
import type { AppRoleAssignment, OAuth2PermissionGrant } from './application.types.ts';
import { bumpDirectoryStamp } from './applications.repo.ts';

/** Delegated permission grants and app role assignments of one tenant. */
export const grantsRepo = Object.freeze({
  async insertPermissionGrant(tdb: TenantDb, grant: OAuth2PermissionGrant, now: string): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('oauth2_permission_grants', {
        id: grant.id,
        client_id: grant.clientId,
        consent_type: grant.consentType,
        principal_id: grant.principalId,
        resource_id: grant.resourceId,
        scope: grant.scope,
        created_at: now,
      })
      .execute();
  },

  async permissionGrants(tdb: TenantDb, clientSpId: string, resourceSpId: string): Promise<OAuth2PermissionGrant[]> {
    const rows = await tdb.selectFrom('oauth2_permission_grants').selectAll().where('client_id', '=', clientSpId).where('resource_id', '=', resourceSpId).execute();
    return rows.map((row) => ({ id: row.id, clientId: row.client_id, consentType: row.consent_type, principalId: row.principal_id, resourceId: row.resource_id, scope: row.scope }));
  },

  async insertAppRoleAssignment(tdb: TenantDb, assignment: AppRoleAssignment): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('app_role_assignments', {
        id: assignment.id,
        app_role_id: assignment.appRoleId,
        principal_id: assignment.principalId,
        principal_type: assignment.principalType,
        resource_id: assignment.resourceId,
        created_at: assignment.createdDateTime,
      })
      .execute();
  },

  async deleteAppRoleAssignment(tdb: TenantDb, principalId: string, resourceSpId: string, appRoleId: string): Promise<number> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('app_role_assignments').where('principal_id', '=', principalId).where('resource_id', '=', resourceSpId).where('app_role_id', '=', appRoleId).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  async appRoleAssignments(tdb: TenantDb, principalId: string, resourceSpId: string): Promise<AppRoleAssignment[]> {
    const rows = await tdb.selectFrom('app_role_assignments').selectAll().where('principal_id', '=', principalId).where('resource_id', '=', resourceSpId).execute();
    return rows.map((row) => ({
      id: row.id,
      appRoleId: row.app_role_id,
      principalId: row.principal_id,
      principalType: row.principal_type,
      resourceId: row.resource_id,
      createdDateTime: iso(row.created_at),
    }));
  },
});
