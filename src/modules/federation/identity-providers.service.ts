import { readBody } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import { ownProperty } from '../../kernel/safe-input.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, type Principal, type TenantsService } from '../directory/index.ts';
import { FederationErrors } from './federation.errors.ts';
import { authorizeIdentityProviders } from './identity-provider.access.ts';
import { DEFAULT_SCOPE, IDENTITY_PROVIDER_LIMITS, identityProviderBodySpec, OPENID_CONNECT_TYPE } from './identity-provider.schemas.ts';
import type { IdentityProvider, IdentityProviderClient } from './identity-provider.types.ts';
import { identityProvidersRepo, type StoredIdentityProvider } from './identity-providers.repo.ts';

type Body = { displayName?: string; issuer?: string; clientId?: string; clientSecret?: string; scope?: string; domains?: string[] };

/**
 * `/beta/identity/identityProviders` (a Tessera extension in Graph's openIdConnectIdentityProvider
 * shape): per organization, the OpenID Connect providers its partners sign in with, each for one
 * or more e-mail domains. The client secret is sealed (SecretBox) and never read back; every
 * change is one transaction with its audit record.
 */
export class IdentityProvidersService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly tenants: TenantsService,
  ) {}

  async list(scope: TenantScope, principal: Principal): Promise<IdentityProvider[]> {
    authorizeIdentityProviders(principal, 'read');
    return (await identityProvidersRepo.list(scoped(this.database, scope))).map(publicView);
  }

  async get(scope: TenantScope, principal: Principal, id: string): Promise<IdentityProvider> {
    authorizeIdentityProviders(principal, 'read');
    const provider = await identityProvidersRepo.get(scoped(this.database, scope), id);
    if (!provider) throw FederationErrors.identityProviderNotFound(id);
    return publicView(provider);
  }

  async create(scope: TenantScope, principal: Principal, body: unknown): Promise<IdentityProvider> {
    authorizeIdentityProviders(principal, 'write');
    const input = read(body);
    for (const name of ['displayName', 'issuer', 'clientId', 'clientSecret', 'domains'] as const) {
      if (input[name] === undefined || input[name] === null) throw FederationErrors.invalidIdentityProvider(`Property '${name}' is required when creating an identity provider.`);
    }
    const domains = normalizeDomains(input.domains!);
    const now = this.clock.now().toISOString();
    const provider: StoredIdentityProvider = {
      id: newId(),
      displayName: input.displayName!.trim(),
      issuer: input.issuer!,
      clientId: input.clientId!,
      scope: normalizeScope(input.scope ?? DEFAULT_SCOPE),
      domains,
      createdDateTime: now,
      lastModifiedDateTime: now,
      clientSecretSealed: this.secrets.seal(input.clientSecret!),
    };
    const own = await this.#ownDomains(scope);
    const created = await this.#write(scope, domains, async (tdb) => {
      if ((await identityProvidersRepo.count(tdb)) >= IDENTITY_PROVIDER_LIMITS.providersPerTenant) throw FederationErrors.tooManyProviders(IDENTITY_PROVIDER_LIMITS.providersPerTenant);
      await assertDomainsFree(tdb, own, domains, null);
      await identityProvidersRepo.insert(tdb, provider);
      await identityProvidersRepo.replaceDomains(tdb, provider.id, domains);
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Add identity provider', targetType: 'identityProvider', targetId: provider.id, details: { displayName: provider.displayName, issuer: provider.issuer, domains } });
      return (await identityProvidersRepo.get(tdb, provider.id))!;
    });
    return publicView(created);
  }

  async update(scope: TenantScope, principal: Principal, id: string, body: unknown): Promise<void> {
    authorizeIdentityProviders(principal, 'write');
    const input = read(body);
    const domains = input.domains === undefined ? undefined : normalizeDomains(input.domains);
    const patch = {
      ...(input.displayName !== undefined ? { display_name: input.displayName.trim() } : {}),
      ...(input.issuer !== undefined ? { issuer: input.issuer } : {}),
      ...(input.clientId !== undefined ? { client_id: input.clientId } : {}),
      ...(input.clientSecret !== undefined ? { client_secret_sealed: this.secrets.seal(input.clientSecret) } : {}),
      ...(input.scope !== undefined ? { scope: normalizeScope(input.scope) } : {}),
      updated_at: this.clock.now().toISOString(),
    };
    const own = domains ? await this.#ownDomains(scope) : new Set<string>();
    await this.#write(scope, domains ?? [], async (tdb) => {
      if (!(await identityProvidersRepo.update(tdb, id, patch))) throw FederationErrors.identityProviderNotFound(id);
      if (domains) {
        await assertDomainsFree(tdb, own, domains, id);
        await identityProvidersRepo.replaceDomains(tdb, id, domains);
      }
      const properties = Object.keys(input).filter((name) => name !== 'clientSecret');
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Update identity provider', targetType: 'identityProvider', targetId: id, details: { properties, clientSecretChanged: input.clientSecret !== undefined } });
    });
  }

  async delete(scope: TenantScope, principal: Principal, id: string): Promise<void> {
    authorizeIdentityProviders(principal, 'write');
    await inTransaction(this.database, scope, async (tdb) => {
      if (!(await identityProvidersRepo.delete(tdb, id))) throw FederationErrors.identityProviderNotFound(id);
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Delete identity provider', targetType: 'identityProvider', targetId: id });
    });
  }

  /** Home sign-in: the provider serving `domain` in this organization, with its client secret. */
  async forDomain(scope: TenantScope, domain: string): Promise<IdentityProviderClient | undefined> {
    const provider = await identityProvidersRepo.findByDomain(scoped(this.database, scope), domain.toLowerCase());
    return provider ? this.#client(provider) : undefined;
  }

  /** Home sign-in: one provider by id, with its client secret (the callback of a sign-in it began). */
  async client(scope: TenantScope, id: string): Promise<IdentityProviderClient | undefined> {
    const provider = await identityProvidersRepo.get(scoped(this.database, scope), id);
    return provider ? this.#client(provider) : undefined;
  }

  #client(provider: StoredIdentityProvider): IdentityProviderClient {
    const { clientSecretSealed, ...rest } = provider;
    return { ...rest, clientSecret: this.secrets.open(clientSecretSealed) };
  }

  /** A domain claimed twice at once fails on the domains table's primary key: the same error as the check. */
  async #write<T>(scope: TenantScope, domains: readonly string[], work: (tdb: TenantDb) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.database, scope, work);
    } catch (error) {
      if (uniqueViolation(error)) throw FederationErrors.domainTaken(domains[0] ?? '');
      throw error;
    }
  }

  /** The organization's own verified domains: its people are members there, never guests. */
  async #ownDomains(scope: TenantScope): Promise<Set<string>> {
    const tenant = await this.tenants.get(scope);
    return new Set((tenant?.verifiedDomains ?? []).map((domain) => domain.name.toLowerCase()));
  }
}

