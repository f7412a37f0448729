import type { TenantDb } from '../../storage/scoped.ts';
import { bumpDirectoryStamp } from '../consent/index.ts';
import type { DirectoryRoleRow } from '../../storage/schema.ts';
import type { DirectoryRole } from './role.types.ts';

export const rolesRepo = Object.freeze({
  async insert(tdb: TenantDb, role: DirectoryRole, now: string): Promise<void> {
    await tdb.insertInto('directory_objects', { id: role.id, object_type: 'directoryRole', created_at: now }).execute();
    await tdb
      .insertInto('directory_roles', { id: role.id, role_template_id: role.roleTemplateId, display_name: role.displayName, description: role.description })
      .execute();
  },

  async list(tdb: TenantDb): Promise<DirectoryRole[]> {
    const rows = await tdb.selectFrom('directory_roles').selectAll().orderBy('display_name').execute();
    return rows.map(toRole);
  },

  async findById(tdb: TenantDb, id: string): Promise<DirectoryRole | undefined> {
    const row = await tdb.selectFrom('directory_roles').selectAll().where('directory_roles.id', '=', id).executeTakeFirst();
    return row ? toRole(row) : undefined;
  },

  async findByTemplate(tdb: TenantDb, templateId: string): Promise<DirectoryRole | undefined> {
    const row = await tdb.selectFrom('directory_roles').selectAll().where('role_template_id', '=', templateId).executeTakeFirst();
    return row ? toRole(row) : undefined;
  },

  async findByIds(tdb: TenantDb, ids: readonly string[]): Promise<DirectoryRole[]> {
    if (ids.length === 0) return [];
    const rows = await tdb.selectFrom('directory_roles').selectAll().where('directory_roles.id', 'in', [...ids]).execute();
    return rows.map(toRole);
  },

  async memberIds(tdb: TenantDb, roleId: string): Promise<string[]> {
    const rows = await tdb.selectFrom('directory_role_members').select('member_id').where('role_id', '=', roleId).orderBy('member_id').execute();
    return rows.map((row) => row.member_id);
  },

  async isMember(tdb: TenantDb, roleId: string, memberId: string): Promise<boolean> {
    const row = await tdb.selectFrom('directory_role_members').select('member_id').where('role_id', '=', roleId).where('member_id', '=', memberId).executeTakeFirst();
    return row !== undefined;
  },

  /** Role assignments are part of the directory stamp (a service principal's roles are cached per node: RolesService). */
  async addMember(tdb: TenantDb, roleId: string, memberId: string, now: string): Promise<void> {
    await bumpDirectoryStamp(tdb);
    await tdb.insertInto('directory_role_members', { role_id: roleId, member_id: memberId, created_at: now }).execute();
  },

  async removeMember(tdb: TenantDb, roleId: string, memberId: string): Promise<boolean> {
    await bumpDirectoryStamp(tdb);
    const result = await tdb.deleteFrom('directory_role_members').where('role_id', '=', roleId).where('member_id', '=', memberId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** The roles an object holds directly (role assignments are not inherited through groups here). */
  async rolesOf(tdb: TenantDb, memberId: string): Promise<DirectoryRole[]> {
    const rows = await tdb
      .selectFrom('directory_role_members')
      .innerJoin('directory_roles as r', (join) => join.onRef('r.tenant_id', '=', 'directory_role_members.tenant_id').onRef('r.id', '=', 'directory_role_members.role_id'))
      .select(['r.id as id', 'r.role_template_id as role_template_id', 'r.display_name as display_name', 'r.description as description', 'r.tenant_id as tenant_id'])
      .where('directory_role_members.member_id', '=', memberId)
      .execute();
    return rows.map(toRole);
  },
});

function toRole(row: DirectoryRoleRow): DirectoryRole {
  return { id: row.id, roleTemplateId: row.role_template_id, displayName: row.display_name, description: row.description };
}
