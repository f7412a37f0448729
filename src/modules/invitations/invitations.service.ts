import type { Clock } from '../../kernel/clock.ts';
import { isGuid, newId } from '../../kernel/ids.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import { lockInvariant } from '../../storage/invariant-lock.ts';
import { uniqueViolation } from '../../storage/constraints.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import {
  actorOf,
  authorize,
  authorizeUserChanges,
  GLOBAL_ADMINISTRATOR,
  guestDirectory,
  GUEST_INVITER,
  USER_ADMINISTRATOR,
  type GuestAccessLevel,
  type ObjectIdentity,
  type Principal,
  type Tenant,
  type TenantsService,
  type User,
  type UsersService,
} from '../directory/index.ts';
import type { MailService } from '../mail/index.ts';
import { isConsumerDomain } from './consumer-domains.ts';
import { domainAllowed, domainOf } from './domain-lists.ts';
import { guestMailNickname, guestUpn } from './guest-upn.ts';
import { invitationMail } from './invitation-mail.ts';
import { parseInvitation, type InvitationRequest } from './invitation.schemas.ts';
import type { ExternalCollaborationSettings, GuestMembership, HomeIdentity, Invitation, InvitationInput, TicketView } from './invitation.types.ts';
import { InvitationErrors } from './invitations.errors.ts';
import { homeLinkRegistry, homeLinksRepo, invitationsRepo, type InvitationRecord } from './invitations.repo.ts';
import { CollaborationPoliciesService, defaultPolicies, settingsOf } from './policies.service.ts';
import { policiesRepo } from './policies.repo.ts';
import { admitInvitation } from './throttle.ts';
import { looksLikeTicket, newTicket, redeemUrl, ticketHash, ticketMatches, TICKET } from './tickets.ts';
import { federatedIdentityOf, validHome } from './home-identity.ts';

export interface InvitationsDependencies {
  database: Database;
  clock: Clock;
  secrets: SecretBox;
  mail: MailService;
  tenants: TenantsService;
  users: UsersService;
  /** the public origin (TESSERA_BASE_URL), read on use: tests learn their port after building the container */
  baseUrl: () => string;
  /** how long an invitation ticket stays valid (default 90 days) */
  ticketLifetimeDays?: number;
}

/** Directory roles that may invite whatever allowInvitesFrom says short of `none` (Entra: "admins and guest inviters"). */
const INVITER_ROLES: ReadonlySet<string> = new Set([GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR, GUEST_INVITER]);
/** Roles that may invite with invitedUserType Member (graph-reference §1.1: "admins only"). */
const MEMBER_INVITER_ROLES: ReadonlySet<string> = new Set([GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR]);
/** App permissions that may invite Members too: apps that may create members with POST /users anyway. */
const MEMBER_INVITER_APP_ROLES = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];

/** A guest's home identity as its home link records it (see `guestHome`). */
export interface GuestHome {
  kind: HomeIdentity['kind'];
  issuer: string;
  subject: string;
  email: string;
  homeTenantId: string | null;
}

type SignInMatch = { guestId: string; state: 'Accepted' | 'PendingAcceptance'; redirectUrl: string | null };

/**
 * B2B invitations (issue 15): invite (Graph `POST /invitations`, bulk rows), the ticket of the
 * redeem link, redemption with the guest's home identity, finding a guest at sign-in, leaving an
 * organization, and the external collaboration policies (`policies`). Every write is one
 * transaction with its audit record (and its mail, through the outbox).
 */
export class InvitationsService {
  readonly policies: CollaborationPoliciesService;
  readonly #deps: InvitationsDependencies;
  readonly #ticketLifetimeMs: number;

  constructor(deps: InvitationsDependencies) {
    this.#deps = deps;
    this.#ticketLifetimeMs = (deps.ticketLifetimeDays ?? TICKET.defaultLifetimeDays) * 24 * 3600 * 1000;
    this.policies = new CollaborationPoliciesService(deps.database, deps.clock, deps.tenants);
  }

  // ---- inviting -------------------------------------------------------------------------------

