import type { Clock } from '../../kernel/clock.ts';
import { readBody, type BodySpec } from '../../kernel/body.ts';
import { isGuid } from '../../kernel/ids.ts';
import { randomToken } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, authorize, type Principal } from '../directory/index.ts';
import type { OAuth2PermissionGrant, ServicePrincipal } from './application.types.ts';
import type { ApplicationsService } from './applications.service.ts';
import { consentedApps, type ConsentedApp } from './consented-apps.ts';
import { GrantsErrors } from './grants.errors.ts';
import { grantsRepo, scopeValues, type GrantFilter } from './grants.repo.ts';
import { changeGrants, pageOf, servicePrincipalWithin, type GrantPage } from './grants.support.ts';

const GRANT_SPEC: BodySpec = {
  id: { type: 'string', writable: false },
  clientId: { type: 'string', maxLength: 36 },
  consentType: { type: 'string', maxLength: 20 },
  principalId: { type: 'string', nullable: true, maxLength: 36 },
  resourceId: { type: 'string', maxLength: 36 },
  scope: { type: 'string', maxLength: 8000 },
};

/** PATCH changes the scope only. */
const GRANT_PATCH_SPEC: BodySpec = {
  id: { type: 'string', writable: false },
  clientId: { type: 'string', writable: false },
  consentType: { type: 'string', writable: false },
  principalId: { type: 'string', writable: false },
  resourceId: { type: 'string', writable: false },
  scope: { type: 'string', maxLength: 8000 },
};

export interface PermissionGrantsDeps {
  database: Database;
  clock: Clock;
  applications: ApplicationsService;
}

/**
 * Delegated permission grants (oauth2PermissionGrants) through Graph, the app roles user tokens
 * carry and whether a user is assigned to an app (sign-in), and My Account's consented apps.
 * Consent itself (who may grant what during sign-in) is ConsentService's, which records grants
 * through grantsRepo.mergePermissionGrant; Graph's app role assignments are AppRoleAssignmentsService's.
 */
export class PermissionGrantsService {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #applications: ApplicationsService;

  constructor(deps: PermissionGrantsDeps) {
    this.#database = deps.database;
    this.#clock = deps.clock;
    this.#applications = deps.applications;
  }

  #change<T>(scope: TenantScope, work: (tdb: TenantDb) => Promise<T>, uniqueRace = false): Promise<T> {
    return changeGrants(this.#database, this.#applications, scope, work, uniqueRace);
  }

  // ---- token claims and sign-in ----------------------------------------------------------------

