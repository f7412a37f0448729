import type { TenantDb } from '../../storage/scoped.ts';
import { bumpDirectoryStamp } from './applications.repo.ts';

/** Graph's delegatedPermissionClassification: how risky one delegated scope of a resource is, for user consent. */
export interface PermissionClassification {
  id: string;
  permissionId: string;
  permissionName: string;
  classification: 'low' | 'medium' | 'high';
}

/** Delegated permission classifications of one tenant's resource service principals. */
export const classificationsRepo = Object.freeze({
  async list(tdb: TenantDb, servicePrincipalId: string): Promise<PermissionClassification[]> {
    const rows = await tdb
      .selectFrom('delegated_permission_classifications')
      .select(['id', 'permission_id', 'permission_name', 'classification'])
      .where('service_principal_id', '=', servicePrincipalId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: row.id, permissionId: row.permission_id, permissionName: row.permission_name, classification: row.classification }));
  },

  /** One per (resource, permission): a second insert for the same permission meets the unique index. */
  async insert(tdb: TenantDb, servicePrincipalId: string, classification: PermissionClassification, now: string): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb
      .insertInto('delegated_permission_classifications', {
        id: classification.id,
        service_principal_id: servicePrincipalId,
        permission_id: classification.permissionId,
        permission_name: classification.permissionName,
        classification: classification.classification,
        created_at: now,
      })
      .execute();
  },

  async delete(tdb: TenantDb, servicePrincipalId: string, id: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('delegated_permission_classifications').where('service_principal_id', '=', servicePrincipalId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** Classifications of scopes a resource no longer has go with them (a scope removed from an app). */
  async deleteMissing(tdb: TenantDb, servicePrincipalId: string, keepPermissionIds: readonly string[]): Promise<number> {
    let query = tdb.deleteFrom('delegated_permission_classifications').where('service_principal_id', '=', servicePrincipalId);
    if (keepPermissionIds.length > 0) query = query.where('permission_id', 'not in', [...keepPermissionIds]);
    const result = await query.executeTakeFirst();
    const removed = Number(result.numDeletedRows);
    if (removed > 0) await bumpDirectoryStamp(tdb);
    return removed;
  },
});
