import { sql } from 'kysely';
import type { TenantDb } from '../../storage/scoped.ts';
import type { GroupRow } from '../../storage/schema.ts';
import { bool, iso, json, toJson } from '../../storage/values.ts';
import type { Group } from './group.types.ts';

export type Relation = 'group_members' | 'group_owners';

export const groupsRepo = Object.freeze({
  async insert(tdb: TenantDb, group: Omit<Group, 'createdDateTime'>, now: string): Promise<void> {
    await tdb.insertInto('directory_objects', { id: group.id, object_type: 'group', created_at: now }).execute();
    await tdb
      .insertInto('groups', {
        id: group.id,
        display_name: group.displayName,
        description: group.description,
        mail_nickname: group.mailNickname,
        mail_enabled: group.mailEnabled,
        security_enabled: group.securityEnabled,
        group_types: toJson(group.groupTypes),
        visibility: group.visibility,
        is_assignable_to_role: group.isAssignableToRole,
        mail: group.mail,
        created_at: now,
        updated_at: now,
      })
      .execute();
  },

  async findById(tdb: TenantDb, id: string): Promise<Group | undefined> {
    const row = await tdb.selectFrom('groups').selectAll().where('groups.id', '=', id).executeTakeFirst();
    return row ? toGroup(row) : undefined;
  },

  async findByIds(tdb: TenantDb, ids: readonly string[]): Promise<Group[]> {
    if (ids.length === 0) return [];
    const rows = await tdb.selectFrom('groups').selectAll().where('groups.id', 'in', [...ids]).execute();
    return rows.map(toGroup);
  },

  async mailNicknameTaken(tdb: TenantDb, nickname: string, exceptId?: string): Promise<boolean> {
    let query = tdb.selectFrom('groups').select('groups.id').where(sql<boolean>`lower(mail_nickname) = ${nickname.toLowerCase()}`);
    if (exceptId) query = query.where('groups.id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  },

  async update(tdb: TenantDb, id: string, patch: Record<string, unknown>): Promise<void> {
    await tdb.updateTable('groups').set(patch as never).where('groups.id', '=', id).execute();
  },

  async delete(tdb: TenantDb, id: string): Promise<boolean> {
    const result = await tdb.deleteFrom('directory_objects').where('directory_objects.id', '=', id).where('object_type', '=', 'group').executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async count(tdb: TenantDb): Promise<number> {
    const row = await tdb.selectFrom('groups').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async hasLink(tdb: TenantDb, relation: Relation, groupId: string, memberId: string): Promise<boolean> {
    const row = await tdb.selectFrom(relation).select('member_id').where('group_id', '=', groupId).where('member_id', '=', memberId).executeTakeFirst();
    return row !== undefined;
  },

  async addLink(tdb: TenantDb, relation: Relation, groupId: string, memberId: string, now: string): Promise<void> {
    await tdb.insertInto(relation, { group_id: groupId, member_id: memberId, created_at: now }).execute();
  },

  async removeLink(tdb: TenantDb, relation: Relation, groupId: string, memberId: string): Promise<boolean> {
    const result = await tdb.deleteFrom(relation).where('group_id', '=', groupId).where('member_id', '=', memberId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** One page of a group's direct members or owners, in member-id order (the keyset). */
  async linkPage(tdb: TenantDb, relation: Relation, groupId: string, afterId: string | null, limit: number): Promise<{ id: string; type: string }[]> {
    let query = tdb
      .selectFrom(relation)
      .innerJoin('directory_objects as o', (join) => join.onRef('o.tenant_id', '=', `${relation}.tenant_id` as never).onRef('o.id', '=', `${relation}.member_id` as never))
      .select(['o.id as id', 'o.object_type as type'])
      .where(`${relation}.group_id` as never, '=', groupId as never)
      .orderBy('o.id')
      .limit(limit);
    if (afterId) query = query.where('o.id', '>', afterId);
    return query.execute();
  },

  /**
   * Every group that contains `objectId`, directly or through nested groups, with the depth at
   * which it first appears (1 = direct). One recursive query on both dialects.
   */
  async containingGroups(tdb: TenantDb, objectId: string): Promise<{ id: string; depth: number }[]> {
    const rows = await tdb.raw(sql<{ id: string; depth: number }>`
      with recursive up(id, depth) as (
        select group_id, 1 from group_members where tenant_id = ${tdb.tenantId} and member_id = ${objectId}
        union
        select gm.group_id, up.depth + 1 from group_members gm join up on gm.member_id = up.id
        where gm.tenant_id = ${tdb.tenantId} and up.depth < 64
      )
      select id, min(depth) as depth from up group by id order by id`
    );
    return rows.rows.map((row) => ({ id: row.id, depth: Number(row.depth) }));
  },

  /** Every object inside a group, directly or through nested groups (transitiveMembers). */
  async nestedMembers(tdb: TenantDb, groupId: string): Promise<{ id: string; type: string }[]> {
    const rows = await tdb.raw(sql<{ id: string; type: string }>`
      with recursive down(id, depth) as (
        select member_id, 1 from group_members where tenant_id = ${tdb.tenantId} and group_id = ${groupId}
        union
        select gm.member_id, down.depth + 1 from group_members gm join down on gm.group_id = down.id
        where gm.tenant_id = ${tdb.tenantId} and down.depth < 64
      )
      select distinct o.id as id, o.object_type as type from down
      join directory_objects o on o.tenant_id = ${tdb.tenantId} and o.id = down.id
      order by o.id`
    );
    return rows.rows;
  },
});

export function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    mailNickname: row.mail_nickname,
    mailEnabled: bool(row.mail_enabled),
    securityEnabled: bool(row.security_enabled),
    groupTypes: json<string[]>(row.group_types, []),
    visibility: row.visibility,
    isAssignableToRole: bool(row.is_assignable_to_role),
    mail: row.mail,
    createdDateTime: iso(row.created_at),
  };
}
