import type { Clock } from '../../kernel/clock.ts';
import { readBody } from '../../kernel/body.ts';
import { isGuid, newId } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, authorize, type ListQuery, type Page, type Principal } from '../directory/index.ts';
import type { ServicePrincipal } from './application.types.ts';
import { classificationBodySpec, isAcceptableHomepage, servicePrincipalBodySpec } from './application.schemas.ts';
import { servicePrincipalCatalog, servicePrincipalView, type GraphObject } from './application.views.ts';
import { applicationsRepo, publishedApps } from './applications.repo.ts';
import { ApplicationErrors } from './applications.errors.ts';
import type { ApplicationsService } from './applications.service.ts';
import { classificationsRepo, type PermissionClassification } from './classifications.repo.ts';
import { ADMIN_CENTER_APP_ID, FEDERATION_APP_ID, MY_ACCOUNT_APP_ID } from './first-party.ts';
import { GRAPH_APP_ID } from './graph-permissions.ts';

/** Service principals the server manages itself: Microsoft Graph's and the first-party apps'. */
const MANAGED = new Set([GRAPH_APP_ID, ADMIN_CENTER_APP_ID, MY_ACCOUNT_APP_ID, FEDERATION_APP_ID]);

export type ServicePrincipalKey = { id: string } | { appId: string };

type Body = Record<string, any>;

/**
 * Graph's `/servicePrincipals` (graph-reference §8.4): the enterprise apps of this tenant, its own
 * apps' and other tenants' multi-tenant apps', and their delegatedPermissionClassifications.
 * `POST {appId}` instantiates an app here: this tenant's, or another tenant's published
 * AzureADMultipleOrgs app (only its public parts are copied, service-principal-copy.ts).
 * Deleting a service principal removes it, its grants and assignments here only.
 */
export class ServicePrincipalsService {
  constructor(
    private readonly deps: {
      database: Database;
      clock: Clock;
      applications: ApplicationsService;
    },
  ) {}

  async list(scope: TenantScope, principal: Principal, query: ListQuery): Promise<Page<GraphObject>> {
    authorize(principal, 'servicePrincipals.read');
    const page = await applicationsRepo.listServicePrincipals(scoped(this.deps.database, scope), servicePrincipalCatalog, query);
    return { ...page, items: page.items.map(servicePrincipalView) };
  }

  async get(scope: TenantScope, principal: Principal, key: ServicePrincipalKey): Promise<GraphObject> {
    authorize(principal, 'servicePrincipals.read');
    return servicePrincipalView(await this.#find(scoped(this.deps.database, scope), key));
  }

  async create(scope: TenantScope, principal: Principal, body: unknown): Promise<GraphObject> {
    authorize(principal, 'servicePrincipals.create');
    const input = readBody<Body>(body, servicePrincipalBodySpec, 'microsoft.graph.servicePrincipal');
    const appId = String(input.appId ?? '').toLowerCase();
    if (!isGuid(appId)) throw ApplicationErrors.invalid("Property 'appId' is required: the application to create a service principal for.");
    const { applications } = this.deps;
    try {
      const sp = await applications.change(scope, async (tdb) => {
        if (await applicationsRepo.findServicePrincipalByAppId(tdb, appId)) throw ApplicationErrors.servicePrincipalExists(appId);
        const own = await applicationsRepo.findApplicationByAppId(tdb, appId);
        if (!own) {
          const published = await publishedApps.registration(tdb, appId);
          if (!published) throw ApplicationErrors.unknownApplication(appId);
        }
        const created = await applications.ensureServicePrincipal(tdb, scope, appId, actorOf(principal));
        const next = this.#merged(created, { ...input, appId: undefined });
        if (next !== created) await applicationsRepo.saveServicePrincipal(tdb, next);
        return next;
      });
      return servicePrincipalView(sp);
    } catch (error) {
      // two creations at once: the second meets the unique (tenant, app id) index
      if (uniqueViolation(error)) throw ApplicationErrors.servicePrincipalExists(appId);
      throw error;
    }
  }

  async update(scope: TenantScope, principal: Principal, key: ServicePrincipalKey, body: unknown): Promise<void> {
    authorize(principal, 'servicePrincipals.update');
    const input = readBody<Body>(body, servicePrincipalBodySpec, 'microsoft.graph.servicePrincipal');
    if (input.appId !== undefined) throw ApplicationErrors.invalid("Property 'appId' is read-only and cannot be changed.");
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notManaged(current);
      await applicationsRepo.saveServicePrincipal(tdb, this.#merged(current, input));
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Update service principal', targetType: 'servicePrincipal', targetId: current.id, details: { appId: current.appId, properties: Object.keys(input) } });
    });
  }

  async delete(scope: TenantScope, principal: Principal, key: ServicePrincipalKey): Promise<void> {
    authorize(principal, 'servicePrincipals.delete');
    await this.deps.applications.change(scope, async (tdb) => {
      const current = await this.#find(tdb, key);
      this.#notManaged(current);
      await applicationsRepo.deleteServicePrincipal(tdb, current.id);
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Delete service principal', targetType: 'servicePrincipal', targetId: current.id, details: { appId: current.appId, appOwnerOrganizationId: current.appOwnerOrganizationId } });
    });
  }

