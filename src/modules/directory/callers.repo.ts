import type { TenantDb } from '../../storage/scoped.ts';
import { bool } from '../../storage/values.ts';

/** What the Graph authorization hook needs of a calling user, read fresh on every request. */
export interface CallingUser {
  id: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  roleTemplateIds: Set<string>;
}

/** Reads for the authorization hook: one indexed query per request (the users primary key and directory_role_members_member). */
export const callersRepo = Object.freeze({
  /** The user with the template ids of its directory roles, in one query (undefined when no such user). */
  async userWithRoles(tdb: TenantDb, userId: string): Promise<CallingUser | undefined> {
    const rows = await tdb
      .selectFrom('users')
      .leftJoin('directory_role_members as m', (join) => join.onRef('m.tenant_id', '=', 'users.tenant_id').onRef('m.member_id', '=', 'users.id'))
      .leftJoin('directory_roles as r', (join) => join.onRef('r.tenant_id', '=', 'm.tenant_id').onRef('r.id', '=', 'm.role_id'))
      .select(['users.id as id', 'users.account_enabled as account_enabled', 'users.user_type as user_type', 'r.role_template_id as role_template_id'])
      .where('users.id', '=', userId)
      .execute();
    const first = rows[0];
    if (!first) return undefined;
    const roleTemplateIds = new Set<string>();
    for (const row of rows) if (row.role_template_id) roleTemplateIds.add(row.role_template_id);
    return { id: first.id, accountEnabled: bool(first.account_enabled), userType: first.user_type, roleTemplateIds };
  },
});
