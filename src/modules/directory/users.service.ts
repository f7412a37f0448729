import { createHash } from 'node:crypto';
import { readBody, requireFields } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import { newId, isGuid } from '../../kernel/ids.ts';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from '../../kernel/passwords.ts';
import type { Database } from '../../storage/database.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, authorizeGuestTarget, authorizeUserChanges } from './access/authorize.ts';
import { actorOf, type Principal } from './access/principal.ts';
import { userChangesOf, type UserChange } from './access/sensitive-actions.ts';
import { DirectoryErrors } from './directory.errors.ts';
import { keepEnabledGlobalAdministrator } from './last-global-admin.ts';
import { rolesRepo } from './roles.repo.ts';
import { tenantsRepo } from './tenants.repo.ts';
import { userBodySpec, type PasswordProfile } from './user.schemas.ts';
import { userStringColumns, type User } from './user.types.ts';
import { type NewUser, type UserColumnPatch, usersRepo } from './users.repo.ts';
import { listUsers, type ListQuery, type Page } from './listing.repo.ts';

type UserInput = Partial<User> & { passwordProfile?: PasswordProfile };

/**
 * Work another module does in the transaction that resets a user's password or disables the
 * account: the sign-in module revokes the user's sessions and refresh tokens, as Entra does.
 */
export type CredentialRevocation = (tdb: TenantDb, userId: string) => Promise<void>;

/** Use-cases on users. Each write is one transaction with its audit record. */
export class UsersService {
  readonly #revocations: CredentialRevocation[] = [];

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  onCredentialRevocation(revocation: CredentialRevocation): void {
    this.#revocations.push(revocation);
  }

