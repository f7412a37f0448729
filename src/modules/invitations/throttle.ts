import { AppError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { throttleRepo } from './throttle.repo.ts';

/**
 * Graph's invitation manager limit (graph-reference §1.4, §11.5): 150 calls to POST /invitations
 * per 5 seconds per tenant, then 429 with Retry-After. Counted in fixed 5-second windows in the
 * database, so the limit holds for the tenant across every node. A bulk upload counts as one call.
 */
export const INVITE_THROTTLE = { calls: 150, windowMs: 5_000 } as const;

/** Counts one call for the tenant; throws `throttled` (with `details.retryAfterSeconds`) past the limit. */
export async function admitInvitation(database: Database, clock: Clock, scope: TenantScope): Promise<void> {
  const now = clock.now().getTime();
  const window = Math.floor(now / INVITE_THROTTLE.windowMs);
  const calls = await inTransaction(database, scope, async (tdb) => {
    const count = await throttleRepo.hit(tdb, window);
    if (count === 1) await throttleRepo.purgeBefore(tdb, window);
    return count;
  });
  if (calls > INVITE_THROTTLE.calls) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * INVITE_THROTTLE.windowMs - now) / 1000));
    throw new AppError('throttled', 'invitations.throttled', `Too many invitations were sent by this organization in a short time. Retry after ${retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds },
    });
  }
}
