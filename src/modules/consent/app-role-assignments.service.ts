import type { Clock } from '../../kernel/clock.ts';
import { readBody, type BodySpec } from '../../kernel/body.ts';
import { isGuid } from '../../kernel/ids.ts';
import { randomToken } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, authorize, GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, type Principal } from '../directory/index.ts';
import type { AppRoleAssignment } from './application.types.ts';
import type { ApplicationsService } from './applications.service.ts';
import { GRAPH_APP_ID } from './graph-permissions.ts';
import { GrantsErrors } from './grants.errors.ts';
import { grantsRepo } from './grants.repo.ts';
import { changeGrants, pageOf, servicePrincipalWithin, type GrantPage } from './grants.support.ts';

/** The role every app has for users and groups when it defines none of its own ("Default Access"). */
export const DEFAULT_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/** Graph's appRoleAssignment: the stored assignment with the names of both ends. */
export interface AppRoleAssignmentView extends AppRoleAssignment {
  deletedDateTime: null;
  principalDisplayName: string | null;
  resourceDisplayName: string | null;
}

/** Where an appRoleAssignments request is addressed: a principal's assignments, or a resource's assignedTo. */
export type AssignmentPath =
  | { via: 'principal'; principalType: 'User' | 'Group' | 'ServicePrincipal'; principalId: string }
  | { via: 'resource'; resourceId: string };

const ASSIGNMENT_SPEC: BodySpec = {
  id: { type: 'string', writable: false },
  principalId: { type: 'string', maxLength: 36 },
  resourceId: { type: 'string', maxLength: 36 },
  appRoleId: { type: 'string', maxLength: 36 },
  principalType: { type: 'string', writable: false },
  principalDisplayName: { type: 'string', writable: false },
  resourceDisplayName: { type: 'string', writable: false },
  createdDateTime: { type: 'string', writable: false },
  deletedDateTime: { type: 'string', writable: false },
};

/** Entra's audit activity names, when assigning and when removing. */
const AUDIT: Record<AppRoleAssignment['principalType'], [string, string]> = {
  User: ['Add app role assignment grant to user', 'Remove app role assignment from user'],
  Group: ['Add app role assignment to group', 'Remove app role assignment from group'],
  ServicePrincipal: ['Add app role assignment to service principal', 'Remove app role assignment from service principal'],
};

/** The directory object type of each principal type. */
const OBJECT_TYPE = { User: 'user', Group: 'group', ServicePrincipal: 'servicePrincipal' } as const;

export interface AppRoleAssignmentsDeps {
  database: Database;
  clock: Clock;
  applications: ApplicationsService;
}

/**
 * App role assignments through Graph (graph-reference §8.2): application permissions of an app
 * (the principal is the client's service principal) and users and groups assigned to an app, read
 * and changed from either end. Consent's tenant-wide grants make theirs through
 * grantsRepo.ensureAppRoleAssignment; token claims read them through PermissionGrantsService.
 */
export class AppRoleAssignmentsService {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #applications: ApplicationsService;

  constructor(deps: AppRoleAssignmentsDeps) {
    this.#database = deps.database;
    this.#clock = deps.clock;
    this.#applications = deps.applications;
  }

