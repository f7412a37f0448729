import type { TenantDb } from '../../storage/scoped.ts';
import { GLOBAL_ADMINISTRATOR } from './access/roles.catalog.ts';

/** The tenant's Global Administrators that count for the "last Global Administrator" rule. */
export const globalAdminsRepo = Object.freeze({
  /**
   * Ids of the enabled users that hold the Global Administrator role. Service principals that hold
   * it do not count (nobody signs in as one to repair a tenant), nor do disabled accounts.
   */
  async enabledUserIds(tdb: TenantDb): Promise<string[]> {
    const rows = await tdb
      .selectFrom('directory_role_members')
      .innerJoin('directory_roles as r', (join) => join.onRef('r.tenant_id', '=', 'directory_role_members.tenant_id').onRef('r.id', '=', 'directory_role_members.role_id'))
      .innerJoin('users as u', (join) => join.onRef('u.tenant_id', '=', 'directory_role_members.tenant_id').onRef('u.id', '=', 'directory_role_members.member_id'))
      .select('directory_role_members.member_id as id')
      .where('r.role_template_id', '=', GLOBAL_ADMINISTRATOR)
      .where('u.account_enabled', '=', true)
      .execute();
    return rows.map((row) => row.id);
  },
});