  async create(scope: TenantScope, principal: Principal, body: unknown): Promise<User> {
    authorize(principal, 'users.create');
    const input = readBody<UserInput>(body, userBodySpec, 'microsoft.graph.user');
    requireFields(input, ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName'], 'user');
    const profile = input.passwordProfile;
    if (!profile || typeof profile.password !== 'string') {
      throw DirectoryErrors.invalidPassword("Property 'passwordProfile' with a 'password' is required when creating a user.");
    }
    // Graph's default: a password an administrator chose must be changed at the first sign-in.
    const forceChangePasswordNextSignIn = profile.forceChangePasswordNextSignIn ?? true;
    return this.createMember(scope, principal, { ...(input as NewUserFields), password: profile.password, forceChangePasswordNextSignIn });
  }

  /**
   * Creates a member with a password (Graph, CLI and first start all come through here). The
   * password must be changed at the first sign-in only when `forceChangePasswordNextSignIn` says so.
   */
  async createMember(scope: TenantScope, principal: Principal, input: NewUserFields & { password: string; forceChangePasswordNextSignIn?: boolean }): Promise<User> {
    const problem = passwordProblem(input.password);
    if (problem) throw DirectoryErrors.invalidPassword(problem);
    const passwordHash = await hashPassword(input.password);
    const now = this.clock.now().toISOString();
    const id = newId();
    try {
      return await inTransaction(this.database, scope, async (tdb) => {
        await this.assertUpnAvailable(tdb, input.userPrincipalName);
        const user: NewUser = {
          ...pickUserFields(input),
          id,
          userPrincipalName: input.userPrincipalName,
          displayName: input.displayName,
          mailNickname: input.mailNickname,
          accountEnabled: input.accountEnabled,
          userType: input.userType ?? 'Member',
          proxyAddresses: input.mail ? [`SMTP:${input.mail}`] : [],
        };
        await usersRepo.insert(tdb, user, now);
        const forceChangePasswordNextSignIn = input.forceChangePasswordNextSignIn ?? false;
        await usersRepo.setPasswordHash(tdb, id, passwordHash, now, forceChangePasswordNextSignIn);
        await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Add user', targetType: 'user', targetId: id, details: { userPrincipalName: user.userPrincipalName, forceChangePasswordNextSignIn } });
        return (await usersRepo.findById(tdb, id))!;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw DirectoryErrors.duplicateUpn(input.userPrincipalName);
      throw error;
    }
  }

  async get(scope: TenantScope, principal: Principal, idOrUpn: string): Promise<User> {
    authorize(principal, 'users.read');
    const user = await this.find(scope, idOrUpn);
    if (!user) throw DirectoryErrors.objectNotFound(idOrUpn);
    // a Restricted Guest User reads their own object only (access/guest-access.ts)
    authorizeGuestTarget(principal, 'users.read', user.id);
    return user;
  }

  /** The signed-in user's own profile (`/me`). */
  async me(scope: TenantScope, principal: Principal): Promise<User> {
    if (principal.kind !== 'user') throw DirectoryErrors.meRequiresUser();
    authorize(principal, 'me.read');
    const user = await usersRepo.findById(scoped(this.database, scope), principal.userId);
    if (!user) throw DirectoryErrors.objectNotFound(principal.userId);
    return user;
  }

  async find(scope: TenantScope, idOrUpn: string): Promise<User | undefined> {
    const tdb = scoped(this.database, scope);
    return isGuid(idOrUpn) ? usersRepo.findById(tdb, idOrUpn.toLowerCase()) : usersRepo.findByUpn(tdb, idOrUpn);
  }

  list(scope: TenantScope, principal: Principal, query: ListQuery): Promise<Page<Partial<User>>> {
    authorize(principal, 'users.list');
    return listUsers(scoped(this.database, scope), query);
  }

  async update(scope: TenantScope, principal: Principal, idOrUpn: string, body: unknown): Promise<void> {
    authorize(principal, 'users.update');
    const input = readBody<UserInput>(body, userBodySpec, 'microsoft.graph.user');
    // The caller's side of each change first (scopes, app permissions, directory actions), so a
    // change that can never be allowed is refused before the password is hashed.
    const changes = userChangesOf(input as Record<string, unknown>);
    authorizeUserChanges(principal, changes);
    const profile = input.passwordProfile ?? undefined;
    const newPassword = profile?.password;
    if (newPassword !== undefined) {
      const problem = typeof newPassword === 'string' ? passwordProblem(newPassword) : 'The password must be a string.';
      if (problem) throw DirectoryErrors.invalidPassword(problem);
    }
    const passwordHash = newPassword ? await hashPassword(newPassword) : null;
    // A reset (new password) defaults to "change at next sign-in", as in Graph; the flag alone can
    // also be set or cleared without a new password.
    const forceChange = profile?.forceChangePasswordNextSignIn ?? (passwordHash ? true : undefined);
    const now = this.clock.now().toISOString();
    try {
      await inTransaction(this.database, scope, async (tdb) => {
        const user = await findIn(tdb, idOrUpn);
        if (!user) throw DirectoryErrors.objectNotFound(idOrUpn);
        await authorizeChangesTo(tdb, principal, changes, user.id);
        if (input.accountEnabled === false) await keepEnabledGlobalAdministrator(tdb, user.id, 'disabled');
        if (input.userPrincipalName && input.userPrincipalName.toLowerCase() !== user.userPrincipalName.toLowerCase()) {
          await this.assertUpnAvailable(tdb, input.userPrincipalName, user.id);
        }
        const patch: UserColumnPatch = { updated_at: now };
        for (const [property, column] of Object.entries(userStringColumns)) {
          const value = (input as Record<string, unknown>)[property];
          if (value !== undefined) (patch as Record<string, unknown>)[column] = value;
        }
        if (input.accountEnabled !== undefined) patch.account_enabled = input.accountEnabled;
        if (input.userType !== undefined) patch.user_type = input.userType;
        if (input.otherMails !== undefined) patch.other_mails = JSON.stringify(input.otherMails);
        if (input.businessPhones !== undefined) patch.business_phones = JSON.stringify(input.businessPhones);
        if (input.mail !== undefined) patch.proxy_addresses = JSON.stringify(mergePrimaryProxy(user.proxyAddresses, input.mail));
        await usersRepo.update(tdb, user.id, patch);
        if (passwordHash) await usersRepo.setPasswordHash(tdb, user.id, passwordHash, now, forceChange ?? true);
        else if (forceChange !== undefined) await usersRepo.setForceChangePassword(tdb, user.id, forceChange);
        // a new password or a disabled account ends every session and refresh token of the user
        if (passwordHash || input.accountEnabled === false) for (const revoke of this.#revocations) await revoke(tdb, user.id);
        await recordAudit(tdb, this.clock, {
          ...actorOf(principal),
          action: 'Update user',
          targetType: 'user',
          targetId: user.id,
          details: {
            properties: Object.keys(input).filter((k) => k !== 'passwordProfile'),
            passwordChanged: Boolean(passwordHash),
            ...(forceChange !== undefined ? { forceChangePasswordNextSignIn: forceChange } : {}),
          },
        });
      });
    } catch (error) {
      if (uniqueViolation(error)) throw DirectoryErrors.duplicateUpn(String(input.userPrincipalName));
      throw error;
    }
  }

  /**
   * `POST /users/{id}/revokeSignInSessions`: ends every sign-in session, grant and refresh token of
   * the user (the revocation hooks), authorized like a password reset on that target.
   */
  async revokeSignInSessions(scope: TenantScope, principal: Principal, idOrUpn: string): Promise<void> {
    authorize(principal, 'users.revokeSessions');
    authorizeUserChanges(principal, ['revokeSessions']);
    await inTransaction(this.database, scope, async (tdb) => {
      const user = await findIn(tdb, idOrUpn);
      if (!user) throw DirectoryErrors.objectNotFound(idOrUpn);
      await authorizeChangesTo(tdb, principal, ['revokeSessions'], user.id);
      await this.revokeWithin(tdb, user.id);
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Revoke sign-in sessions', targetType: 'user', targetId: user.id, details: { userPrincipalName: user.userPrincipalName } });
    });
  }

  /** Every revocation hook, in the caller's transaction (sessions, grants and refresh tokens of the user end). */
  async revokeWithin(tdb: TenantDb, userId: string): Promise<void> {
    for (const revoke of this.#revocations) await revoke(tdb, userId);
  }

  async delete(scope: TenantScope, principal: Principal, idOrUpn: string): Promise<void> {
    authorize(principal, 'users.delete');
    authorizeUserChanges(principal, ['delete']);
    await inTransaction(this.database, scope, async (tdb) => {
      const user = await findIn(tdb, idOrUpn);
      if (!user) throw DirectoryErrors.objectNotFound(idOrUpn);
      if (principal.kind === 'user' && principal.userId === user.id) throw DirectoryErrors.cannotDeleteSelf();
      await authorizeChangesTo(tdb, principal, ['delete'], user.id);
      await keepEnabledGlobalAdministrator(tdb, user.id, 'deleted');
      await usersRepo.delete(tdb, user.id);
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action: 'Delete user', targetType: 'user', targetId: user.id, details: { userPrincipalName: user.userPrincipalName } });
    });
  }

  /**
   * Checks a member's sign-in name and password. Returns the user only when both match and the
   * account is enabled; the caller decides what to tell the person (sign-in pages never reveal which part failed).
   * `mustChangePassword` means the password is right but has to be replaced before the sign-in
   * completes (`changeRequiredPassword`, with the `credentialStamp` returned here).
   */
  async verifyPassword(scope: TenantScope, upn: string, password: string, found?: User): Promise<PasswordCheck> {
    const tdb = scoped(this.database, scope);
    // `found`: the account the caller has just read by this same sign-in name (saves a second read)
    const user = found ?? (await usersRepo.findByUpn(tdb, upn));
    // No account, or one without a password: the same argon2 work against a dummy hash, so the
    // time this takes does not reveal which sign-in names exist.
    if (!user) {
      await verifyAgainstDummy(password);
      return { user: null, outcome: 'unknownUser' };
    }
    const credential = await usersRepo.credential(tdb, user.id);
    const matches = credential ? await verifyPassword(credential.passwordHash, password) : await verifyAgainstDummy(password);
    if (!credential || !matches) return { user, outcome: 'badPassword' };
    if (!user.accountEnabled) return { user, outcome: 'disabled' };
    if (credential.forceChangePasswordNextSignIn) return { user, outcome: 'mustChangePassword', credentialStamp: credentialStamp(credential.passwordHash) };
    return { user, outcome: 'ok' };
  }

  /** Whether the user's password must be changed before they may sign in again. */
  async passwordChangeRequired(scope: TenantScope, userId: string): Promise<boolean> {
    return (await usersRepo.credential(scoped(this.database, scope), userId))?.forceChangePasswordNextSignIn ?? false;
  }

  /**
   * The forced password change at sign-in: the user has just proven the current password
   * (`verifyPassword` gave `credentialStamp`) and picks a new one, which must follow the password
   * rules and differ from the current one. The new hash and the cleared flag are written in one
   * transaction with the audit record, and only while the credential is still the one that was
   * verified (`stale` when an administrator reset it in between, or the account was disabled).
   */
  async changeRequiredPassword(scope: TenantScope, userId: string, stamp: string, newPassword: string): Promise<'changed' | 'weak' | 'sameAsOld' | 'stale'> {
    const tdb = scoped(this.database, scope);
    const [user, credential] = await Promise.all([usersRepo.findById(tdb, userId), usersRepo.credential(tdb, userId)]);
    if (!user?.accountEnabled || !credential?.forceChangePasswordNextSignIn || credentialStamp(credential.passwordHash) !== stamp) return 'stale';
    if (passwordProblem(newPassword)) return 'weak';
    // argon2 runs outside the transaction (slow; SQLite has one connection)
    if (await verifyPassword(credential.passwordHash, newPassword)) return 'sameAsOld';
    const hash = await hashPassword(newPassword);
    const now = this.clock.now().toISOString();
    return inTransaction(this.database, scope, async (tx) => {
      if (!(await usersRepo.replacePassword(tx, userId, credential.passwordHash, hash, now))) return 'stale';
      await recordAudit(tx, this.clock, { actorId: userId, actorType: 'user', action: 'Change user password', targetType: 'user', targetId: userId, details: { reason: 'forceChangePasswordNextSignIn' } });
      return 'changed';
    });
  }

  count(scope: TenantScope, userType?: 'Member' | 'Guest'): Promise<number> {
    return usersRepo.count(scoped(this.database, scope), userType);
  }

  private async assertUpnAvailable(tdb: TenantDb, upn: string, exceptId?: string): Promise<void> {
    const domain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
    const verified = await tenantsRepo.verifiedDomainNames(tdb);
    // Guests' #EXT# names live under the initial domain too, so the same check covers them.
    if (!verified.includes(domain)) throw DirectoryErrors.invalidUpnDomain(upn);
    if (await usersRepo.upnTaken(tdb, upn, exceptId)) throw DirectoryErrors.duplicateUpn(upn);
  }
}

export type PasswordCheck =
  | { user: User; outcome: 'ok' | 'badPassword' | 'disabled' }
  | { user: User; outcome: 'mustChangePassword'; credentialStamp: string }
  | { user: null; outcome: 'unknownUser' };

/**
 * An opaque name for one stored password (its hash has a random salt, so every new password gets
 * a new stamp): carried by the sign-in between "password verified" and "password changed".
 */
function credentialStamp(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
}

export type NewUserFields = Omit<NewUser, 'id' | 'userType'> & { userType?: 'Member' | 'Guest' };

/**
 * The target's side of sensitive changes (access/sensitive-actions.ts): who may change what depends
 * on the roles the target holds, read in the transaction that makes the change.
 */
async function authorizeChangesTo(tdb: TenantDb, principal: Principal, changes: Iterable<UserChange>, userId: string): Promise<void> {
  const roleTemplateIds = new Set((await rolesRepo.rolesOf(tdb, userId)).map((role) => role.roleTemplateId));
  authorizeUserChanges(principal, changes, { id: userId, roleTemplateIds });
}

function findIn(tdb: TenantDb, idOrUpn: string): Promise<User | undefined> {
  return isGuid(idOrUpn) ? usersRepo.findById(tdb, idOrUpn.toLowerCase()) : usersRepo.findByUpn(tdb, idOrUpn);
}

function pickUserFields(input: Partial<NewUser>): Partial<NewUser> {
  const { givenName, surname, mail, otherMails, businessPhones, usageLocation, jobTitle, department, companyName, officeLocation, mobilePhone, preferredLanguage, city, state, country, streetAddress, postalCode, employeeId } = input;
  return { givenName, surname, mail, otherMails, businessPhones, usageLocation, jobTitle, department, companyName, officeLocation, mobilePhone, preferredLanguage, city, state, country, streetAddress, postalCode, employeeId };
}

/** Setting `mail` makes it the primary SMTP proxy address and keeps the others as secondary. */
function mergePrimaryProxy(existing: string[], mail: string | null): string[] {
  const others = existing.filter((p) => !p.startsWith('SMTP:') && p.toLowerCase() !== `smtp:${mail?.toLowerCase()}`);
  const demoted = existing.filter((p) => p.startsWith('SMTP:') && p.slice(5).toLowerCase() !== mail?.toLowerCase()).map((p) => `smtp:${p.slice(5)}`);
  return mail ? [`SMTP:${mail}`, ...others, ...demoted] : [...others, ...demoted];
}