  /** The assignments a principal holds (`/users|groups|servicePrincipals/{id}/appRoleAssignments`) or a resource grants (`/servicePrincipals/{id}/appRoleAssignedTo`). */
  async list(scope: TenantScope, principal: Principal, path: AssignmentPath, after: string | null, top: number): Promise<GrantPage<AppRoleAssignmentView>> {
    authorize(principal, 'appRoleAssignments.read');
    const tdb = scoped(this.#database, scope);
    const owner = await resolvePath(tdb, path);
    const rows = await grantsRepo.listAppRoleAssignments(tdb, path.via === 'principal' ? { principalId: owner } : { resourceId: owner }, after, top + 1);
    const page = pageOf(rows, top);
    return { items: await views(tdb, page.items), last: page.last };
  }

  async get(scope: TenantScope, principal: Principal, path: AssignmentPath, assignmentId: string): Promise<AppRoleAssignmentView> {
    authorize(principal, 'appRoleAssignments.read');
    const tdb = scoped(this.#database, scope);
    const owner = await resolvePath(tdb, path);
    const assignment = await grantsRepo.findAppRoleAssignment(tdb, assignmentId);
    if (!assignment || !belongsTo(assignment, path, owner)) throw GrantsErrors.assignmentNotFound(assignmentId);
    return (await views(tdb, [assignment]))[0]!;
  }

  /**
   * Creates an app role assignment. The body names principalId, resourceId and appRoleId; the one
   * the path addresses must match it. appRoleId must be an enabled role of the resource that allows
   * the principal's kind (`User` for users and groups, `Application` for service principals), or the
   * default role for a user or group on a resource that defines no user roles. Microsoft Graph's
   * application permissions need a Global Administrator or Privileged Role Administrator (Entra's
   * rule: Application Administrators may grant any other app's roles). The same assignment twice is
   * Entra's 400.
   */
  async assign(scope: TenantScope, principal: Principal, path: AssignmentPath, body: unknown): Promise<AppRoleAssignmentView> {
    authorize(principal, 'appRoleAssignments.update');
    const input = readBody<{ principalId: string; resourceId: string; appRoleId: string }>(body, ASSIGNMENT_SPEC, 'microsoft.graph.appRoleAssignment');
    for (const name of ['principalId', 'resourceId', 'appRoleId'] as const) {
      if (input[name] === undefined) throw GrantsErrors.missingProperty(name, 'appRoleAssignment');
    }
    const principalId = input.principalId!.toLowerCase();
    const resourceId = input.resourceId!.toLowerCase();
    const appRoleId = input.appRoleId!.toLowerCase();
    const now = this.#clock.now().toISOString();
    return changeGrants(this.#database, this.#applications, scope, async (tdb) => {
      // the addressed object (a user may be addressed by userPrincipalName) must be the body's
      const owner = await resolvePath(tdb, path);
      if (path.via === 'principal' && principalId !== owner) throw GrantsErrors.pathMismatch('principalId', owner);
      if (path.via === 'resource' && resourceId !== owner) throw GrantsErrors.pathMismatch('resourceId', owner);
      const target = isGuid(principalId) ? (await grantsRepo.directoryObjects(tdb, [principalId])).get(principalId) : undefined;
      const expected = path.via === 'principal' ? OBJECT_TYPE[path.principalType] : undefined;
      if (!target || (expected && target.type !== expected)) throw GrantsErrors.invalidPrincipal(input.principalId!, expected ?? 'user, group or service principal');
      const principalType: AppRoleAssignment['principalType'] = target.type === 'user' ? 'User' : target.type === 'group' ? 'Group' : 'ServicePrincipal';
      const resource = isGuid(resourceId) ? await servicePrincipalWithin(tdb, resourceId) : undefined;
      if (!resource) throw GrantsErrors.invalidResource(input.resourceId!);
      const memberType = principalType === 'ServicePrincipal' ? 'Application' : 'User';
      const role = resource.appRoles.find((r) => r.id.toLowerCase() === appRoleId && r.isEnabled && r.allowedMemberTypes.includes(memberType));
      const defaultAllowed = appRoleId === DEFAULT_APP_ROLE_ID && memberType === 'User' && !resource.appRoles.some((r) => r.isEnabled && r.allowedMemberTypes.includes('User'));
      if (!role && !defaultAllowed) throw GrantsErrors.invalidAppRole(input.appRoleId!, principalType === 'ServicePrincipal' ? 'service principal' : principalType.toLowerCase());
      if (resource.appId === GRAPH_APP_ID && principalType === 'ServicePrincipal' && principal.kind === 'user') {
        const held = principal.roleTemplateIds;
        if (!held.has(GLOBAL_ADMINISTRATOR) && !held.has(PRIVILEGED_ROLE_ADMINISTRATOR)) throw GrantsErrors.graphApplicationPermission();
      }
      if ((await grantsRepo.appRoleAssignments(tdb, principalId, resource.id)).some((a) => a.appRoleId.toLowerCase() === appRoleId)) throw GrantsErrors.duplicateAssignment();
      // a plain insert: a concurrent create of the same assignment meets the unique index and gets the duplicate error
      const assignment: AppRoleAssignment = { id: randomToken(32), appRoleId, principalId, principalType, resourceId: resource.id, createdDateTime: now };
      await grantsRepo.insertAppRoleAssignment(tdb, assignment);
      await recordAudit(tdb, this.#clock, {
        ...actorOf(principal),
        action: AUDIT[principalType][0],
        targetType: 'appRoleAssignment',
        targetId: assignment.id,
        details: { principalId, principalType, resourceId: resource.id, appRoleId, appRole: role?.value ?? null },
      });
      // as it reads back: whole seconds (storage/values.ts iso)
      return { ...assignment, createdDateTime: now.replace(/\.\d{3}Z$/, 'Z'), deletedDateTime: null, principalDisplayName: target.displayName, resourceDisplayName: resource.displayName };
    }, true);
  }

  async unassign(scope: TenantScope, principal: Principal, path: AssignmentPath, assignmentId: string): Promise<void> {
    authorize(principal, 'appRoleAssignments.update');
    await changeGrants(this.#database, this.#applications, scope, async (tdb) => {
      const owner = await resolvePath(tdb, path);
      const assignment = await grantsRepo.findAppRoleAssignment(tdb, assignmentId);
      if (!assignment || !belongsTo(assignment, path, owner)) throw GrantsErrors.assignmentNotFound(assignmentId);
      await grantsRepo.deleteAppRoleAssignmentById(tdb, assignmentId);
      await recordAudit(tdb, this.#clock, { ...actorOf(principal), action: AUDIT[assignment.principalType][1], targetType: 'appRoleAssignment', targetId: assignmentId, details: { ...assignment } });
    });
  }
}

/** The path's object, which must exist here and be of the addressed kind: its id. */
async function resolvePath(tdb: TenantDb, path: AssignmentPath): Promise<string> {
  if (path.via === 'principal' && path.principalType === 'User') {
    const userId = await grantsRepo.userId(tdb, path.principalId);
    if (!userId) throw GrantsErrors.objectNotFound(path.principalId);
    return userId;
  }
  const id = (path.via === 'principal' ? path.principalId : path.resourceId).toLowerCase();
  const expected = path.via === 'resource' ? 'servicePrincipal' : OBJECT_TYPE[path.principalType];
  const found = isGuid(id) ? (await grantsRepo.directoryObjects(tdb, [id])).get(id) : undefined;
  if (found?.type !== expected) throw GrantsErrors.objectNotFound(id);
  return id;
}

async function views(tdb: TenantDb, assignments: AppRoleAssignment[]): Promise<AppRoleAssignmentView[]> {
  const names = await grantsRepo.directoryObjects(tdb, assignments.flatMap((a) => [a.principalId, a.resourceId]));
  return assignments.map((a) => ({ ...a, deletedDateTime: null, principalDisplayName: names.get(a.principalId)?.displayName ?? null, resourceDisplayName: names.get(a.resourceId)?.displayName ?? null }));
}

function belongsTo(assignment: AppRoleAssignment, path: AssignmentPath, owner: string): boolean {
  return path.via === 'principal' ? assignment.principalId === owner : assignment.resourceId === owner;
}
