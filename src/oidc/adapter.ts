import type { OidcPayloadStore, StoredPayload } from '../modules/signin/index.ts';
import type { TenantScope } from '../tenancy/scope.ts';

/**
 * oidc-provider's storage adapter for one tenant: every model (Session, AuthorizationCode,
 * RefreshToken, Grant, Interaction, ClientCredentials, ReplayDetection, ...) goes to the
 * tenant-scoped oidc_payloads table, so all nodes share protocol state. Clients are not stored
 * here: `Client` lookups are answered from the tenant's application registrations.
 */
export function sqlAdapter(store: OidcPayloadStore, scope: TenantScope, findClient: (clientId: string) => Promise<Record<string, unknown> | undefined>) {
  return class SqlAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: StoredPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are registered as applications, not through the OIDC adapter');
      await store.upsert(scope, this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<StoredPayload | Record<string, unknown> | undefined> {
      if (this.model === 'Client') return findClient(id);
      return store.find(scope, this.model, id);
    }

    findByUserCode(userCode: string): Promise<StoredPayload | undefined> {
      return store.findByUserCode(scope, this.model, userCode);
    }

    findByUid(uid: string): Promise<StoredPayload | undefined> {
      return store.findByUid(scope, this.model, uid);
    }

    consume(id: string): Promise<void> {
      return store.consume(scope, this.model, id);
    }

    destroy(id: string): Promise<void> {
      return store.destroy(scope, this.model, id);
    }

    revokeByGrantId(grantId: string): Promise<void> {
      return store.revokeByGrantId(scope, grantId);
    }
  };
}
