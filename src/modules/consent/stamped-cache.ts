import type { Clock } from '../../kernel/clock.ts';
import type { TenantScope } from '../../tenancy/scope.ts';

/**
 * How often a node re-reads a tenant's directory change stamp (`tenants.directory_stamp`).
 *
 * Bound: a change to a tenant's applications, service principals, permission grants, app role
 * assignments, directory role assignments or verified domains, committed on any node, is seen by
 * every node within STAMP_RECHECK_MS (5 s) of its commit (and at once on the node that made it).
 * Every writer bumps the stamp in the transaction that makes the change, so a node that reads an
 * unchanged stamp knows its cached values are still current; a node drops everything it cached for a tenant as soon as it
 * reads a different stamp. A disabled service principal, a removed secret or a revoked app role
 * therefore stays usable for at most 5 s on another node.
 */
export const STAMP_RECHECK_MS = 5_000;

/** Tenants whose values a node keeps, and values per tenant; past these the oldest tenant (or all of a tenant's values) go. */
const MAX_TENANTS = 1_000;
const MAX_VALUES_PER_TENANT = 5_000;

interface TenantEntry {
  stamp: number;
  /** when the stamp was last read (container clock, ms) */
  checkedAt: number;
  values: Map<string, Promise<unknown>>;
  /** the stamp read in flight, shared by the requests that arrive meanwhile */
  checking?: Promise<TenantEntry>;
}

/**
 * Values derived from one tenant's directory (parsed service principals, applications, grants),
 * kept per node and invalidated by the tenant's change stamp (see STAMP_RECHECK_MS for the bound).
 * The stamp is read before a value is loaded, so a value is never older than the stamp it is kept
 * under. Values are shared: callers must not modify what they get.
 */
export class StampedTenantCache {
  readonly #tenants = new Map<string, Promise<TenantEntry>>();

  constructor(
    private readonly clock: Clock,
    private readonly readStamp: (scope: TenantScope) => Promise<number | undefined>,
    private readonly recheckMs = STAMP_RECHECK_MS,
  ) {}

  /**
   * The value under `key` for the tenant, loaded with `load` when missing. A value for which
   * `keep` says false (e.g. "not found") is returned but not kept, so what is created on another
   * node is found at once.
   */
  async get<T>(scope: TenantScope, key: string, load: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const entry = await this.#entry(scope);
    const cached = entry.values.get(key) as Promise<T> | undefined;
    if (cached) return cached;
    const loading = load();
    if (entry.values.size >= MAX_VALUES_PER_TENANT) entry.values.clear();
    entry.values.set(key, loading);
    loading.then(
      (value) => {
        if (!keep(value) && entry.values.get(key) === loading) entry.values.delete(key);
      },
      () => {
        if (entry.values.get(key) === loading) entry.values.delete(key);
      },
    );
    return loading;
  }

  /** Forget a tenant's values (after a change made on this node, once committed). */
  invalidate(tenantId: string): void {
    this.#tenants.delete(tenantId);
  }

  async #entry(scope: TenantScope): Promise<TenantEntry> {
    const tid = scope.tenantId;
    const now = this.clock.now().getTime();
    const current = this.#tenants.get(tid);
    if (current) {
      const entry = await current;
      const age = now - entry.checkedAt;
      if (age >= 0 && age < this.recheckMs) return entry;
      // Stale (or the clock went back): re-read the stamp once for every request waiting on it.
      entry.checking ??= this.#recheck(scope, entry, now).finally(() => {
        entry.checking = undefined;
      });
      return entry.checking;
    }
    const building = this.#fresh(scope, now);
    this.#tenants.set(tid, building);
    while (this.#tenants.size > MAX_TENANTS) this.#tenants.delete(this.#tenants.keys().next().value!);
    building.catch(() => {
      if (this.#tenants.get(tid) === building) this.#tenants.delete(tid);
    });
    return building;
  }

  async #fresh(scope: TenantScope, now: number): Promise<TenantEntry> {
    const stamp = (await this.readStamp(scope)) ?? -1;
    return { stamp, checkedAt: now, values: new Map() };
  }

  async #recheck(scope: TenantScope, entry: TenantEntry, now: number): Promise<TenantEntry> {
    const stamp = (await this.readStamp(scope)) ?? -1;
    if (stamp === entry.stamp) {
      entry.checkedAt = now;
      return entry;
    }
    const next: TenantEntry = { stamp, checkedAt: now, values: new Map() };
    // Replace the entry unless a local change dropped or replaced it meanwhile.
    const slot = this.#tenants.get(scope.tenantId);
    if (slot && (await slot) === entry) this.#tenants.set(scope.tenantId, Promise.resolve(next));
    return next;
  }
}
