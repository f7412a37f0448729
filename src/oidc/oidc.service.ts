import type Provider from 'oidc-provider';
import type { TenantScope } from '../tenancy/scope.ts';
import type { OidcPageRenderer } from './pages.ts';
// provider.ts (and oidc-provider) load on the first provider built, so CLI commands never load them
import type { OidcDeps } from './provider.ts';

/** How often a cached provider re-reads its tenant's key set (rotation on another node shows up within this). */
const KEY_RECHECK_MS = 30_000;
/** Providers kept in memory; the least recently built go first (a provider is cheap to rebuild). */
const MAX_CACHED_PROVIDERS = 500;

interface Entry {
  provider: Provider;
  version: string;
  checkedAt: number;
}

/**
 * One OpenID provider per tenant, built on first use and cached. A provider holds its tenant's
 * signing keys, so the cache rebuilds it when the keys change (rotation here, or on another node).
 */
export class OidcService {
  readonly #entries = new Map<string, Promise<Entry>>();
  #pages: OidcPageRenderer | null = null;
  readonly #pagesOf = (): OidcPageRenderer => {
    if (!this.#pages) throw new Error('OidcService has no page renderer: the HTTP layer sets one with usePages()');
    return this.#pages;
  };

  constructor(readonly deps: OidcDeps) {}

  /**
   * Sets who renders the pages the providers show themselves (sign-out confirmation, signed out,
   * errors that cannot be redirected): the HTTP layer, which owns the page framework. Providers
   * read it when they show a page, so ones built earlier use it too.
   */
  usePages(renderer: OidcPageRenderer): void {
    this.#pages = renderer;
  }

  async provider(scope: TenantScope): Promise<Provider> {
    const now = Date.now();
    const cached = this.#entries.get(scope.tenantId);
    if (cached) {
      const entry = await cached;
      if (now - entry.checkedAt < KEY_RECHECK_MS) return entry.provider;
      const keys = await this.deps.signingKeys.keys(scope);
      if (keys.version === entry.version) {
        entry.checkedAt = now;
        return entry.provider;
      }
    }
    const building = (async (): Promise<Entry> => {
      const [keys, { createTenantProvider }] = await Promise.all([this.deps.signingKeys.keys(scope), import('./provider.ts')]);
      return { provider: createTenantProvider(this.deps, scope, keys, this.#pagesOf), version: keys.version, checkedAt: Date.now() };
    })();
    this.#entries.delete(scope.tenantId);
    this.#entries.set(scope.tenantId, building);
    while (this.#entries.size > MAX_CACHED_PROVIDERS) this.#entries.delete(this.#entries.keys().next().value!);
    building.catch(() => this.#entries.delete(scope.tenantId));
    return (await building).provider;
  }

  /** Forget a tenant's provider (after rotating its keys here). */
  invalidate(tenantId: string): void {
    this.#entries.delete(tenantId);
  }

  async rotateKeys(scope: TenantScope): Promise<{ activeKids: string[]; retiredKids: string[] }> {
    const result = await this.deps.signingKeys.rotate(scope);
    this.invalidate(scope.tenantId);
    return result;
  }

  /** Deletes expired protocol artifacts and keys past their grace period, in every tenant. */
  async purgeExpired(tenantIds: string[], scopeOf: (id: string) => TenantScope): Promise<{ payloads: number; keys: number }> {
    let payloads = 0;
    let keys = 0;
    for (const id of tenantIds) {
      const scope = scopeOf(id);
      payloads += await this.deps.payloads.purgeExpired(scope);
      const removed = await this.deps.signingKeys.purge(scope);
      if (removed > 0) this.invalidate(id);
      keys += removed;
    }
    return { payloads, keys };
  }
}
