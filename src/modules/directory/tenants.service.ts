import { readBody } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import { CommonErrors } from '../../kernel/errors.ts';
import { isGuid, newId } from '../../kernel/ids.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import { toJson } from '../../storage/values.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { applicationsRepo, StampedTenantCache } from '../consent/index.ts';
import { authorize } from './access/authorize.ts';
import { actorOf, type Principal } from './access/principal.ts';
import { GLOBAL_ADMINISTRATOR, roleTemplates } from './access/roles.catalog.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { brandingBodySpec, isDomainName, organizationBodySpec, privacyProfileProblem } from './organization.schemas.ts';
import { rolesRepo } from './roles.repo.ts';
import type { RolesService } from './roles.service.ts';
import type { Branding, CloudType, Tenant } from './tenant.types.ts';
import { tenantRegistry, tenantsRepo } from './tenants.repo.ts';
import type { UsersService } from './users.service.ts';

/**
 * Work other modules do inside the transaction that creates a tenant (signing keys, first-party
 * apps, default policies), so a tenant never exists half-provisioned.
 */
export type TenantProvisioner = (tdb: TenantDb, tenant: { id: string; initialDomain: string }) => Promise<void>;

export interface CreateTenantInput {
  displayName: string;
  domain: string;
  countryLetterCode?: string | null;
  cloudType?: CloudType;
  admin?: { email: string; password: string; displayName?: string };
}

/**
 * How long a node trusts a tenant resolution it made (id or verified domain -> tenant). Tenants are
 * never deleted and verified domains only added today; whatever changes is seen by every node
 * within this bound (5 s, the same as the stamped directory caches). Misses are not kept, so a
 * tenant or domain created on another node resolves at once.
 */
const RESOLVE_RECHECK_MS = 5_000;
const MAX_RESOLUTIONS = 10_000;

