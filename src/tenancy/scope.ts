import type { Brand } from '../kernel/ids.ts';

/**
 * Proof that a request or job has been resolved to one tenant. Only tenancy/ creates it (from a
 * resolved tenant id), and every tenant-scoped database handle requires one, so a repository
 * cannot be called without saying which tenant it acts for.
 */
export type TenantScope = Brand<{ readonly tenantId: string }, 'TenantScope'>;

export function tenantScope(tenantId: string): TenantScope {
  return Object.freeze({ tenantId }) as TenantScope;
}