  // ---- delegatedPermissionClassifications (graph-reference §6) ------------------------------------

  async classifications(scope: TenantScope, principal: Principal, servicePrincipalId: string): Promise<PermissionClassification[]> {
    authorize(principal, 'servicePrincipals.read');
    const tdb = scoped(this.deps.database, scope);
    const sp = await this.#find(tdb, { id: servicePrincipalId });
    return classificationsRepo.list(tdb, sp.id);
  }

  /** Classifies one delegated scope of a resource; one classification per scope. */
  async classify(scope: TenantScope, principal: Principal, servicePrincipalId: string, body: unknown): Promise<PermissionClassification> {
    authorize(principal, 'permissionClassifications.update');
    const input = readBody<Body>(body, classificationBodySpec, 'microsoft.graph.delegatedPermissionClassification');
    if (!input.classification) throw ApplicationErrors.invalid("Property 'classification' is required (low, medium or high).");
    if (!input.permissionId && !input.permissionName) throw ApplicationErrors.invalid("Property 'permissionId' (or 'permissionName') is required.");
    const now = this.deps.clock.now().toISOString();
    try {
      return await this.deps.applications.change(scope, async (tdb) => {
        const sp = await this.#find(tdb, { id: servicePrincipalId });
        const wantedId = input.permissionId ? String(input.permissionId).toLowerCase() : null;
        const permission = sp.oauth2PermissionScopes.find((s) => (wantedId ? s.id === wantedId : s.value.toLowerCase() === String(input.permissionName).toLowerCase()));
        if (!permission) throw ApplicationErrors.unknownDelegatedPermission(input.permissionId ?? input.permissionName);
        if (input.permissionName && input.permissionName.toLowerCase() !== permission.value.toLowerCase()) {
          throw ApplicationErrors.invalid(`The permissionName '${input.permissionName}' is not the value of permission '${permission.id}' ('${permission.value}').`);
        }
        const existing = await classificationsRepo.list(tdb, sp.id);
        if (existing.some((c) => c.permissionId === permission.id)) throw ApplicationErrors.classificationExists(permission.id);
        const classification: PermissionClassification = { id: newId(), permissionId: permission.id, permissionName: permission.value, classification: input.classification };
        await classificationsRepo.insert(tdb, sp.id, classification, now);
        await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Add delegated permission classification', targetType: 'servicePrincipal', targetId: sp.id, details: { ...classification } });
        return classification;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw ApplicationErrors.classificationExists(String(input.permissionId ?? input.permissionName));
      throw error;
    }
  }

  async unclassify(scope: TenantScope, principal: Principal, servicePrincipalId: string, classificationId: string): Promise<void> {
    authorize(principal, 'permissionClassifications.update');
    await this.deps.applications.change(scope, async (tdb) => {
      const sp = await this.#find(tdb, { id: servicePrincipalId });
      if (!(await classificationsRepo.delete(tdb, sp.id, classificationId))) throw ApplicationErrors.classificationNotFound(classificationId);
      await recordAudit(tdb, this.deps.clock, { ...actorOf(principal), action: 'Remove delegated permission classification', targetType: 'servicePrincipal', targetId: sp.id, details: { classificationId } });
    });
  }

  async #find(tdb: TenantDb, key: ServicePrincipalKey): Promise<ServicePrincipal> {
    const sp = 'id' in key ? await applicationsRepo.findServicePrincipalById(tdb, key.id.toLowerCase()) : await applicationsRepo.findServicePrincipalByAppId(tdb, key.appId.toLowerCase());
    if (!sp) throw ApplicationErrors.notFound('id' in key ? key.id : key.appId);
    return sp;
  }

  #notManaged(sp: ServicePrincipal): void {
    if (MANAGED.has(sp.appId)) throw ApplicationErrors.firstParty(sp.appId);
  }

  #merged(current: ServicePrincipal, input: Body): ServicePrincipal {
    const changes: Partial<ServicePrincipal> = {};
    if (input.displayName !== undefined) {
      if (!input.displayName?.trim()) throw ApplicationErrors.invalid("Property 'displayName' cannot be empty.");
      changes.displayName = input.displayName.trim();
    }
    if (input.description !== undefined) changes.description = input.description;
    if (input.accountEnabled !== undefined) changes.accountEnabled = input.accountEnabled;
    if (input.appRoleAssignmentRequired !== undefined) changes.appRoleAssignmentRequired = input.appRoleAssignmentRequired;
    if (input.homepage !== undefined) {
      if (input.homepage && !isAcceptableHomepage(input.homepage)) throw ApplicationErrors.invalid(`Invalid value '${input.homepage}' for property 'homepage': expected an absolute https URL.`);
      changes.homepage = input.homepage || null;
    }
    if (input.tags !== undefined) changes.tags = [...new Set<string>(input.tags)];
    return Object.keys(changes).length === 0 ? current : { ...current, ...changes };
  }
}
