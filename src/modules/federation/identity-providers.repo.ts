import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';
import type { IdentityProvider } from './identity-provider.types.ts';

/** A stored provider: the record and its sealed client secret. */
export interface StoredIdentityProvider extends IdentityProvider {
  clientSecretSealed: string;
}

type Row = {
  id: string;
  display_name: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  scope: string;
  created_at: string | Date;
  updated_at: string | Date;
};

/** An organization's OpenID Connect identity providers and the e-mail domains each serves. */
export const identityProvidersRepo = Object.freeze({
  async list(tdb: TenantDb): Promise<StoredIdentityProvider[]> {
    const rows = await tdb.selectFrom('identity_providers').selectAll().orderBy('created_at').orderBy('id').execute();
    const domains = await tdb.selectFrom('identity_provider_domains').select(['domain', 'provider_id']).orderBy('domain').execute();
    return rows.map((row) => toProvider(row, domains.filter((d) => d.provider_id === row.id).map((d) => d.domain)));
  },

  async get(tdb: TenantDb, id: string): Promise<StoredIdentityProvider | undefined> {
    const row = await tdb.selectFrom('identity_providers').selectAll().where('identity_providers.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const domains = await tdb.selectFrom('identity_provider_domains').select('domain').where('provider_id', '=', id).orderBy('domain').execute();
    return toProvider(row, domains.map((d) => d.domain));
  },

  /** The provider that serves `domain` (lower-cased), if any. */
  async findByDomain(tdb: TenantDb, domain: string): Promise<StoredIdentityProvider | undefined> {
    const link = await tdb.selectFrom('identity_provider_domains').select('provider_id').where('domain', '=', domain.toLowerCase()).executeTakeFirst();
    return link ? this.get(tdb, link.provider_id) : undefined;
  },

  /** Which of `domains` another provider than `exceptId` already serves. */
  async domainsTaken(tdb: TenantDb, domains: readonly string[], exceptId: string | null): Promise<string[]> {
    if (domains.length === 0) return [];
    let query = tdb.selectFrom('identity_provider_domains').select('domain').where('domain', 'in', [...domains]);
    if (exceptId) query = query.where('provider_id', '!=', exceptId);
    return (await query.execute()).map((row) => row.domain);
  },

  async count(tdb: TenantDb): Promise<number> {
    const row = await tdb.selectFrom('identity_providers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async insert(tdb: TenantDb, provider: StoredIdentityProvider): Promise<void> {
    await tdb
      .insertInto('identity_providers', {
        id: provider.id,
        display_name: provider.displayName,
        issuer: provider.issuer,
        client_id: provider.clientId,
        client_secret_sealed: provider.clientSecretSealed,
        scope: provider.scope,
        created_at: provider.createdDateTime,
        updated_at: provider.lastModifiedDateTime,
      })
      .execute();
  },

  async update(
    tdb: TenantDb,
    id: string,
    patch: Partial<{ display_name: string; issuer: string; client_id: string; client_secret_sealed: string; scope: string }> & { updated_at: string },
  ): Promise<boolean> {
    const result = await tdb.updateTable('identity_providers').set(patch).where('identity_providers.id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },

  /** Makes `domains` the provider's whole list (a domain another provider holds fails on the primary key). */
  async replaceDomains(tdb: TenantDb, id: string, domains: readonly string[]): Promise<void> {
    await tdb.deleteFrom('identity_provider_domains').where('provider_id', '=', id).execute();
    if (domains.length > 0) await tdb.insertInto('identity_provider_domains', domains.map((domain) => ({ domain, provider_id: id }))).execute();
  },

  /** Deletes the provider (its domains go with it). */
  async delete(tdb: TenantDb, id: string): Promise<boolean> {
    const result = await tdb.deleteFrom('identity_providers').where('identity_providers.id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
});

function toProvider(row: Row, domains: string[]): StoredIdentityProvider {
  return {
    id: row.id,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    scope: row.scope,
    domains,
    createdDateTime: iso(row.created_at),
    lastModifiedDateTime: iso(row.updated_at),
    clientSecretSealed: row.client_secret_sealed,
  };
}
