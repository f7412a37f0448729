import type { Clock } from '../../kernel/clock.ts';
import { isGuid } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize } from './access/authorize.ts';
import { actorOf, type Principal } from './access/principal.ts';
import { GLOBAL_ADMINISTRATOR } from './access/roles.catalog.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { DirectoryObject } from './group.types.ts';
import { keepEnabledGlobalAdministrator } from './last-global-admin.ts';
import { duplicateLink } from './link-conflicts.ts';
import { objectsRepo } from './objects.repo.ts';
import { referenceFromBody } from './references.ts';
import type { DirectoryRole } from './role.types.ts';
import { rolesRepo } from './roles.repo.ts';
import { callersRepo, type CallingUser } from './callers.repo.ts';
import { applicationsRepo, StampedTenantCache } from '../consent/index.ts';

/** Directory roles: every built-in role is activated when a tenant is created, so `/directoryRoles` lists them all. */
export class RolesService {
  /**
   * The directory roles of service principals (an app-only Graph call needs its caller's on every
   * request), kept per node under the tenant's directory stamp: every write of a role assignment
   * bumps it (rolesRepo.addMember/removeMember), so a change on another node is seen within
   * STAMP_RECHECK_MS (5 s), and at once on this node. Users' roles are not cached (callingUser).
   */
  readonly #servicePrincipalRoles: StampedTenantCache;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.#servicePrincipalRoles = new StampedTenantCache(clock, (scope) => applicationsRepo.directoryStamp(scoped(this.database, scope)));
  }

  list(scope: TenantScope, principal: Principal): Promise<DirectoryRole[]> {
    authorize(principal, 'directoryRoles.read');
    return rolesRepo.list(scoped(this.database, scope));
  }

  async get(scope: TenantScope, principal: Principal, id: string): Promise<DirectoryRole> {
    authorize(principal, 'directoryRoles.read');
    return this.mustFind(scoped(this.database, scope), id);
  }


  async getByTemplate(scope: TenantScope, principal: Principal, templateId: string): Promise<DirectoryRole> {
    authorize(principal, 'directoryRoles.read');
    const role = isGuid(templateId) ? await rolesRepo.findByTemplate(scoped(this.database, scope), templateId.toLowerCase()) : undefined;
    if (!role) throw DirectoryErrors.objectNotFound(templateId);
    return role;
  }

  async members(scope: TenantScope, principal: Principal, roleId: string): Promise<DirectoryObject[]> {
    authorize(principal, 'directoryRoles.read');
    const tdb = scoped(this.database, scope);
    const role = await this.mustFind(tdb, roleId);
    const ids = await rolesRepo.memberIds(tdb, role.id);
    return objectsRepo.load(tdb, ids.map((id) => ({ id, type: 'user' })));
  }

  /** `/directoryRoles(roleTemplateId='...')/members`: the same list, the role addressed by its template. */
  async membersByTemplate(scope: TenantScope, principal: Principal, templateId: string): Promise<DirectoryObject[]> {
    const role = await this.getByTemplate(scope, principal, templateId);
    return this.members(scope, principal, role.id);
  }

  async addMember(scope: TenantScope, principal: Principal, roleId: string, body: unknown): Promise<void> {
    authorize(principal, 'directoryRoles.members.update');
    const memberId = referenceFromBody(body);
    await this.#change(scope, async (tdb) => {
      const role = await this.mustFind(tdb, roleId);
      await this.assign(tdb, principal, role, memberId);
    });
  }

  /** Assigns a role by template inside the caller's transaction (tenant creation, CLI). */
  async assignByTemplate(tdb: TenantDb, principal: Principal, templateId: string, memberId: string): Promise<void> {
    const role = await rolesRepo.findByTemplate(tdb, templateId);
    if (!role) throw DirectoryErrors.objectNotFound(templateId);
    await this.assign(tdb, principal, role, memberId);
  }

  async removeMember(scope: TenantScope, principal: Principal, roleId: string, memberId: string): Promise<void> {
    authorize(principal, 'directoryRoles.members.update');
    await this.#change(scope, async (tdb) => {
      const role = await this.mustFind(tdb, roleId);
      if (!isGuid(memberId) || !(await rolesRepo.isMember(tdb, role.id, memberId.toLowerCase()))) throw DirectoryErrors.notMember(memberId);
      if (role.roleTemplateId === GLOBAL_ADMINISTRATOR) await keepEnabledGlobalAdministrator(tdb, memberId.toLowerCase(), 'removed from the Global Administrator role');
      await rolesRepo.removeMember(tdb, role.id, memberId.toLowerCase());
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Remove member from role', targetType: 'directoryRole', targetId: role.id, details: { objectId: memberId, role: role.displayName } });
    });
  }

  /**
   * Template ids of the roles a user or service principal holds; the authorization hook reads this
   * on every call (delegated: what the user may do; app-only: which privileged users the app may reach).
   */
  async templateIdsOf(scope: TenantScope, memberId: string): Promise<Set<string>> {
    const roles = await rolesRepo.rolesOf(scoped(this.database, scope), memberId);
    return new Set(roles.map((role) => role.roleTemplateId));
  }

  /**
   * templateIdsOf for the service principal of an app-only token, from this node's stamped cache
   * (see #servicePrincipalRoles for the bound). The set is shared: callers must not change it.
   */
  servicePrincipalRoleTemplateIds(scope: TenantScope, servicePrincipalId: string): Promise<ReadonlySet<string>> {
    const id = servicePrincipalId.toLowerCase();
    return this.#servicePrincipalRoles.get(scope, id, () => this.templateIdsOf(scope, id));
  }

  /** A calling user (enabled or not, its type) with its roles' template ids, in one indexed query, read fresh on every call. */
  callingUser(scope: TenantScope, userId: string): Promise<CallingUser | undefined> {
    return callersRepo.userWithRoles(scoped(this.database, scope), userId.toLowerCase());
  }

  /** Runs a role-assignment change in a transaction, then drops this node's cached service-principal roles of the tenant. */
  async #change(scope: TenantScope, work: (tdb: TenantDb) => Promise<void>): Promise<void> {
    try {
      await inTransaction(this.database, scope, work);
    } finally {
      this.#servicePrincipalRoles.invalidate(scope.tenantId);
    }
  }

  private async assign(tdb: TenantDb, principal: Principal, role: DirectoryRole, memberId: string): Promise<void> {
    const type = await objectsRepo.typeOf(tdb, memberId);
    if (!type) throw DirectoryErrors.objectNotFound(memberId);
    if (type !== 'user' && type !== 'servicePrincipal') throw DirectoryErrors.unsupportedMemberType(type);
    if (await rolesRepo.isMember(tdb, role.id, memberId)) throw DirectoryErrors.alreadyMember();
    try {
      await rolesRepo.addMember(tdb, role.id, memberId, this.clock.now().toISOString());
    } catch (error) {
      // A concurrent add passed the check above too. On PostgreSQL the violation has aborted the
      // transaction, so nothing more may run in it: the mapped error ends it (rolled back) at once.
      throw duplicateLink(error) ?? error;
    }
    await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Add member to role', targetType: 'directoryRole', targetId: role.id, details: { objectId: memberId, role: role.displayName } });
  }

  private async mustFind(tdb: TenantDb, id: string): Promise<DirectoryRole> {
    const role = isGuid(id) ? await rolesRepo.findById(tdb, id.toLowerCase()) : undefined;
    if (!role) throw DirectoryErrors.objectNotFound(id);
    return role;
  }
}
