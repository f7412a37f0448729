import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../storage/database.ts';
import { scoped } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { payloadRegistry, payloadsRepo } from './payloads.repo.ts';

/** What oidc-provider stores: a JSON object with optional `uid`, `grantId`, `userCode` and `consumed`. */
export type StoredPayload = Record<string, unknown> & { uid?: string; grantId?: string; userCode?: string; consumed?: number };

/**
 * The protocol state of every tenant's OpenID provider (sessions, codes, tokens, grants,
 * interactions, replay markers) in the database, so any node can continue what another began.
 * Expired rows are invisible at once and deleted by `purgeExpired` (run periodically by serve).
 */
export class OidcPayloadStore {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async upsert(scope: TenantScope, model: string, id: string, payload: StoredPayload, expiresInSeconds: number | undefined): Promise<void> {
    const expiresAt = expiresInSeconds ? new Date(this.clock.now().getTime() + expiresInSeconds * 1000).toISOString() : null;
    await payloadsRepo.upsert(scoped(this.database, scope), {
      model,
      id,
      payload: JSON.stringify(payload),
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
      userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
      expiresAt,
    });
  }

  async find(scope: TenantScope, model: string, id: string): Promise<StoredPayload | undefined> {
    return this.#live(await payloadsRepo.find(scoped(this.database, scope), model, id));
  }

  async findByUid(scope: TenantScope, model: string, uid: string): Promise<StoredPayload | undefined> {
    return this.#live(await payloadsRepo.findBy(scoped(this.database, scope), model, 'uid', uid));
  }

  async findByUserCode(scope: TenantScope, model: string, userCode: string): Promise<StoredPayload | undefined> {
    return this.#live(await payloadsRepo.findBy(scoped(this.database, scope), model, 'user_code', userCode));
  }

  async consume(scope: TenantScope, model: string, id: string): Promise<void> {
    await payloadsRepo.consume(scoped(this.database, scope), model, id, this.clock.now().toISOString());
  }

  async destroy(scope: TenantScope, model: string, id: string): Promise<void> {
    await payloadsRepo.destroy(scoped(this.database, scope), model, id);
  }

  async revokeByGrantId(scope: TenantScope, grantId: string): Promise<void> {
    await payloadsRepo.revokeByGrantId(scoped(this.database, scope), grantId);
  }

  /** The tenant that issued a code or refresh token (for `/organizations` and `/common`, which name none). */
  async tenantOf(model: 'AuthorizationCode' | 'RefreshToken', id: string): Promise<string | undefined> {
    return id ? payloadRegistry.tenantOf(this.database.db, model, id) : undefined;
  }

  /**
   * The grant an authorization code (even a redeemed one) was issued under, when it was issued to
   * `accountId`: how a relying party of this server ties its own session to the provider's grant.
   */
  async grantOfCode(scope: TenantScope, code: string, accountId: string): Promise<string | null> {
    const payload = code ? await this.find(scope, 'AuthorizationCode', code) : undefined;
    return payload?.accountId === accountId && typeof payload.grantId === 'string' ? payload.grantId : null;
  }

  /** Whether the grant still exists and belongs to `accountId` (sign-out and "sign out everywhere" delete it). */
  async grantIsLive(scope: TenantScope, grantId: string, accountId: string): Promise<boolean> {
    return (await this.find(scope, 'Grant', grantId))?.accountId === accountId;
  }

  /** Deletes the tenant's expired artifacts; returns how many. */
  purgeExpired(scope: TenantScope): Promise<number> {
    return payloadsRepo.purgeExpired(scoped(this.database, scope), this.clock.now().toISOString());
  }

  #live(row: Awaited<ReturnType<typeof payloadsRepo.find>>): StoredPayload | undefined {
    if (!row) return undefined;
    if (row.expiresAt && Date.parse(row.expiresAt) <= this.clock.now().getTime()) return undefined;
    const payload = JSON.parse(row.payload) as StoredPayload;
    if (row.consumedAt) payload.consumed = Math.floor(Date.parse(row.consumedAt) / 1000);
    return payload;
  }
}
