import type { Executor } from '../../storage/database.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import { iso } from '../../storage/values.ts';

/** One stored protocol artifact (session, code, token, grant, interaction, ...) of one tenant. */
export interface PayloadRow {
  model: string;
  id: string;
  payload: string;
  uid: string | null;
  grantId: string | null;
  userCode: string | null;
  consumedAt: string | null;
  expiresAt: string | null;
}

type Row = { model: string; id: string; payload: string; uid: string | null; grant_id: string | null; user_code: string | null; consumed_at: unknown; expires_at: unknown };

const read = (row: Row): PayloadRow => ({
  model: row.model,
  id: row.id,
  payload: row.payload,
  uid: row.uid,
  grantId: row.grant_id,
  userCode: row.user_code,
  consumedAt: iso(row.consumed_at, 'nullable'),
  expiresAt: iso(row.expires_at, 'nullable'),
});

/** Tenant-scoped storage of oidc-provider's models; rows are keyed (tenant_id, model, id). */
export const payloadsRepo = Object.freeze({
  async upsert(tdb: TenantDb, row: Omit<PayloadRow, 'consumedAt'>): Promise<void> {
    await tdb
      .insertInto('oidc_payloads', {
        model: row.model,
        id: row.id,
        payload: row.payload,
        uid: row.uid,
        grant_id: row.grantId,
        user_code: row.userCode,
        consumed_at: null,
        expires_at: row.expiresAt,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'model', 'id']).doUpdateSet({
          payload: row.payload,
          uid: row.uid,
          grant_id: row.grantId,
          user_code: row.userCode,
          expires_at: row.expiresAt,
        }),
      )
      .execute();
  },

  async find(tdb: TenantDb, model: string, id: string): Promise<PayloadRow | undefined> {
    const row = await tdb.selectFrom('oidc_payloads').selectAll().where('model', '=', model).where('id', '=', id).executeTakeFirst();
    return row ? read(row) : undefined;
  },

  async findBy(tdb: TenantDb, model: string, column: 'uid' | 'user_code', value: string): Promise<PayloadRow | undefined> {
    const row = await tdb.selectFrom('oidc_payloads').selectAll().where('model', '=', model).where(column, '=', value).executeTakeFirst();
    return row ? read(row) : undefined;
  },

  async consume(tdb: TenantDb, model: string, id: string, at: string): Promise<void> {
    await tdb.updateTable('oidc_payloads').set({ consumed_at: at }).where('model', '=', model).where('id', '=', id).execute();
  },

  async destroy(tdb: TenantDb, model: string, id: string): Promise<void> {
    await tdb.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
  },

  async revokeByGrantId(tdb: TenantDb, grantId: string): Promise<number> {
    const result = await tdb.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  async purgeExpired(tdb: TenantDb, before: string): Promise<number> {
    const result = await tdb.deleteFrom('oidc_payloads').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});

/**
 * The one cross-tenant question about protocol artifacts: which tenant issued an authorization
 * code or refresh token presented at `/organizations` or `/common`, where the URL names no tenant.
 * The ids are 256-bit random values, so the lookup reveals nothing to someone without one.
 */
export const payloadRegistry = Object.freeze({
  async tenantOf(ex: Executor, model: 'AuthorizationCode' | 'RefreshToken', id: string): Promise<string | undefined> {
    const row = await ex.selectFrom('oidc_payloads').select('tenant_id').where('model', '=', model).where('id', '=', id).executeTakeFirst();
    return row?.tenant_id;
  },
});
