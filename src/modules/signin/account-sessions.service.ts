import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { accountSessionsRepo } from './account-sessions.repo.ts';

/** A user's sign-in sessions at the tenant's OpenID provider, as a whole. */
export class AccountSessionsService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * "Sign out everywhere" (Graph's revokeSignInSessions, done by the user): ends every sign-in
   * session of the user and revokes their grants, codes and refresh tokens, so every browser and
   * app must sign in again. Returns how many protocol artifacts were removed.
   */
  signOutEverywhere(scope: TenantScope, userId: string): Promise<number> {
    return inTransaction(this.database, scope, async (tdb) => {
      const removed = await accountSessionsRepo.destroyByAccount(tdb, userId);
      await recordAudit(tdb, this.clock, { actorId: userId, actorType: 'user', action: 'Revoke sign-in sessions', targetType: 'user', targetId: userId, details: { removed } });
      return removed;
    });
  }

  /** The same revocation inside a caller's transaction (an administrator's password reset or account disable). */
  readonly revokeWithin = async (tdb: TenantDb, userId: string): Promise<void> => {
    await accountSessionsRepo.destroyByAccount(tdb, userId);
  };
}