  /**
   * The `roles` of a user token for a resource: the values of the resource's enabled, valued app
   * roles assigned to the user directly or to a group the user is a direct member of (Entra does not
   * follow nested groups).
   */
  async userAppRoles(scope: TenantScope, userId: string, resourceSpId: string): Promise<string[]> {
    const found = isGuid(resourceSpId) ? (await grantsRepo.directoryObjects(scoped(this.#database, scope), [resourceSpId.toLowerCase()])).get(resourceSpId.toLowerCase()) : undefined;
    const resource = found?.type === 'servicePrincipal' && found.appId ? await this.#applications.cachedServicePrincipal(scope, found.appId) : undefined;
    return resource ? this.userAppRolesOn(scope, userId, resource) : [];
  }

  /**
   * The same for a resource already in hand (the token path has it from the stamp-invalidated cache
   * by app id). When the resource defines no role a user can hold (Microsoft Graph, most APIs)
   * nothing else is read. Otherwise the assignments are read fresh: group membership changes do not
   * move the directory stamp, so a cached answer could outlive a removal from a group.
   */
  async userAppRolesOn(scope: TenantScope, userId: string, resource: ServicePrincipal): Promise<string[]> {
    const holdable = resource.appRoles.filter((role) => role.isEnabled && role.value && role.allowedMemberTypes.includes('User'));
    if (holdable.length === 0) return [];
    const assignments = await grantsRepo.userAssignments(scoped(this.#database, scope), userId, resource.id);
    const ids = new Set(assignments.map((a) => a.appRoleId));
    return holdable.filter((role) => ids.has(role.id)).map((role) => role.value);
  }

  /** Whether the user holds any assignment (direct, or through a group they are a direct member of) on the app's service principal. */
  async isAssigned(scope: TenantScope, userId: string, clientSpId: string): Promise<boolean> {
    const assignments = await grantsRepo.userAssignments(scoped(this.#database, scope), userId, clientSpId);
    return assignments.length > 0;
  }

  // ---- oauth2PermissionGrants -------------------------------------------------------------------

  async listGrants(scope: TenantScope, principal: Principal, filter: GrantFilter, after: string | null, top: number): Promise<GrantPage<OAuth2PermissionGrant>> {
    authorize(principal, 'permissionGrants.read');
    return pageOf(await grantsRepo.listPermissionGrants(scoped(this.#database, scope), filter, after, top + 1), top);
  }

  async getGrant(scope: TenantScope, principal: Principal, id: string): Promise<OAuth2PermissionGrant> {
    authorize(principal, 'permissionGrants.read');
    const grant = await grantsRepo.findPermissionGrant(scoped(this.#database, scope), id);
    if (!grant) throw GrantsErrors.grantNotFound(id);
    return grant;
  }

  /** `GET /servicePrincipals/{id}/oauth2PermissionGrants`: the grants the service principal holds as client. */
  async servicePrincipalGrants(scope: TenantScope, principal: Principal, spId: string, after: string | null, top: number): Promise<GrantPage<OAuth2PermissionGrant>> {
    authorize(principal, 'permissionGrants.read');
    const tdb = scoped(this.#database, scope);
    const id = spId.toLowerCase();
    if ((await grantsRepo.directoryObjects(tdb, [id])).get(id)?.type !== 'servicePrincipal') throw GrantsErrors.objectNotFound(spId);
    return pageOf(await grantsRepo.listPermissionGrants(tdb, { clientId: id }, after, top + 1), top);
  }

  /** `GET /users/{id}/oauth2PermissionGrants` (and `/me/...`): the user's own (Principal) grants. */
  async userGrants(scope: TenantScope, principal: Principal, idOrUpn: string | 'me', after: string | null, top: number): Promise<GrantPage<OAuth2PermissionGrant>> {
    const tdb = scoped(this.#database, scope);
    let userId: string;
    if (idOrUpn === 'me') {
      if (principal.kind !== 'user') throw GrantsErrors.meRequiresUser();
      // one's own grants: the same permissions as anyone's, but no directory role
      authorize(principal, 'permissionGrants.readOwn');
      userId = principal.userId;
    } else {
      authorize(principal, 'permissionGrants.read');
      const found = await grantsRepo.userId(tdb, idOrUpn);
      if (!found) throw GrantsErrors.objectNotFound(idOrUpn);
      userId = found;
    }
    return pageOf(await grantsRepo.listPermissionGrants(tdb, { principalId: userId, consentType: 'Principal' }, after, top + 1), top);
  }

  /**
   * `POST /oauth2PermissionGrants`: client and resource must be service principals here, every
   * scope value a delegated permission the resource publishes, the principal a user here for a
   * Principal grant and absent for AllPrincipals. A second grant for the same combination is
   * refused with 409 (Graph's behaviour); consent (ConsentService) merges instead.
   */
  async createGrant(scope: TenantScope, principal: Principal, body: unknown): Promise<OAuth2PermissionGrant> {
    authorize(principal, 'permissionGrants.update');
    const input = readBody<{ clientId: string; consentType: string; principalId: string | null; resourceId: string; scope: string }>(body, GRANT_SPEC, 'microsoft.graph.oAuth2PermissionGrant');
    for (const name of ['clientId', 'consentType', 'resourceId', 'scope'] as const) {
      if (input[name] === undefined) throw GrantsErrors.missingProperty(name, 'oAuth2PermissionGrant');
    }
    const consentType = input.consentType!;
    if (consentType !== 'AllPrincipals' && consentType !== 'Principal') throw GrantsErrors.invalidConsentType(consentType);
    const principalId = input.principalId?.toLowerCase() ?? null;
    if (consentType === 'Principal' && !principalId) throw GrantsErrors.principalRequired();
    if (consentType === 'AllPrincipals' && principalId) throw GrantsErrors.principalNotAllowed();
    const scopes = scopeValues(input.scope!);
    if (scopes.length === 0) throw GrantsErrors.emptyScope();
    const now = this.#clock.now().toISOString();
    return this.#change(scope, async (tdb) => {
      const client = await servicePrincipalWithin(tdb, input.clientId!);
      if (!client) throw GrantsErrors.notServicePrincipal('clientId', input.clientId!);
      const resource = await requireResource(tdb, input.resourceId!);
      checkScopes(resource, scopes);
      if (principalId && (await grantsRepo.directoryObjects(tdb, [principalId])).get(principalId)?.type !== 'user') throw GrantsErrors.principalNotUser(input.principalId!);
      const existing = await grantsRepo.listPermissionGrants(tdb, { clientId: client.id, resourceId: resource.id, consentType, principalId }, null, 1);
      if (existing.length > 0) throw GrantsErrors.duplicateGrant();
      // a plain insert: a concurrent create of the same grant meets the unique index and gets the 409
      const grant: OAuth2PermissionGrant = { id: randomToken(32), clientId: client.id, consentType, principalId, resourceId: resource.id, scope: scopes.join(' ') };
      await grantsRepo.insertPermissionGrant(tdb, grant, now);
      await recordAudit(tdb, this.#clock, { ...actorOf(principal), action: 'Add delegated permission grant', targetType: 'oAuth2PermissionGrant', targetId: grant.id, details: { ...grant } });
      return grant;
    }, true);
  }

  /** `PATCH /oauth2PermissionGrants/{id}`: replaces the scope (every value a delegated permission of the resource). */
  async updateGrant(scope: TenantScope, principal: Principal, id: string, body: unknown): Promise<void> {
    authorize(principal, 'permissionGrants.update');
    const input = readBody<{ scope: string }>(body, GRANT_PATCH_SPEC, 'microsoft.graph.oAuth2PermissionGrant');
    if (input.scope === undefined) return;
    const scopes = scopeValues(input.scope);
    await this.#change(scope, async (tdb) => {
      const grant = await grantsRepo.findPermissionGrant(tdb, id);
      if (!grant) throw GrantsErrors.grantNotFound(id);
      checkScopes(await requireResource(tdb, grant.resourceId), scopes);
      await grantsRepo.setPermissionGrantScope(tdb, id, scopes.join(' '));
      await recordAudit(tdb, this.#clock, { ...actorOf(principal), action: 'Update delegated permission grant', targetType: 'oAuth2PermissionGrant', targetId: id, details: { before: grant.scope, after: scopes.join(' ') } });
    });
  }

  async deleteGrant(scope: TenantScope, principal: Principal, id: string): Promise<void> {
    authorize(principal, 'permissionGrants.update');
    await this.#change(scope, async (tdb) => {
      const grant = await grantsRepo.findPermissionGrant(tdb, id);
      if (!grant || !(await grantsRepo.deletePermissionGrant(tdb, id))) throw GrantsErrors.grantNotFound(id);
      await recordAudit(tdb, this.#clock, { ...actorOf(principal), action: 'Remove delegated permission grant', targetType: 'oAuth2PermissionGrant', targetId: id, details: { ...grant } });
    });
  }

  // ---- My Account → Apps ------------------------------------------------------------------------

  /**
   * The apps the user consented to (their Principal grants) and those consented for everyone in
   * the organization (AllPrincipals grants, read-only for the user).
   */
  async myApps(scope: TenantScope, userId: string): Promise<{ mine: ConsentedApp[]; organization: ConsentedApp[] }> {
    const tdb = scoped(this.#database, scope);
    const mine = await grantsRepo.principalGrants(tdb, userId);
    const organization = await grantsRepo.tenantWideGrants(tdb);
    return { mine: await consentedApps(tdb, scope, this.#applications, mine), organization: await consentedApps(tdb, scope, this.#applications, organization) };
  }

  /** "Revoke permissions": removes the user's own grants to the client (every resource), so its next sign-in asks again. */
  async revokeMyConsent(scope: TenantScope, userId: string, clientSpId: string): Promise<boolean> {
    return this.#change(scope, async (tdb) => {
      const grants = (await grantsRepo.principalGrants(tdb, userId)).filter((g) => g.clientId === clientSpId);
      for (const grant of grants) await grantsRepo.deletePermissionGrant(tdb, grant.id);
      if (grants.length > 0) {
        await recordAudit(tdb, this.#clock, {
          actorId: userId,
          actorType: 'user',
          action: 'Remove delegated permission grant',
          targetType: 'servicePrincipal',
          targetId: clientSpId,
          details: { grants: grants.map((g) => ({ id: g.id, resourceId: g.resourceId, scope: g.scope })), by: 'myaccount' },
        });
      }
      return grants.length > 0;
    });
  }
}

async function requireResource(tdb: TenantDb, id: string): Promise<ServicePrincipal> {
  const resource = isGuid(id) ? await servicePrincipalWithin(tdb, id) : undefined;
  if (!resource) throw GrantsErrors.notServicePrincipal('resourceId', id);
  return resource;
}

function checkScopes(resource: ServicePrincipal, scopes: readonly string[]): void {
  const published = new Set(resource.oauth2PermissionScopes.filter((s) => s.isEnabled).map((s) => s.value));
  for (const value of scopes) if (!published.has(value)) throw GrantsErrors.unknownScope(value, resource.displayName);
}
