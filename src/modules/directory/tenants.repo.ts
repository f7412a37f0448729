import type { Executor } from '../../storage/database.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import type { TenantRow } from '../../storage/schema.ts';
import { bool, iso, json, toJson } from '../../storage/values.ts';
import type { Branding, CloudType, Tenant, VerifiedDomain } from './tenant.types.ts';

/**
 * The tenant registry is the one place that reads across tenants: resolving a tenant by id or
 * domain happens before there is a scope. Everything else about a tenant goes through its scope.
 */
export const tenantRegistry = Object.freeze({
  async findById(ex: Executor, id: string): Promise<TenantRow | undefined> {
    return ex.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async findIdByDomain(ex: Executor, domain: string): Promise<string | undefined> {
    const row = await ex
      .selectFrom('tenant_domains')
      .select('tenant_id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', domain.toLowerCase()))
      .where('is_verified', '=', true)
      .executeTakeFirst();
    return row?.tenant_id;
  },

  async domainTaken(ex: Executor, domain: string): Promise<boolean> {
    const row = await ex
      .selectFrom('tenant_domains')
      .select('tenant_id')
      .where((eb) => eb(eb.fn('lower', ['name']), '=', domain.toLowerCase()))
      .executeTakeFirst();
    return row !== undefined;
  },

  async listIds(ex: Executor): Promise<string[]> {
    const rows = await ex.selectFrom('tenants').select('id').orderBy('created_at').execute();
    return rows.map((row) => row.id);
  },

});

/** Tenant-scoped reads and writes of a tenant's own record. */
export const tenantsRepo = Object.freeze({
  async insert(
    tdb: TenantDb,
    tenant: { displayName: string; initialDomain: string; countryLetterCode: string | null; cloudType: CloudType; createdAt: string },
  ): Promise<void> {
    await tdb
      .insertOwnTenant({
        display_name: tenant.displayName,
        initial_domain: tenant.initialDomain,
        country_letter_code: tenant.countryLetterCode,
        preferred_language: 'en',
        city: null,
        state: null,
        street: null,
        postal_code: null,
        cloud_type: tenant.cloudType,
        privacy_contact_email: null,
        privacy_statement_url: null,
        technical_notification_mails: toJson([]),
        branding: toJson({ logoUrl: null, backgroundColor: null }),
        settings: toJson({}),
        created_at: tenant.createdAt,
      })
      .execute();
  },

  /** The tenant's name and branding (what its sign-in pages show): its own row only, one statement. */
  async pageBranding(tdb: TenantDb): Promise<{ displayName: string; branding: Branding } | undefined> {
    const row = await tdb.selectOwnTenant().select(['display_name', 'branding']).executeTakeFirst();
    return row ? { displayName: row.display_name, branding: json<Branding>(row.branding, { logoUrl: null, backgroundColor: null }) } : undefined;
  },

  async get(tdb: TenantDb): Promise<Tenant | undefined> {
    const row = await tdb.selectOwnTenant().selectAll().executeTakeFirst();
    if (!row) return undefined;
    const domains = await tdb.selectFrom('tenant_domains').selectAll().where('is_verified', '=', true).orderBy('created_at').execute();
    return toTenant(row, domains.map((d) => ({
      name: d.name,
      isInitial: bool(d.is_initial),
      isDefault: bool(d.is_default),
      type: d.type,
      capabilities: 'Email, OfficeCommunicationsOnline',
    })));
  },

  /** Also bumps the directory stamp: the tenant's name and branding are cached per node (TenantsService.pageBranding). */
  async update(tdb: TenantDb, patch: Partial<Record<keyof TenantRow, unknown>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await tdb.updateOwnTenant().set((eb) => ({ ...(patch as object), directory_stamp: eb('directory_stamp', '+', 1) }) as never).execute();
  },

  /** `isVerified: false` (built-in tenants) keeps the domain out of tenant resolution and home-realm discovery. */
  async addDomain(tdb: TenantDb, domain: { name: string; isInitial: boolean; isDefault: boolean; createdAt: string; isVerified?: boolean }): Promise<void> {
    // a verified-domain change is a directory change too (stamped caches, modules/consent/stamped-cache.ts)
    await tdb.updateOwnTenant().set((eb) => ({ directory_stamp: eb('directory_stamp', '+', 1) })).execute();
    await tdb
      .insertInto('tenant_domains', {
        name: domain.name,
        is_initial: domain.isInitial,
        is_default: domain.isDefault,
        is_verified: domain.isVerified ?? true,
        type: 'Managed',
        created_at: domain.createdAt,
      })
      .execute();
  },

  async verifiedDomainNames(tdb: TenantDb): Promise<string[]> {
    const rows = await tdb.selectFrom('tenant_domains').select('name').where('is_verified', '=', true).execute();
    return rows.map((row) => row.name.toLowerCase());
  },
});

function toTenant(row: TenantRow, verifiedDomains: VerifiedDomain[]): Tenant {
  return {
    id: row.id,
    displayName: row.display_name,
    initialDomain: row.initial_domain,
    countryLetterCode: row.country_letter_code,
    preferredLanguage: row.preferred_language,
    city: row.city,
    state: row.state,
    street: row.street,
    postalCode: row.postal_code,
    cloudType: row.cloud_type,
    privacyProfile: { contactEmail: row.privacy_contact_email, statementUrl: row.privacy_statement_url },
    technicalNotificationMails: json<string[]>(row.technical_notification_mails, []),
    branding: json<Branding>(row.branding, { logoUrl: null, backgroundColor: null }),
    settings: json<Record<string, unknown>>(row.settings, {}),
    createdDateTime: iso(row.created_at),
    verifiedDomains,
  };
}