export class TenantsService {
  readonly #provisioners: TenantProvisioner[] = [];
  readonly #resolved = new Map<string, { tenantId: string; at: number }>();
  /**
   * Each tenant's name and branding, which every sign-in page shows: kept per node under the
   * tenant's directory stamp, which every update of the tenant's row bumps (tenantsRepo.update), so
   * a change is seen here at once and on other nodes within STAMP_RECHECK_MS (5 s).
   */
  readonly #pages: StampedTenantCache;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly roles: RolesService,
  ) {
    this.#pages = new StampedTenantCache(clock, (scope) => applicationsRepo.directoryStamp(scoped(this.database, scope)));
  }

  addProvisioner(provisioner: TenantProvisioner): void {
    this.#provisioners.push(provisioner);
  }

  async create(input: CreateTenantInput): Promise<{ tenant: Tenant; adminUserId: string | null }> {
    const displayName = input.displayName.trim();
    if (!displayName) throw CommonErrors.invalidBody('A tenant needs a name.');
    const domain = input.domain.trim().toLowerCase();
    if (!isDomainName(domain)) throw DirectoryErrors.invalidDomain(input.domain);
    const country = input.countryLetterCode?.toUpperCase() ?? null;
    if (country !== null && !/^[A-Z]{2}$/.test(country)) throw CommonErrors.invalidBody(`'${input.countryLetterCode}' is not a two-letter country code.`);
    const cloudType = input.cloudType ?? 'commercial';
    if (!['commercial', 'government', 'sovereign'].includes(cloudType)) throw CommonErrors.invalidBody(`Unknown cloud type '${cloudType}'.`);
    const id = newId();
    const scope = tenantScope(id);
    const now = this.clock.now().toISOString();
    const system: Principal = { kind: 'system', tenantId: id };
    if (await tenantRegistry.domainTaken(this.database.db, domain)) throw DirectoryErrors.duplicateDomain(domain);
    try {
      await inTransaction(this.database, scope, async (tdb) => {
        await tenantsRepo.insert(tdb, { displayName, initialDomain: domain, countryLetterCode: country, cloudType, createdAt: now });
        await tenantsRepo.addDomain(tdb, { name: domain, isInitial: true, isDefault: true, createdAt: now });
        for (const template of roleTemplates) {
          await rolesRepo.insert(tdb, { id: newId(), roleTemplateId: template.id, displayName: template.displayName, description: template.description }, now);
        }
        for (const provision of this.#provisioners) await provision(tdb, { id, initialDomain: domain });
        await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Create tenant', targetType: 'organization', targetId: id, details: { displayName, domain } });
      });
    } catch (error) {
      if (uniqueViolation(error)) throw DirectoryErrors.duplicateDomain(domain);
      throw error;
    }
    let adminUserId: string | null = null;
    if (input.admin) {
      const email = input.admin.email.trim();
      const alias = email.slice(0, email.indexOf('@'));
      const admin = await this.users.createMember(scope, system, {
        userPrincipalName: email,
        displayName: input.admin.displayName ?? 'Administrator',
        mailNickname: alias.replace(/[^A-Za-z0-9._-]/g, '') || 'admin',
        accountEnabled: true,
        mail: email,
        usageLocation: country,
        password: input.admin.password,
        forceChangePasswordNextSignIn: false, // the operator chose this password
      });
      await inTransaction(this.database, scope, (tdb) => this.roles.assignByTemplate(tdb, system, GLOBAL_ADMINISTRATOR, admin.id));
      adminUserId = admin.id;
    }
    return { tenant: (await this.get(scope))!, adminUserId };
  }

  /**
   * A tenant the server itself needs under a fixed id (the personal-accounts tenant of B2B
   * redemption), provisioned like any other (keys, first-party apps, roles) the first time it is
   * asked for. Its domain is not verified, so no sign-in name or domain ever resolves to it; it is
   * reached by its id only. Safe to call from several nodes at once.
   */
  async ensureBuiltIn(input: { id: string; displayName: string; domain: string }): Promise<TenantScope> {
    const scope = tenantScope(input.id);
    if (await tenantRegistry.findById(this.database.db, input.id)) return scope;
    const now = this.clock.now().toISOString();
    try {
      await inTransaction(this.database, scope, async (tdb) => {
        if (await tenantsRepo.get(tdb)) return;
        await tenantsRepo.insert(tdb, { displayName: input.displayName, initialDomain: input.domain, countryLetterCode: null, cloudType: 'commercial', createdAt: now });
        await tenantsRepo.addDomain(tdb, { name: input.domain, isInitial: true, isDefault: true, createdAt: now, isVerified: false });
        for (const template of roleTemplates) {
          await rolesRepo.insert(tdb, { id: newId(), roleTemplateId: template.id, displayName: template.displayName, description: template.description }, now);
        }
        for (const provision of this.#provisioners) await provision(tdb, { id: input.id, initialDomain: input.domain });
        await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Create tenant', targetType: 'organization', targetId: input.id, details: { displayName: input.displayName, builtIn: true } });
      });
    } catch (error) {
      // another node created it at the same moment
      if (!uniqueViolation(error)) throw error;
    }
    return scope;
  }

  get(scope: TenantScope): Promise<Tenant | undefined> {
    return tenantsRepo.get(scoped(this.database, scope));
  }

  /** The tenant's name and branding for its sign-in pages (cached per node: #pages). Shared: callers must not change it. */
  pageBranding(scope: TenantScope): Promise<{ displayName: string; branding: Branding } | undefined> {
    return this.#pages.get(scope, 'pageBranding', () => tenantsRepo.pageBranding(scoped(this.database, scope)), Boolean);
  }

  async organization(scope: TenantScope, principal: Principal): Promise<Tenant> {
    authorize(principal, 'organization.read');
    const tenant = await this.get(scope);
    if (!tenant) throw DirectoryErrors.tenantNotFound(scope.tenantId);
    return tenant;
  }

  async updateOrganization(scope: TenantScope, principal: Principal, id: string, body: unknown): Promise<void> {
    authorize(principal, 'organization.update');
    if (id.toLowerCase() !== scope.tenantId) throw DirectoryErrors.objectNotFound(id);
    const input = readBody<Record<string, any>>(body, organizationBodySpec, 'microsoft.graph.organization');
    if (input.privacyProfile) {
      const problem = privacyProfileProblem(input.privacyProfile);
      if (problem) throw CommonErrors.invalidBody(`Invalid value for property 'privacyProfile': ${problem}.`);
    }
    const columns: Record<string, string> = {
      displayName: 'display_name',
      countryLetterCode: 'country_letter_code',
      preferredLanguage: 'preferred_language',
      city: 'city',
      state: 'state',
      street: 'street',
      postalCode: 'postal_code',
    };
    const patch: Record<string, unknown> = {};
    for (const [property, column] of Object.entries(columns)) if (input[property] !== undefined) patch[column] = input[property];
    if (input.technicalNotificationMails !== undefined) patch.technical_notification_mails = toJson(input.technicalNotificationMails);
    if (input.privacyProfile !== undefined) {
      patch.privacy_contact_email = input.privacyProfile?.contactEmail ?? null;
      patch.privacy_statement_url = input.privacyProfile?.statementUrl ?? null;
    }
    try {
      await inTransaction(this.database, scope, async (tdb) => {
        await tenantsRepo.update(tdb, patch);
        await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Update company settings', targetType: 'organization', targetId: scope.tenantId, details: { properties: Object.keys(input) } });
      });
    } finally {
      this.#pages.invalidate(scope.tenantId);
    }
  }

  async updateBranding(scope: TenantScope, principal: Principal, body: unknown): Promise<Branding> {
    authorize(principal, 'organization.update');
    const input = readBody<Partial<Branding>>(body, brandingBodySpec, 'tessera.organizationBranding');
    try {
      return await inTransaction(this.database, scope, async (tdb) => {
        const tenant = await tenantsRepo.get(tdb);
        if (!tenant) throw DirectoryErrors.tenantNotFound(scope.tenantId);
        const branding = { ...tenant.branding, ...input };
        await tenantsRepo.update(tdb, { branding: toJson(branding) });
        await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Update company branding', targetType: 'organization', targetId: scope.tenantId, details: input });
        return branding;
      });
    } finally {
      this.#pages.invalidate(scope.tenantId);
    }
  }

  /** `{tenant}` in a URL: a tenant id or any verified domain (DESIGN §1). */
  async resolve(tenantIdOrDomain: string): Promise<TenantScope | null> {
    const key = tenantIdOrDomain.toLowerCase();
    const now = this.clock.now().getTime();
    const hit = this.#resolved.get(key);
    if (hit && now - hit.at >= 0 && now - hit.at < RESOLVE_RECHECK_MS) return tenantScope(hit.tenantId);
    const id = isGuid(key) ? ((await tenantRegistry.findById(this.database.db, key)) ? key : undefined) : await tenantRegistry.findIdByDomain(this.database.db, key);
    if (!id) {
      this.#resolved.delete(key);
      return null;
    }
    if (this.#resolved.size >= MAX_RESOLUTIONS) this.#resolved.clear();
    this.#resolved.set(key, { tenantId: id, at: now });
    return tenantScope(id);
  }

  listIds(): Promise<string[]> {
    return tenantRegistry.listIds(this.database.db);
  }
}
