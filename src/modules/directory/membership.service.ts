import type { Database } from '../../storage/database.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { authorize, authorizeGuestTarget } from './access/authorize.ts';
import type { Principal } from './access/principal.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { DirectoryObject } from './group.types.ts';
import { groupsRepo } from './groups.repo.ts';
import { objectsRepo } from './objects.repo.ts';
import { rolesRepo } from './roles.repo.ts';
import { usersRepo } from './users.repo.ts';
import { isGuid } from '../../kernel/ids.ts';
import { ownProperty } from '../../kernel/safe-input.ts';

/** What an object is a member of: groups (direct or nested) and directory roles. */
export class MembershipService {
  constructor(private readonly database: Database) {}

  async memberOf(scope: TenantScope, principal: Principal, objectId: string, transitive: boolean): Promise<DirectoryObject[]> {
    const self = principal.kind === 'user' && principal.userId === objectId;
    if (!self) authorize(principal, 'users.read');
    const tdb = scoped(this.database, scope);
    const id = await this.resolve(tdb, objectId);
    if (!self) authorizeGuestTarget(principal, 'users.read', id);
    return this.containers(tdb, id, transitive);
  }

  /** `/directoryObjects/{id}`: whatever object the id names. */
  async directoryObject(scope: TenantScope, principal: Principal, id: string): Promise<DirectoryObject> {
    authorize(principal, 'directoryObjects.read');
    const tdb = scoped(this.database, scope);
    const type = isGuid(id) ? await objectsRepo.typeOf(tdb, id.toLowerCase()) : undefined;
    const [object] = type ? await objectsRepo.load(tdb, [{ id: id.toLowerCase(), type }]) : [];
    if (!object) throw DirectoryErrors.objectNotFound(id);
    return object;
  }

  /** `POST /directoryObjects/getByIds`: up to 1000 ids, optionally limited to some types; unknown ids are skipped, as in Graph. */
  async getByIds(scope: TenantScope, principal: Principal, body: unknown): Promise<DirectoryObject[]> {
    authorize(principal, 'directoryObjects.read');
    const [ids, types] = [ownProperty(body, 'ids'), ownProperty(body, 'types')];
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000 || !ids.every((id) => typeof id === 'string')) {
      throw DirectoryErrors.invalidIdList();
    }
    const wanted = types === undefined ? null : Array.isArray(types) && types.every((t) => typeof t === 'string') ? new Set(types.map((t) => t.toLowerCase().replace(/^microsoft\.graph\./, ''))) : undefined;
    if (wanted === undefined) throw DirectoryErrors.invalidIdList();
    const tdb = scoped(this.database, scope);
    const found = await objectsRepo.typesOf(tdb, ids.filter(isGuid).map((id) => id.toLowerCase()));
    const order = new Map(ids.map((id, index) => [id.toLowerCase(), index]));
    const refs = found.filter((ref) => !wanted || wanted.has(ref.type.toLowerCase())).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return objectsRepo.load(tdb, refs);
  }

  /** Direct and transitive group ids of an object, for token claims and licensing. */
  async groupIdsOf(scope: TenantScope, objectId: string): Promise<string[]> {
    const rows = await groupsRepo.containingGroups(scoped(this.database, scope), objectId);
    return rows.map((row) => row.id);
  }

  private async containers(tdb: TenantDb, id: string, transitive: boolean): Promise<DirectoryObject[]> {
    const groups = await groupsRepo.containingGroups(tdb, id);
    const roles = await rolesRepo.rolesOf(tdb, id);
    const refs = [
      ...groups.filter((g) => transitive || g.depth === 1).map((g) => ({ id: g.id, type: 'group' })),
      ...roles.map((r) => ({ id: r.id, type: 'directoryRole' })),
    ];
    return objectsRepo.load(tdb, refs);
  }

  private async resolve(tdb: TenantDb, idOrUpn: string): Promise<string> {
    if (isGuid(idOrUpn) && (await objectsRepo.typeOf(tdb, idOrUpn.toLowerCase()))) return idOrUpn.toLowerCase();
    const user = isGuid(idOrUpn) ? undefined : await usersRepo.findByUpn(tdb, idOrUpn);
    if (!user) throw DirectoryErrors.objectNotFound(idOrUpn);
    return user.id;
  }
}