  /**
   * `POST /invitations` (and one row of a bulk upload with `{ bulk: true }`, which the upload's
   * `admitBulk` has already counted against the throttle). Creates the guest at once, or reuses a
   * pending one with a fresh ticket; an accepted guest comes back `Completed` unless resetRedemption.
   */
  async invite(scope: TenantScope, principal: Principal, input: InvitationInput, options: { bulk?: boolean; requestId?: string } = {}): Promise<Invitation> {
    authorize(principal, 'invitations.create');
    if (!options.bulk) await admitInvitation(this.#deps.database, this.#deps.clock, scope);
    const request = parseInvitation(input);
    try {
      return await inTransaction(this.#deps.database, scope, (tdb) => this.#inviteIn(tdb, principal, request, options));
    } catch (error) {
      // a lost race for the generated guest UPN (two addresses that map to one UPN at once)
      if (uniqueViolation(error)) throw InvitationErrors.addressInUse(request.email);
      throw error;
    }
  }

  /**
   * One bulk row inside the caller's transaction (modules/bulk: the row's guest, ticket, mail and
   * status commit together). Not throttled: the upload was admitted once (`admitBulk`). Every read
   * goes through `tdb` (SQLite has one connection, held by the caller's transaction).
   */
  async inviteWithin(tdb: TenantDb, principal: Principal, input: InvitationInput, options: { bulk: true; requestId?: string }): Promise<Invitation> {
    authorize(principal, 'invitations.create');
    return this.#inviteIn(tdb, principal, parseInvitation(input), options);
  }

  async #inviteIn(tdb: TenantDb, principal: Principal, request: InvitationRequest, options: { bulk?: boolean; requestId?: string }): Promise<Invitation> {
    const tenant = await guestDirectory.tenant(tdb);
    if (!tenant) throw InvitationErrors.forbidden();
    const settings = settingsOf((await policiesRepo.get(tdb)) ?? defaultPolicies(tenant.cloudType));
    this.#assertMayInvite(principal, settings, request.userType);
    this.#assertDomainInvitable(settings, request.email);
    const inviter = await this.#inviter(tdb, principal, tenant);
    const scope = tdb.scope;
    // two invitations of one address at once (several nodes) are decided one after the other
    await lockInvariant(tdb, `invitedAddress:${request.email.toLowerCase()}`);
    const outcome = request.resetRedemption ? await this.#resetRedemption(tdb, principal, request, tenant) : await this.#inviteAddress(tdb, request, tenant);
    const now = this.#deps.clock.now();
    let url: string | null = null;
    if (outcome.issueTicket) {
      const ticket = newTicket();
      await invitationsRepo.save(
        tdb,
        {
          userId: outcome.user.id,
          invitedEmail: request.email,
          redirectUrl: request.redirectUrl,
          ...this.#inviterColumns(principal),
          ticketHash: ticketHash(this.#deps.secrets, ticket),
          ticketExpiresAt: new Date(now.getTime() + this.#ticketLifetimeMs).toISOString(),
          ticketUsedAt: null,
        },
        now.toISOString(),
      );
      url = redeemUrl(this.#deps.baseUrl(), scope.tenantId, outcome.user.id, ticket);
      if (request.sendMessage) {
        await this.#deps.mail.send(
          tdb,
          invitationMail({
            to: request.email,
            cc: request.cc?.address ?? null,
            inviterName: inviter.name,
            inviterEmail: inviter.email,
            organizationName: tenant.displayName,
            organizationDomain: tenant.initialDomain,
            privacyStatementUrl: tenant.privacyProfile.statementUrl,
            customizedMessageBody: request.customizedMessageBody,
            messageLanguage: request.messageLanguage,
            redeemUrl: url,
          }),
        );
      }
    }
    const status = outcome.issueTicket ? 'PendingAcceptance' : 'Completed';
    await recordAudit(tdb, this.#deps.clock, {
      ...actorOf(principal),
      action: request.resetRedemption ? 'Reset redemption of external user' : 'Invite external user',
      targetType: 'user',
      targetId: outcome.user.id,
      details: {
        invitedEmail: request.email,
        userType: outcome.user.userType,
        created: outcome.created,
        status,
        mailSent: outcome.issueTicket && request.sendMessage,
        ...(options.bulk ? { bulk: true } : {}),
        ...(options.requestId ? { requestId: options.requestId } : {}),
      },
    });
    return invitationOf(request, outcome.user, status, url);
  }

  /** The throttle, once for a whole bulk upload (its rows then call `invite` with `{ bulk: true }`). */
  async admitBulk(scope: TenantScope, principal: Principal): Promise<void> {
    await this.assertMayInvite(scope, principal);
    await admitInvitation(this.#deps.database, this.#deps.clock, scope);
  }

  /** Authorization only: may this principal invite (allowInvitesFrom, roles, app permissions)? Throws forbidden. */
  async assertMayInvite(scope: TenantScope, principal: Principal, invitedUserType: 'Guest' | 'Member' = 'Guest'): Promise<void> {
    authorize(principal, 'invitations.create');
    this.#assertMayInvite(principal, await this.policies.settings(scope), invitedUserType);
  }

  #assertMayInvite(principal: Principal, settings: ExternalCollaborationSettings, userType: 'Guest' | 'Member'): void {
    authorize(principal, 'invitations.create');
    if (principal.kind === 'system') return;
    const from = settings.allowInvitesFrom;
    if (principal.kind === 'app') {
      // graph-reference §1.4: app-only invitations fail when invites are off or limited to admins
      if (from === 'none' || from === 'adminsAndGuestInviters') throw InvitationErrors.invitesNotAllowed();
      if (userType === 'Member' && !MEMBER_INVITER_APP_ROLES.some((role) => principal.roles.has(role)) && ![...principal.roleTemplateIds].some((id) => MEMBER_INVITER_ROLES.has(id))) {
        throw InvitationErrors.memberInviteNotAllowed();
      }
      return;
    }
    const inviterRole = [...principal.roleTemplateIds].some((id) => INVITER_ROLES.has(id));
    const allowed =
      from === 'none'
        ? false
        : from === 'adminsAndGuestInviters'
          ? inviterRole
          : from === 'adminsGuestInvitersAndAllMembers'
            ? inviterRole || principal.userType === 'Member'
            : true;
    if (!allowed) throw InvitationErrors.invitesNotAllowed();
    if (userType === 'Member' && ![...principal.roleTemplateIds].some((id) => MEMBER_INVITER_ROLES.has(id))) throw InvitationErrors.memberInviteNotAllowed();
  }

  /** Consumer domains (unless allowed) and the allow/deny list, checked at invite (§1.4) */
  #assertDomainInvitable(settings: ExternalCollaborationSettings, email: string): void {
    const domain = domainOf(email);
    if (!settings.allowConsumerDomains && isConsumerDomain(domain)) throw InvitationErrors.consumerDomain(domain);
    if (!domainAllowed(settings, domain)) throw InvitationErrors.domainBlocked(domain);
  }

  /** A new invitation of an address, or a re-invitation of the invited user who has it. */
  async #inviteAddress(tdb: TenantDb, request: InvitationRequest, tenant: Tenant): Promise<{ user: User; created: boolean; issueTicket: boolean }> {
    const now = this.#deps.clock.now().toISOString();
    const holders = await guestDirectory.findByMailOrUpn(tdb, request.email);
    const invited = holders.find((user) => user.creationType === 'Invitation');
    const other = holders.find((user) => user.creationType !== 'Invitation');
    if (!invited && other) throw other.userType === 'Member' ? InvitationErrors.existingMember(request.email) : InvitationErrors.addressInUse(request.email);
    if (invited) {
      if (invited.externalUserState === 'Accepted') return { user: invited, created: false, issueTicket: false };
      if (request.displayName && request.displayName !== invited.displayName) await guestDirectory.rename(tdb, invited.id, request.displayName, now);
      return { user: (await guestDirectory.findById(tdb, invited.id))!, created: false, issueTicket: true };
    }
    const user = await guestDirectory.createInvited(
      tdb,
      {
        email: request.email,
        displayName: request.displayName ?? request.email.slice(0, request.email.indexOf('@')),
        userType: request.userType,
        userPrincipalName: guestUpn(request.email, tenant.initialDomain),
        mailNickname: `${guestMailNickname(request.email)}#EXT#`.slice(0, 64),
        initialDomain: tenant.initialDomain,
      },
      newId(),
      now,
    );
    return { user, created: true, issueTicket: true };
  }

