import { randomBytes } from 'node:crypto';
import type { TenantDb } from '../../storage/scoped.ts';
import { toJson } from '../../storage/values.ts';
import { rolesRepo } from './roles.repo.ts';
import { guestsRepo } from './guests.repo.ts';
import { keepEnabledGlobalAdministrator } from './last-global-admin.ts';
import type { ObjectIdentity, User } from './user.types.ts';
import { usersRepo } from './users.repo.ts';
import { tenantsRepo } from './tenants.repo.ts';
import type { Tenant } from './tenant.types.ts';

/** An invited user as the invitations module asks for one. */
export interface InvitedUser {
  email: string;
  displayName: string;
  userType: 'Guest' | 'Member';
  /** `alice_partner.example#EXT#@contoso.example` */
  userPrincipalName: string;
  mailNickname: string;
  /** the tenant's initial domain: the issuer of the guest's userPrincipalName identity */
  initialDomain: string;
}

/**
 * The directory work of B2B invitations, done inside the invitations module's own transaction
 * (`tdb`): invited users are users, so only this module writes them. Nothing here authorizes; the
 * invitations service has done that (and calls `targetRoleTemplateIds` for the target's side).
 */
export const guestDirectory = Object.freeze({
  findById(tdb: TenantDb, id: string): Promise<User | undefined> {
    return usersRepo.findById(tdb, id);
  },

  /** The tenant of `tdb` (name, initial domain, privacy profile, cloud type), read in the caller's transaction. */
  tenant(tdb: TenantDb): Promise<Tenant | undefined> {
    return tenantsRepo.get(tdb);
  },

  findByMailOrUpn: guestsRepo.findByMailOrUpn,
  pendingGuestsWithAddress: guestsRepo.pendingGuestsWithAddress,

  /**
   * Creates the invited user at once, as Entra does: externalUserState PendingAcceptance,
   * creationType Invitation, mail = the invited address, the UPN as its first identity. A UPN that
   * is already taken (an earlier guest with a similar address) gets a short random suffix.
   */
  async createInvited(tdb: TenantDb, guest: InvitedUser, id: string, now: string): Promise<User> {
    let upn = guest.userPrincipalName;
    for (let attempt = 0; await usersRepo.upnTaken(tdb, upn); attempt++) {
      if (attempt >= 5) throw new Error('no free guest userPrincipalName');
      upn = guest.userPrincipalName.replace('#EXT#', `${randomBytes(2).toString('hex')}#EXT#`);
    }
    await usersRepo.insert(
      tdb,
      {
        id,
        userPrincipalName: upn,
        displayName: guest.displayName,
        mailNickname: guest.mailNickname,
        accountEnabled: true,
        userType: guest.userType,
        mail: guest.email,
        proxyAddresses: [`SMTP:${guest.email}`],
        identities: [{ signInType: 'userPrincipalName', issuer: guest.initialDomain, issuerAssignedId: upn }],
        externalUserState: 'PendingAcceptance',
        creationType: 'Invitation',
      },
      now,
    );
    return (await usersRepo.findById(tdb, id))!;
  },

  /** Sets externalUserState (and its change time) and, when given, the sign-in identities. */
  async setExternalState(tdb: TenantDb, userId: string, state: 'PendingAcceptance' | 'Accepted', now: string, identities?: ObjectIdentity[]): Promise<void> {
    await usersRepo.update(tdb, userId, {
      external_user_state: state,
      external_user_state_change_at: now,
      updated_at: now,
      ...(identities ? { identities: toJson(identities) } : {}),
    });
  },

  /** Updates the display name of an invited user that has not redeemed yet (a re-invite may name them). */
  async rename(tdb: TenantDb, userId: string, displayName: string, now: string): Promise<void> {
    await usersRepo.update(tdb, userId, { display_name: displayName, updated_at: now });
  },

  /** Adds an address to otherMails (reset redemption to a new address). */
  async addOtherMail(tdb: TenantDb, user: User, address: string, now: string): Promise<void> {
    if (user.otherMails.some((mail) => mail.toLowerCase() === address.toLowerCase())) return;
    await usersRepo.update(tdb, user.id, { other_mails: toJson([...user.otherMails, address]), updated_at: now });
  },

  /** The template ids of the directory roles a user holds (the target's side of sensitive actions). */
  async targetRoleTemplateIds(tdb: TenantDb, userId: string): Promise<Set<string>> {
    return new Set((await rolesRepo.rolesOf(tdb, userId)).map((role) => role.roleTemplateId));
  },

  /** Deletes a guest who leaves the organization (never the tenant's last enabled Global Administrator). */
  async remove(tdb: TenantDb, userId: string): Promise<boolean> {
    await keepEnabledGlobalAdministrator(tdb, userId, 'deleted');
    return usersRepo.delete(tdb, userId);
  },
});
