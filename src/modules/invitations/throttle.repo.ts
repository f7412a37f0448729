import type { TenantDb } from '../../storage/scoped.ts';

/** Invitation calls counted per tenant per fixed window, in the database (so every node shares the count). */
export const throttleRepo = Object.freeze({
  /** Counts one call in `window` and returns the window's count so far (this call included). */
  async hit(tdb: TenantDb, window: number): Promise<number> {
    const row = await tdb
      .insertInto('invitation_throttle', { window_start: window, calls: 1 })
      .onConflict((oc) => oc.columns(['tenant_id', 'window_start']).doUpdateSet((eb) => ({ calls: eb('invitation_throttle.calls', '+', 1) })))
      .returning('calls')
      .executeTakeFirstOrThrow();
    return Number(row.calls);
  },

  /** Forgets the windows before `window` (called when a new window opens). */
  async purgeBefore(tdb: TenantDb, window: number): Promise<number> {
    const result = await tdb.deleteFrom('invitation_throttle').where('window_start', '<', window).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