  /**
   * resetRedemption (graph-reference §1.3): the same object (id, UPN, memberships) goes back to
   * PendingAcceptance with a fresh ticket for the new address, which must be (or becomes) one of its
   * mail/otherMails; the old home identity is forgotten and its sessions end.
   */
  async #resetRedemption(tdb: TenantDb, principal: Principal, request: InvitationRequest, tenant: Tenant): Promise<{ user: User; created: boolean; issueTicket: boolean }> {
    const now = this.#deps.clock.now().toISOString();
    const id = request.invitedUserId!;
    const user = await guestDirectory.findById(tdb, id);
    if (!user) throw InvitationErrors.invitedUserNotFound(id);
    authorizeUserChanges(principal, ['resetRedemption'], { id, roleTemplateIds: await guestDirectory.targetRoleTemplateIds(tdb, id) });
    const holders = await guestDirectory.findByMailOrUpn(tdb, request.email);
    if (holders.some((holder) => holder.id !== id)) throw InvitationErrors.addressInUse(request.email);
    const known = [user.mail ?? '', ...user.otherMails].some((mail) => mail.toLowerCase() === request.email.toLowerCase());
    if (!known) await guestDirectory.addOtherMail(tdb, user, request.email, now);
    await homeLinksRepo.deleteByUser(tdb, id);
    // keep the userPrincipalName identity; the next redemption records a new home
    const identities: ObjectIdentity[] = user.identities.filter((identity) => identity.signInType === 'userPrincipalName');
    if (identities.length === 0) identities.push({ signInType: 'userPrincipalName', issuer: tenant.initialDomain, issuerAssignedId: user.userPrincipalName });
    await guestDirectory.setExternalState(tdb, id, 'PendingAcceptance', now, identities);
    await this.#deps.users.revokeWithin(tdb, id);
    return { user: (await guestDirectory.findById(tdb, id))!, created: false, issueTicket: true };
  }

  // ---- redemption (used by the redemption and sign-in pages) ------------------------------------

  /** The invitation behind a redeem link, for the page that shows who invited whom. */
  async openTicket(tenantId: string, userId: string, ticket: string): Promise<TicketView> {
    if (!isGuid(tenantId) || !isGuid(userId) || !looksLikeTicket(ticket)) throw InvitationErrors.ticketInvalid();
    const scope = await this.#deps.tenants.resolve(tenantId);
    if (!scope || scope.tenantId !== tenantId.toLowerCase()) throw InvitationErrors.ticketInvalid();
    const tdb = scoped(this.#deps.database, scope);
    const guestId = userId.toLowerCase();
    const invitation = await invitationsRepo.get(tdb, guestId);
    if (!invitation || !ticketMatches(this.#deps.secrets, ticket, invitation.ticketHash)) throw InvitationErrors.ticketInvalid();
    this.#assertTicketUsable(invitation);
    const guest = await guestDirectory.findById(tdb, guestId);
    if (!guest) throw InvitationErrors.ticketInvalid();
    if (!guest.accountEnabled) throw InvitationErrors.guestDisabled();
    const settings = await this.policies.settings(scope);
    const domain = domainOf(invitation.invitedEmail);
    if (!domainAllowed(settings, domain)) throw InvitationErrors.domainBlocked(domain);
    const tenant = await this.#tenant(scope);
    const inviter = invitation.invitedByType === 'user' && invitation.invitedById ? await guestDirectory.findById(tdb, invitation.invitedById) : undefined;
    return {
      tenantId: scope.tenantId,
      guestId,
      invitedEmail: invitation.invitedEmail,
      guestDisplayName: guest.displayName,
      guestMail: guest.mail,
      inviter: inviter ? { displayName: inviter.displayName } : null,
      organization: {
        displayName: tenant.displayName,
        initialDomain: tenant.initialDomain,
        privacyStatementUrl: tenant.privacyProfile.statementUrl,
        privacyContactEmail: tenant.privacyProfile.contactEmail,
      },
      redirectUrl: invitation.redirectUrl,
      expiresAt: invitation.ticketExpiresAt!,
    };
  }

  #assertTicketUsable(invitation: InvitationRecord): void {
    if (invitation.ticketUsedAt) throw InvitationErrors.ticketUsed();
    if (!invitation.ticketExpiresAt || invitation.ticketExpiresAt <= this.#deps.clock.now().toISOString()) throw InvitationErrors.ticketExpired();
  }

  /**
   * "Accept" on Review permissions. With a ticket (the e-mail link) the ticket binds, whatever
   * address the person signed in with (an alias redeems too); without one (a direct link) the
   * verified home e-mail must be the guest's mail or one of its otherMails. The allow/deny list is
   * checked again, for the invited and the home address (a domain blocked after the invitation
   * fails here, §1.4).
   */
  async redeem(scope: TenantScope, input: { guestId: string; ticket?: string; home: HomeIdentity }): Promise<{ guestId: string; redirectUrl: string }> {
    const home = validHome(input.home);
    if (!isGuid(input.guestId)) throw InvitationErrors.ticketInvalid();
    if (input.ticket !== undefined && !looksLikeTicket(input.ticket)) throw InvitationErrors.ticketInvalid();
    const guestId = input.guestId.toLowerCase();
    // a member redeeming an invitation of their own organization would become a guest of it
    if (home.homeTenantId?.toLowerCase() === scope.tenantId) throw InvitationErrors.homeIsThisOrganization();
    const settings = await this.policies.settings(scope);
    const tenant = await this.#tenant(scope);
    try {
      return await inTransaction(this.#deps.database, scope, async (tdb) => {
        const now = this.#deps.clock.now().toISOString();
        const invitation = await invitationsRepo.get(tdb, guestId);
        const guest = await guestDirectory.findById(tdb, guestId);
        if (!invitation || !guest) throw input.ticket === undefined ? InvitationErrors.guestNotFound() : InvitationErrors.ticketInvalid();
        if (input.ticket !== undefined && !ticketMatches(this.#deps.secrets, input.ticket, invitation.ticketHash)) throw InvitationErrors.ticketInvalid();
        if (!guest.accountEnabled) throw InvitationErrors.guestDisabled();
        for (const domain of new Set([domainOf(invitation.invitedEmail), domainOf(home.email)])) {
          if (!domainAllowed(settings, domain)) throw InvitationErrors.domainBlocked(domain);
        }
        if (input.ticket !== undefined) {
          this.#assertTicketUsable(invitation);
          // single use: of two redemptions at once, one marks the ticket and the other finds it used
          if (!(await invitationsRepo.consumeTicket(tdb, guestId, invitation.ticketHash!, now))) throw InvitationErrors.ticketUsed();
        } else {
          const linked = await homeLinksRepo.findByUser(tdb, guestId);
          if (guest.externalUserState === 'Accepted' && linked?.issuer === home.issuer && linked.subject === home.subject) {
            return { guestId, redirectUrl: invitation.redirectUrl };
          }
          if (guest.externalUserState !== 'PendingAcceptance' || !guest.mail || !hasAddress(guest, home.email)) throw InvitationErrors.homeMismatch();
          await invitationsRepo.retireTicket(tdb, guestId, now);
        }
        if (guest.externalUserState === 'Accepted') throw InvitationErrors.homeMismatch();
        const other = await homeLinksRepo.findByIdentity(tdb, home.issuer, home.subject);
        if (other && other.userId !== guestId) throw InvitationErrors.homeAlreadyLinked();
        await homeLinksRepo.deleteByUser(tdb, guestId);
        await homeLinksRepo.insert(tdb, {
          userId: guestId,
          kind: home.kind,
          issuer: home.issuer,
          subject: home.subject,
          homeTenantId: home.homeTenantId ?? null,
          email: home.email,
          createdAt: now,
        });
        const identities = [...guest.identities.filter((identity) => identity.signInType === 'userPrincipalName'), federatedIdentityOf(home)];
        if (identities.length === 1) identities.unshift({ signInType: 'userPrincipalName', issuer: tenant.initialDomain, issuerAssignedId: guest.userPrincipalName });
        await guestDirectory.setExternalState(tdb, guestId, 'Accepted', now, identities);
        await recordAudit(tdb, this.#deps.clock, {
          actorId: guestId,
          actorType: 'user',
          action: 'Redeem external user invite',
          targetType: 'user',
          targetId: guestId,
          details: { homeKind: home.kind, homeIssuer: home.issuer, homeEmail: home.email, byLink: input.ticket !== undefined },
        });
        return { guestId, redirectUrl: invitation.redirectUrl };
      });
    } catch (error) {
      // the (tenant, issuer, subject) index: the same home identity redeemed another guest at the same time
      if (uniqueViolation(error)) throw InvitationErrors.homeAlreadyLinked();
      throw error;
    }
  }

  /**
   * Sign-in at the inviting tenant after home authentication: the Accepted guest linked to this home
   * identity, else a PendingAcceptance guest with a mail whose mail/otherMails is the verified home
   * e-mail, else null. Disabled guests: null.
   */
  async findGuestForSignIn(scope: TenantScope, home: HomeIdentity): Promise<SignInMatch | null> {
    const tdb = scoped(this.#deps.database, scope);
    const link = await homeLinksRepo.findByIdentity(tdb, home.issuer, home.subject);
    if (link) {
      const guest = await guestDirectory.findById(tdb, link.userId);
      if (!guest?.accountEnabled) return null;
      if (guest.externalUserState === 'Accepted') return { guestId: guest.id, state: 'Accepted', redirectUrl: null };
    }
    const email = typeof home.email === 'string' ? home.email.trim().toLowerCase() : '';
    if (!email) return null;
    const candidates = (await guestDirectory.pendingGuestsWithAddress(tdb, email)).filter((guest) => guest.accountEnabled);
    const guest = candidates[0];
    if (!guest) return null;
    const invitation = await invitationsRepo.get(tdb, guest.id);
    return { guestId: guest.id, state: 'PendingAcceptance', redirectUrl: invitation?.redirectUrl ?? null };
  }

  /** The home issuer of an Accepted guest (the `idp` claim of its tokens), or null. */
  async guestHomeIssuer(scope: TenantScope, guestId: string): Promise<string | null> {
    if (!isGuid(guestId)) return null;
    const link = await homeLinksRepo.findByUser(scoped(this.#deps.database, scope), guestId.toLowerCase());
    return link?.issuer ?? null;
  }

  /**
   * Who a guest is at home (their home link: kind, issuer + subject, verified address), or null for
   * an object with no home link. My Account uses it to show a guest signed in at this tenant the
   * organizations of that home identity (`organizationsOf`), as Entra's `myaccount?tenantId=` does.
   */
  async guestHome(scope: TenantScope, guestId: string): Promise<GuestHome | null> {
    if (!isGuid(guestId)) return null;
    const link = await homeLinksRepo.findByUser(scoped(this.#deps.database, scope), guestId.toLowerCase());
    return link ? { kind: link.kind, issuer: link.issuer, subject: link.subject, email: link.email, homeTenantId: link.homeTenantId } : null;
  }

  // ---- the guest's side: organizations and leaving -----------------------------------------------

  /** Every tenant where this home identity is a guest (the one deliberate cross-tenant read). */
  async organizationsOf(home: { issuer: string; subject: string }): Promise<GuestMembership[]> {
    const links = await homeLinkRegistry.guestsOf(this.#deps.database.db, home.issuer, home.subject);
    const out: GuestMembership[] = [];
    for (const { tenantId, userId } of links) {
      const scope = await this.#deps.tenants.resolve(tenantId);
      if (!scope) continue;
      const guest = await guestDirectory.findById(scoped(this.#deps.database, scope), userId);
      if (!guest || (guest.externalUserState !== 'Accepted' && guest.externalUserState !== 'PendingAcceptance')) continue;
      const [tenant, settings] = await Promise.all([this.#deps.tenants.get(scope), this.policies.settings(scope)]);
      if (!tenant) continue;
      out.push({
        tenantId,
        displayName: tenant.displayName,
        initialDomain: tenant.initialDomain,
        guestId: userId,
        state: guest.externalUserState,
        mayLeave: settings.allowExternalIdentitiesToLeave && Boolean(tenant.privacyProfile.contactEmail),
        privacyStatementUrl: tenant.privacyProfile.statementUrl,
        privacyContactEmail: tenant.privacyProfile.contactEmail,
      });
    }
    return out;
  }

  /**
   * Leave an organization (My Account): only a guest whose home link is this identity, and only when
   * the tenant allows it and has a privacy contact. The guest object is deleted (Tessera keeps no
   * deleted-items bin), with an audit record by the guest.
   */
  async leave(tenantId: string, guestId: string, home: { issuer: string; subject: string }): Promise<void> {
    if (!isGuid(tenantId) || !isGuid(guestId)) throw InvitationErrors.notAGuest();
    const scope = await this.#deps.tenants.resolve(tenantId);
    if (!scope) throw InvitationErrors.notAGuest();
    const id = guestId.toLowerCase();
    const [settings, tenant] = await Promise.all([this.policies.settings(scope), this.#tenant(scope)]);
    await inTransaction(this.#deps.database, scope, async (tdb) => {
      const link = await homeLinksRepo.findByUser(tdb, id);
      const guest = await guestDirectory.findById(tdb, id);
      if (!guest || !link || link.issuer !== home.issuer || link.subject !== home.subject || guest.creationType !== 'Invitation') throw InvitationErrors.notAGuest();
      if (!settings.allowExternalIdentitiesToLeave || !tenant.privacyProfile.contactEmail) throw InvitationErrors.leaveNotAllowed();
      await this.#deps.users.revokeWithin(tdb, id);
      await guestDirectory.remove(tdb, id);
      await recordAudit(tdb, this.#deps.clock, {
        actorId: id,
        actorType: 'user',
        action: 'Leave organization',
        targetType: 'user',
        targetId: id,
        details: { userPrincipalName: guest.userPrincipalName, homeIssuer: home.issuer },
      });
    });
  }

  // ---- settings ----------------------------------------------------------------------------------

  externalSettings(scope: TenantScope): Promise<ExternalCollaborationSettings> {
    return this.policies.settings(scope);
  }

  /** What guests of this tenant may read on Graph (the Graph surface puts it on guest principals). */
  guestAccessLevel(scope: TenantScope): Promise<GuestAccessLevel> {
    return this.policies.guestAccessLevel(scope);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  async #tenant(scope: TenantScope): Promise<Tenant> {
    const tenant = await this.#deps.tenants.get(scope);
    if (!tenant) throw InvitationErrors.ticketInvalid();
    return tenant;
  }

  async #inviter(tdb: TenantDb, principal: Principal, tenant: Tenant): Promise<{ name: string; email: string | null }> {
    if (principal.kind === 'user') {
      const user = await guestDirectory.findById(tdb, principal.userId);
      if (user) return { name: user.displayName, email: user.mail };
    }
    return { name: tenant.displayName, email: null };
  }

  #inviterColumns(principal: Principal): { invitedById: string | null; invitedByType: string } {
    const actor = actorOf(principal);
    return { invitedById: actor.actorId, invitedByType: actor.actorType };
  }
}

function hasAddress(user: User, address: string): boolean {
  const wanted = address.toLowerCase();
  return [user.mail ?? '', ...user.otherMails].some((mail) => mail.toLowerCase() === wanted);
}

function invitationOf(request: InvitationRequest, user: User, status: 'PendingAcceptance' | 'Completed', url: string | null): Invitation {
  return {
    id: user.id,
    invitedUserDisplayName: request.displayName ?? user.displayName,
    invitedUserType: user.userType,
    invitedUserEmailAddress: request.email,
    invitedUserMessageInfo: {
      ccRecipients: request.cc ? [{ emailAddress: { address: request.cc.address, name: request.cc.name } }] : [],
      customizedMessageBody: request.customizedMessageBody,
      messageLanguage: request.messageLanguage,
    },
    sendInvitationMessage: request.sendMessage,
    inviteRedirectUrl: request.redirectUrl,
    inviteRedeemUrl: url,
    resetRedemption: request.resetRedemption,
    status,
    invitedUser: { id: user.id },
  };
}
