import type { TenantDb } from '../../storage/scoped.ts';

/** The oidc-provider models that belong to one signed-in account (their payloads carry `accountId`). */
export const ACCOUNT_MODELS = ['Session', 'Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Tenant-scoped queries over the OIDC protocol state of one account (sessions, grants, tokens). */
export const accountSessionsRepo = Object.freeze({
  /**
   * Deletes every session, grant, code and token of `accountId`, and whatever else was issued under
   * those grants; returns how many rows went. The account id lives inside the JSON payload, so a
   * LIKE (portable across SQLite and PostgreSQL) narrows the rows and parsing confirms each match.
   */
  async destroyByAccount(tdb: TenantDb, accountId: string): Promise<number> {
    const id = accountId.toLowerCase();
    if (!GUID.test(id)) return 0;
    const rows = await tdb
      .selectFrom('oidc_payloads')
      .select(['model', 'id', 'payload'])
      .where('model', 'in', [...ACCOUNT_MODELS])
      .where('payload', 'like', `%"accountId":"${id}"%`)
      .execute();
    const owned = rows.filter((row) => (JSON.parse(row.payload) as { accountId?: unknown }).accountId === id);
    let removed = 0;
    for (const row of owned) {
      const result = await tdb.deleteFrom('oidc_payloads').where('model', '=', row.model).where('id', '=', row.id).executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    const grantIds = owned.filter((row) => row.model === 'Grant').map((row) => row.id);
    if (grantIds.length > 0) {
      const result = await tdb.deleteFrom('oidc_payloads').where('grant_id', 'in', grantIds).executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  },
});
