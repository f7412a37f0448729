import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import type { User, UsersService } from '../directory/index.ts';
import { lockoutRepo } from './lockout.repo.ts';

/** Smart lockout (as Entra's): 10 failures from one source lock that (account, source) pair. */
export const LOCKOUT_THRESHOLD = 10;
export const FIRST_LOCKOUT_SECONDS = 60;

export type SignInOutcome =
  | { outcome: 'ok'; user: User }
  /** the password is right, but must be replaced (`changeRequiredPassword`) before the sign-in completes */
  | { outcome: 'mustChangePassword'; user: User; credentialStamp: string }
  | { outcome: 'unknownUser' | 'badPassword' | 'disabled' }
  | { outcome: 'locked'; until: string };

/**
 * Password sign-in with smart lockout. A source (the client's IP) that guesses wrong ten times is
 * locked out of that account for a minute, doubling with each further lock; other sources, such as
 * the real user elsewhere, are not affected. A success clears the source's counter.
 */
export class SignInService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  /** The account a sign-in name (userPrincipalName) names; object ids are not sign-in names. */
  async findUser(scope: TenantScope, username: string): Promise<User | undefined> {
    const name = username.trim();
    return name.includes('@') ? this.users.find(scope, name) : undefined;
  }

  async attempt(scope: TenantScope, input: { username: string; password: string; source: string }): Promise<SignInOutcome> {
    const user = await this.findUser(scope, input.username);
    // an unknown name still goes through the password check (a dummy hash): the same work, the same
    // time; so does a guest's, since guests sign in at home, never with a password here (B2B)
    if (!user || user.userType === 'Guest') {
      await this.users.verifyPassword(scope, input.username, input.password);
      return { outcome: 'unknownUser' };
    }
    const now = this.clock.now();
    const current = await lockoutRepo.get(scoped(this.database, scope), user.id, input.source);
    if (current?.lockedUntil && Date.parse(current.lockedUntil) > now.getTime()) return { outcome: 'locked', until: current.lockedUntil };
    // The password hash is checked outside any transaction (argon2 is slow; SQLite has one connection).
    const result = await this.users.verifyPassword(scope, user.userPrincipalName, input.password, user);
    if (result.outcome === 'badPassword') {
      await inTransaction(this.database, scope, async (tdb) => {
        const state = await lockoutRepo.recordFailure(tdb, user.id, input.source, now.toISOString());
        // After a first lock has expired, every further failure locks again, for twice as long.
        const threshold = state.lockouts === 0 ? LOCKOUT_THRESHOLD : 1;
        if (state.failures >= threshold) {
          const until = new Date(now.getTime() + FIRST_LOCKOUT_SECONDS * 1000 * 2 ** state.lockouts).toISOString();
          await lockoutRepo.lock(tdb, user.id, input.source, until, now.toISOString());
          await recordAudit(tdb, this.clock, { actorId: null, actorType: 'system', action: 'Sign-in locked out', targetType: 'user', targetId: user.id, details: { source: input.source, until } });
        }
      });
      return { outcome: 'badPassword' };
    }
    if (result.outcome === 'disabled') return { outcome: 'disabled' };
    if ((result.outcome !== 'ok' && result.outcome !== 'mustChangePassword') || !result.user) return { outcome: 'unknownUser' };
    if (current) await lockoutRepo.clear(scoped(this.database, scope), user.id, input.source);
    if (result.outcome === 'mustChangePassword') return { outcome: 'mustChangePassword', user: result.user, credentialStamp: result.credentialStamp };
    return { outcome: 'ok', user: result.user };
  }

  /**
   * The second half of a sign-in whose password must be changed (Entra's "Update your password"):
   * `credentialStamp` comes from the `mustChangePassword` outcome of `attempt`.
   */
  changeRequiredPassword(scope: TenantScope, input: { userId: string; credentialStamp: string; newPassword: string }): Promise<'changed' | 'weak' | 'sameAsOld' | 'stale'> {
    return this.users.changeRequiredPassword(scope, input.userId, input.credentialStamp, input.newPassword);
  }

  /** Whether an existing session's account must change its password (and so sign in with it) first. */
  passwordChangeRequired(scope: TenantScope, userId: string): Promise<boolean> {
    return this.users.passwordChangeRequired(scope, userId);
  }
}
