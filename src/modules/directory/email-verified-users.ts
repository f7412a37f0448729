import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import { hashPassword, passwordProblem } from '../../kernel/passwords.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { User } from './user.types.ts';
import { usersRepo } from './users.repo.ts';

/** What a person gives when creating an account for the address they proved they receive mail at. */
export interface EmailVerifiedUserInput {
  /** lower-cased; its ownership was proven by a one-time code before this is called */
  email: string;
  displayName: string;
  password: string;
}

/**
 * Self-service accounts (Entra's `creationType: EmailVerified`): people with no organizational
 * account create one during B2B redemption, in the personal-accounts tenant. The sign-in name is
 * the verified address itself, in whatever domain it has (gmail.com, a partner's domain...), so
 * unlike `UsersService.createMember` no verified-domain rule applies; `mail` is that address.
 * One account per address (the UPN is unique), the password follows the tenant password rules.
 */
export async function createEmailVerifiedUser(database: Database, clock: Clock, scope: TenantScope, input: EmailVerifiedUserInput): Promise<User> {
  const problem = passwordProblem(input.password);
  if (problem) throw DirectoryErrors.invalidPassword(problem);
  const email = input.email.trim().toLowerCase();
  const displayName = input.displayName.trim();
  const passwordHash = await hashPassword(input.password);
  const now = clock.now().toISOString();
  const id = newId();
  try {
    return await inTransaction(database, scope, async (tdb) => {
      if (await usersRepo.upnTaken(tdb, email)) throw DirectoryErrors.duplicateUpn(email);
      await usersRepo.insert(
        tdb,
        {
          id,
          userPrincipalName: email,
          displayName,
          mailNickname: email.slice(0, email.indexOf('@')).replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64) || 'user',
          accountEnabled: true,
          userType: 'Member',
          mail: email,
          proxyAddresses: [`SMTP:${email}`],
          identities: [{ signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: email }],
          creationType: 'EmailVerified',
        },
        now,
      );
      await usersRepo.setPasswordHash(tdb, id, passwordHash, now, false);
      await recordAudit(tdb, clock, { actorId: id, actorType: 'user', action: 'Add user', targetType: 'user', targetId: id, details: { userPrincipalName: email, creationType: 'EmailVerified' } });
      return (await usersRepo.findById(tdb, id))!;
    });
  } catch (error) {
    if (uniqueViolation(error)) throw DirectoryErrors.duplicateUpn(email);
    throw error;
  }
}