async function assertDomainsFree(tdb: TenantDb, own: ReadonlySet<string>, domains: readonly string[], exceptId: string | null): Promise<void> {
  const ownDomain = domains.find((domain) => own.has(domain));
  if (ownDomain) throw FederationErrors.ownDomain(ownDomain);
  const [taken] = await identityProvidersRepo.domainsTaken(tdb, domains, exceptId);
  if (taken) throw FederationErrors.domainTaken(taken);
}

/** Graph never returns a client secret: `clientSecret` reads as null. */
function publicView(provider: StoredIdentityProvider): IdentityProvider {
  const { clientSecretSealed: _sealed, ...rest } = provider;
  return rest;
}

function read(body: unknown): Body {
  const type = ownProperty(body, '@odata.type');
  if (type !== undefined && type !== OPENID_CONNECT_TYPE && type !== OPENID_CONNECT_TYPE.slice(1)) throw FederationErrors.unsupportedType(String(type));
  return readBody<Body>(body, identityProviderBodySpec, 'microsoft.graph.openIdConnectIdentityProvider') as Body;
}

function normalizeDomains(domains: string[]): string[] {
  return [...new Set(domains.map((d) => d.trim().toLowerCase()))].sort();
}

function normalizeScope(scope: string): string {
  return [...new Set(scope.split(' ').filter(Boolean))].join(' ');
}
