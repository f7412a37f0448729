import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { keysRepo } from './keys.repo.ts';

/** Every tenant signs with one key per algorithm: RS256 for ID tokens, the configured one for access tokens. */
export const SIGNING_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/**
 * How long a retired key stays published after rotation: longer than any token it signed lives
 * (access and ID tokens live one hour; refresh tokens are opaque and not signed).
 */
export const RETIRED_KEY_GRACE_SECONDS = 24 * 60 * 60;

export interface TenantKeys {
  /** changes whenever the set of keys changes, so caches know to rebuild */
  version: string;
  /** private JWKs, active keys first (they sign), then retired ones (still published) */
  privateJwks: JWK[];
  publicJwks: JWK[];
}

/** Per-tenant signing keys: created with the tenant, rotated on demand, purged after their grace period. */
export class SigningKeysService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
  ) {}

  /** TenantProvisioner: a fresh tenant gets its keys inside its creation transaction. */
  readonly provision = async (tdb: TenantDb): Promise<void> => {
    await this.#createKeys(tdb);
  };

  async rotate(scope: TenantScope): Promise<{ activeKids: string[]; retiredKids: string[] }> {
    return inTransaction(this.database, scope, async (tdb) => {
      const now = this.clock.now();
      const before = await keysRepo.list(tdb);
      await keysRepo.retireActive(tdb, now.toISOString(), new Date(now.getTime() + RETIRED_KEY_GRACE_SECONDS * 1000).toISOString());
      const activeKids = await this.#createKeys(tdb);
      const retiredKids = before.filter((k) => k.status === 'active').map((k) => k.kid);
      await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Rotate signing keys', targetType: 'organization', targetId: scope.tenantId, details: { activeKids, retiredKids } });
      return { activeKids, retiredKids };
    });
  }

  async keys(scope: TenantScope): Promise<TenantKeys> {
    const rows = (await keysRepo.list(scoped(this.database, scope))).sort((a, b) => (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1));
    return {
      version: rows.map((r) => `${r.kid}:${r.status}`).join(','),
      privateJwks: rows.map((r) => JSON.parse(this.secrets.open(r.privateJwkSealed)) as JWK),
      publicJwks: rows.map((r) => JSON.parse(r.publicJwk) as JWK),
    };
  }

  async publicJwks(scope: TenantScope): Promise<JWK[]> {
    return (await keysRepo.list(scoped(this.database, scope))).map((r) => JSON.parse(r.publicJwk) as JWK);
  }

  /** Removes retired keys whose grace period has passed. */
  purge(scope: TenantScope): Promise<number> {
    return keysRepo.removeRetired(scoped(this.database, scope), this.clock.now().toISOString());
  }

  async #createKeys(tdb: TenantDb): Promise<string[]> {
    const kids: string[] = [];
    const createdAt = this.clock.now().toISOString();
    for (const alg of SIGNING_ALGS) {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
      const kid = newId().replaceAll('-', '');
      const meta = { kid, alg, use: 'sig' };
      const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
      const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
      await keysRepo.insert(tdb, { kid, alg, publicJwk: JSON.stringify(publicJwk), privateJwkSealed: this.secrets.seal(JSON.stringify(privateJwk)), createdAt });
      kids.push(kid);
    }
    return kids;
  }
}
