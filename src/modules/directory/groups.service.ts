import { readBody, requireFields } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { AppError } from '../../kernel/errors.ts';
import { isGuid, newId } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize } from './access/authorize.ts';
import { actorOf, type Principal } from './access/principal.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { groupBodySpec } from './group.schemas.ts';
import type { DirectoryObject, Group } from './group.types.ts';
import { groupsRepo, type Relation } from './groups.repo.ts';
import { duplicateLink } from './link-conflicts.ts';
import { objectsRepo } from './objects.repo.ts';
import { idFromReference, referenceFromBody } from './references.ts';
import { listGroups, type ListQuery, type Page } from './listing.repo.ts';

const MAX_BINDINGS = 20;
type GroupInput = Partial<Group> & { 'members@odata.bind'?: unknown; 'owners@odata.bind'?: unknown };

export class GroupsService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async create(scope: TenantScope, principal: Principal, body: unknown): Promise<Group> {
    authorize(principal, 'groups.create');
    const input = readBody<GroupInput>(body, groupBodySpec, 'microsoft.graph.group', { allowAnnotations: ['members@odata.bind', 'owners@odata.bind'] });
    requireFields(input, ['displayName', 'mailNickname', 'mailEnabled', 'securityEnabled'], 'group');
    const members = bindings(input['members@odata.bind']);
    const owners = bindings(input['owners@odata.bind']);
    if (members.length > 0 || owners.length > 0) authorize(principal, 'groups.members.update');
    const now = this.clock.now().toISOString();
    const id = newId();
    try {
      return await inTransaction(this.database, scope, async (tdb) => {
        if (await groupsRepo.mailNicknameTaken(tdb, input.mailNickname!)) throw DirectoryErrors.duplicateMailNickname(input.mailNickname!);
        await groupsRepo.insert(
          tdb,
          {
            id,
            displayName: input.displayName!,
            description: input.description ?? null,
            mailNickname: input.mailNickname!,
            mailEnabled: input.mailEnabled!,
            securityEnabled: input.securityEnabled!,
            groupTypes: input.groupTypes ?? [],
            visibility: input.visibility ?? null,
            isAssignableToRole: input.isAssignableToRole ?? false,
            mail: null,
          },
          now,
        );
        for (const memberId of members) await this.link(tdb, 'group_members', id, memberId, now);
        for (const ownerId of owners) await this.link(tdb, 'group_owners', id, ownerId, now);
        await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Add group', targetType: 'group', targetId: id, details: { displayName: input.displayName } });
        return (await groupsRepo.findById(tdb, id))!;
      });
    } catch (error) {
      throw conflictOf(error, input.mailNickname) ?? error;
    }
  }

  async get(scope: TenantScope, principal: Principal, id: string): Promise<Group> {
    authorize(principal, 'groups.read');
    const group = isGuid(id) ? await groupsRepo.findById(scoped(this.database, scope), id.toLowerCase()) : undefined;
    if (!group) throw DirectoryErrors.objectNotFound(id);
    return group;
  }

  list(scope: TenantScope, principal: Principal, query: ListQuery): Promise<Page<Group>> {
    authorize(principal, 'groups.list');
    return listGroups(scoped(this.database, scope), query);
  }

  async update(scope: TenantScope, principal: Principal, id: string, body: unknown): Promise<void> {
    authorize(principal, 'groups.update');
    const input = readBody<GroupInput>(body, groupBodySpec, 'microsoft.graph.group', { allowAnnotations: ['members@odata.bind', 'owners@odata.bind'] });
    if (input.isAssignableToRole !== undefined) throw DirectoryErrors.readOnlyAfterCreate('isAssignableToRole');
    const members = bindings(input['members@odata.bind']);
    const owners = bindings(input['owners@odata.bind']);
    if (members.length > 0 || owners.length > 0) authorize(principal, 'groups.members.update');
    const now = this.clock.now().toISOString();
    try {
      await inTransaction(this.database, scope, async (tdb) => {
        const group = await this.mustFind(tdb, id);
        if (input.mailNickname && (await groupsRepo.mailNicknameTaken(tdb, input.mailNickname, group.id))) {
          throw DirectoryErrors.duplicateMailNickname(input.mailNickname);
        }
        const patch: Record<string, unknown> = { updated_at: now };
        if (input.displayName !== undefined) patch.display_name = input.displayName;
        if (input.description !== undefined) patch.description = input.description;
        if (input.mailNickname !== undefined) patch.mail_nickname = input.mailNickname;
        if (input.mailEnabled !== undefined) patch.mail_enabled = input.mailEnabled;
        if (input.securityEnabled !== undefined) patch.security_enabled = input.securityEnabled;
        if (input.groupTypes !== undefined) patch.group_types = JSON.stringify(input.groupTypes);
        if (input.visibility !== undefined) patch.visibility = input.visibility;
        await groupsRepo.update(tdb, group.id, patch);
        // Graph applies a PATCH with bindings all or nothing: one bad reference fails the request.
        for (const memberId of members) await this.link(tdb, 'group_members', group.id, memberId, now);
        for (const ownerId of owners) await this.link(tdb, 'group_owners', group.id, ownerId, now);
        await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Update group', targetType: 'group', targetId: group.id, details: { properties: Object.keys(input) } });
      });
    } catch (error) {
      throw conflictOf(error, input.mailNickname) ?? error;
    }
  }

  async delete(scope: TenantScope, principal: Principal, id: string): Promise<void> {
    authorize(principal, 'groups.delete');
    await inTransaction(this.database, scope, async (tdb) => {
      const group = await this.mustFind(tdb, id);
      await groupsRepo.delete(tdb, group.id);
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Delete group', targetType: 'group', targetId: group.id, details: { displayName: group.displayName } });
    });
  }

  async addReference(scope: TenantScope, principal: Principal, relation: 'members' | 'owners', groupId: string, body: unknown): Promise<void> {
    authorize(principal, relation === 'members' ? 'groups.members.update' : 'groups.owners.update');
    const memberId = referenceFromBody(body);
    const now = this.clock.now().toISOString();
    try {
      await inTransaction(this.database, scope, async (tdb) => {
        const group = await this.mustFind(tdb, groupId);
        await this.link(tdb, table(relation), group.id, memberId, now);
        await recordAudit(tdb, this.clock, {
          ...actorOf(principal),
          action: relation === 'members' ? 'Add member to group' : 'Add owner to group',
          targetType: 'group',
          targetId: group.id,
          details: { objectId: memberId },
        });
      });
    } catch (error) {
      // a concurrent add of the same link passed link()'s check too; PostgreSQL has aborted the transaction by now
      throw duplicateLink(error) ?? error;
    }
  }

  /**
   * Adds a member inside the caller's transaction, with addReference's rules and audit: for work
   * that must write the member together with what it makes (a bulk invitation row: the guest and
   * its legacy `InvitedToGroups` memberships, or neither). `alreadyMember` when it is one already.
   */
  async addMemberWithin(tdb: TenantDb, principal: Principal, groupId: string, memberId: string): Promise<void> {
    authorize(principal, 'groups.members.update');
    const group = await this.mustFind(tdb, groupId);
    await this.link(tdb, 'group_members', group.id, memberId, this.clock.now().toISOString());
    await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Add member to group', targetType: 'group', targetId: group.id, details: { objectId: memberId } });
  }

  async removeReference(scope: TenantScope, principal: Principal, relation: 'members' | 'owners', groupId: string, memberId: string): Promise<void> {
    authorize(principal, relation === 'members' ? 'groups.members.update' : 'groups.owners.update');
    await inTransaction(this.database, scope, async (tdb) => {
      const group = await this.mustFind(tdb, groupId);
      const removed = isGuid(memberId) && (await groupsRepo.removeLink(tdb, table(relation), group.id, memberId.toLowerCase()));
      if (!removed) throw DirectoryErrors.notMember(memberId);
      await recordAudit(tdb, this.clock, {
        ...actorOf(principal),
        action: relation === 'members' ? 'Remove member from group' : 'Remove owner from group',
        targetType: 'group',
        targetId: group.id,
        details: { objectId: memberId },
      });
    });
  }

  /** A page of direct members or owners, keyed by object id. */
  async references(scope: TenantScope, principal: Principal, relation: 'members' | 'owners', groupId: string, afterId: string | null, top: number): Promise<{ items: DirectoryObject[]; last: string | null }> {
    authorize(principal, 'groups.read');
    const tdb = scoped(this.database, scope);
    const group = await this.mustFind(tdb, groupId);
    const refs = await groupsRepo.linkPage(tdb, table(relation), group.id, afterId, top + 1);
    const page = refs.slice(0, top);
    return { items: await objectsRepo.load(tdb, page), last: refs.length > top ? (page[page.length - 1]?.id ?? null) : null };
  }

  async transitiveMembers(scope: TenantScope, principal: Principal, groupId: string): Promise<DirectoryObject[]> {
    authorize(principal, 'groups.read');
    const tdb = scoped(this.database, scope);
    const group = await this.mustFind(tdb, groupId);
    return objectsRepo.load(tdb, await groupsRepo.nestedMembers(tdb, group.id));
  }

  count(scope: TenantScope): Promise<number> {
    return groupsRepo.count(scoped(this.database, scope));
  }

  private async mustFind(tdb: TenantDb, id: string): Promise<Group> {
    const group = isGuid(id) ? await groupsRepo.findById(tdb, id.toLowerCase()) : undefined;
    if (!group) throw DirectoryErrors.objectNotFound(id);
    return group;
  }

  private async link(tdb: TenantDb, relation: Relation, groupId: string, memberId: string, now: string): Promise<void> {
    const type = await objectsRepo.typeOf(tdb, memberId);
    if (!type) throw DirectoryErrors.objectNotFound(memberId);
    if (relation === 'group_owners' && type !== 'user' && type !== 'servicePrincipal') throw DirectoryErrors.unsupportedMemberType(type);
    if (relation === 'group_members' && type === 'directoryRole') throw DirectoryErrors.unsupportedMemberType(type);
    if (await groupsRepo.hasLink(tdb, relation, groupId, memberId)) {
      throw relation === 'group_members' ? DirectoryErrors.alreadyMember() : DirectoryErrors.alreadyOwner();
    }
    if (relation === 'group_members' && type === 'group') {
      const nested = await groupsRepo.nestedMembers(tdb, memberId);
      if (memberId === groupId || nested.some((m) => m.id === groupId)) throw DirectoryErrors.memberCycle();
    }
    await groupsRepo.addLink(tdb, relation, groupId, memberId, now);
  }
}

function table(relation: 'members' | 'owners'): Relation {
  return relation === 'members' ? 'group_members' : 'group_owners';
}

/**
 * A write that lost a race on a unique key, as the error its pre-check would have given: a link
 * (member, owner) added at once by another request, or a mailNickname taken at once by another group.
 */
function conflictOf(error: unknown, mailNickname: string | undefined): AppError | null {
  const link = duplicateLink(error);
  if (link) return link;
  if (uniqueViolation(error) && mailNickname !== undefined) return DirectoryErrors.duplicateMailNickname(mailNickname);
  return null;
}

function bindings(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw DirectoryErrors.invalidReference(String(value));
  if (value.length > MAX_BINDINGS) throw DirectoryErrors.tooManyBindings();
  return value.map(idFromReference);
}
