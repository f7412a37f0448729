import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  publicJwk: string;
  privateJwkSealed: string;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
  removeAfter: string | null;
}

/** A tenant's token-signing keys: private halves sealed with the server secret. */
export const keysRepo = Object.freeze({
  async insert(tdb: TenantDb, key: Omit<SigningKeyRow, 'retiredAt' | 'removeAfter' | 'status'>): Promise<void> {
    await tdb
      .insertInto('signing_keys', {
        kid: key.kid,
        alg: key.alg,
        public_jwk: key.publicJwk,
        private_jwk_sealed: key.privateJwkSealed,
        status: 'active',
        created_at: key.createdAt,
        retired_at: null,
        remove_after: null,
      })
      .execute();
  },

  async list(tdb: TenantDb): Promise<SigningKeyRow[]> {
    const rows = await tdb.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid').execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      publicJwk: row.public_jwk,
      privateJwkSealed: row.private_jwk_sealed,
      status: row.status,
      createdAt: iso(row.created_at),
      retiredAt: iso(row.retired_at, 'nullable'),
      removeAfter: iso(row.remove_after, 'nullable'),
    }));
  },

  async retireActive(tdb: TenantDb, at: string, removeAfter: string): Promise<number> {
    const result = await tdb.updateTable('signing_keys').set({ status: 'retired', retired_at: at, remove_after: removeAfter }).where('status', '=', 'active').executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  async removeRetired(tdb: TenantDb, before: string): Promise<number> {
    const result = await tdb.deleteFrom('signing_keys').where('status', '=', 'retired').where('remove_after', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
