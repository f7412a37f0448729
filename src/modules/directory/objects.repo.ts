import type { TenantDb } from '../../storage/scoped.ts';
import type { DirectoryObject } from './group.types.ts';
import { groupsRepo } from './groups.repo.ts';
import { rolesRepo } from './roles.repo.ts';
import { usersRepo } from './users.repo.ts';

export type ObjectType = 'user' | 'group' | 'directoryRole' | 'servicePrincipal';

export const objectsRepo = Object.freeze({
  async typeOf(tdb: TenantDb, id: string): Promise<ObjectType | undefined> {
    const row = await tdb.selectFrom('directory_objects').select('object_type').where('directory_objects.id', '=', id).executeTakeFirst();
    return row?.object_type;
  },

  async typesOf(tdb: TenantDb, ids: readonly string[]): Promise<{ id: string; type: ObjectType }[]> {
    if (ids.length === 0) return [];
    const rows = await tdb.selectFrom('directory_objects').select(['directory_objects.id as id', 'object_type as type']).where('directory_objects.id', 'in', [...ids]).execute();
    return rows;
  },

  /** Loads mixed directory objects by id, keeping the given order (relationship listings). */
  async load(tdb: TenantDb, refs: readonly { id: string; type: string }[]): Promise<DirectoryObject[]> {
    const idsOf = (type: string) => refs.filter((r) => r.type === type).map((r) => r.id);
    const [users, groups, roles] = await Promise.all([
      usersRepo.findByIds(tdb, idsOf('user')),
      groupsRepo.findByIds(tdb, idsOf('group')),
      rolesRepo.findByIds(tdb, idsOf('directoryRole')),
    ]);
    const byId = new Map<string, DirectoryObject>();
    for (const object of users) byId.set(object.id, { type: 'user', object });
    for (const object of groups) byId.set(object.id, { type: 'group', object });
    for (const object of roles) byId.set(object.id, { type: 'directoryRole', object });
    return refs.flatMap((ref) => byId.get(ref.id) ?? []);
  },
});
