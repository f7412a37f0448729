import assert from 'node:assert/strict';
import { homeLinksRepo, invitationsRepo } from '../../../src/modules/invitations/invitations.repo.ts';
import { policiesRepo } from '../../../src/modules/invitations/policies.repo.ts';
import { throttleRepo } from '../../../src/modules/invitations/throttle.repo.ts';
import { guestsRepo } from '../../../src/modules/directory/guests.repo.ts';
import { defaultPolicies } from '../../../src/modules/invitations/policies.service.ts';
import type { Principal } from '../../../src/modules/directory/index.ts';
import { inTransaction, scoped, type TenantDb } from '../../../src/storage/scoped.ts';
import { usersRepo } from '../../../src/modules/directory/users.repo.ts';
import type { Case, IsolationCaseFile } from './cases.ts';

/**
 * The invitations module's repositories in the two-tenant isolation suite: scoped to tenant A and
 * given tenant B's guest, ticket hash, home identity, policies and throttle window, each finds
 * nothing of B's and changes nothing of B's.
 */
const NOW = '2026-12-03T09:00:00.000Z';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const nothing = (value: unknown) => assert.ok(value === undefined || value === false || (Array.isArray(value) && value.length === 0), `leaked: ${JSON.stringify(value)}`);

/** A user in tenant A with the given id (ids are only unique per tenant). */
async function userInA(a: TenantDb, id: string): Promise<void> {
  await usersRepo.insert(a, { id, userPrincipalName: `x${id.slice(0, 8)}@a.example`, displayName: 'x', mailNickname: 'x', accountEnabled: true, userType: 'Guest' }, NOW);
}

export const repositories: IsolationCaseFile['repositories'] = { invitationsRepo, homeLinksRepo, policiesRepo, throttleRepo, guestsRepo };

export const cases: Record<string, Record<string, Case>> = {
  invitationsRepo: {
    get: async (a, b) => nothing(await invitationsRepo.get(a, b.extra.guestId)),
    // an invitation of A's user that happens to carry B's guest id lands in A, B's stays as it was
    save: async (a, b) => {
      await userInA(a, b.extra.guestId);
      await invitationsRepo.save(a, { userId: b.extra.guestId, invitedEmail: 'x@evil.example', redirectUrl: 'https://evil.example', invitedById: null, invitedByType: 'system', ticketHash: 'hijacked', ticketExpiresAt: FAR_FUTURE, ticketUsedAt: null }, NOW);
    },
    consumeTicket: async (a, b) => nothing(await invitationsRepo.consumeTicket(a, b.extra.guestId, b.extra.ticketHash, NOW)),
    retireTicket: async (a, b) => nothing(await invitationsRepo.retireTicket(a, b.extra.guestId, NOW)),
  },
  homeLinksRepo: {
    insert: async (a, b) => {
      await userInA(a, b.extra.acceptedGuestId);
      await homeLinksRepo.insert(a, { userId: b.extra.acceptedGuestId, kind: 'oidc', issuer: b.extra.homeIssuer, subject: b.extra.homeSubject, homeTenantId: null, email: 'x@evil.example', createdAt: NOW });
    },
    findByUser: async (a, b) => nothing(await homeLinksRepo.findByUser(a, b.extra.acceptedGuestId)),
    findByIdentity: async (a, b) => nothing(await homeLinksRepo.findByIdentity(a, b.extra.homeIssuer, b.extra.homeSubject)),
    deleteByUser: async (a, b) => nothing(await homeLinksRepo.deleteByUser(a, b.extra.acceptedGuestId)),
  },
  policiesRepo: {
    // A reads its own row (none, or its own), never B's allow list
    get: async (a) => assert.ok(!(await policiesRepo.get(a))?.allowedDomains.includes('b-only.example')),
    save: async (a) => policiesRepo.save(a, { ...defaultPolicies('commercial'), allowInvitesFrom: 'none' }, NOW),
  },
  throttleRepo: {
    // A's count of B's window starts at one: B's calls are B's
    hit: async (a, b) => assert.equal(await throttleRepo.hit(a, b.extra.throttleWindow), 1),
    purgeBefore: async (a) => {
      await throttleRepo.purgeBefore(a, Number.MAX_SAFE_INTEGER);
    },
  },
  guestsRepo: {
    findByMailOrUpn: async (a, b) => nothing(await guestsRepo.findByMailOrUpn(a, b.extra.guestEmail)),
    pendingGuestsWithAddress: async (a, b) => nothing(await guestsRepo.pendingGuestsWithAddress(a, b.extra.pendingGuestEmail)),
  },
};

export const seed: IsolationCaseFile['seed'] = async (harness, scopeB) => {
  const { invitations, database } = harness.container;
  const system: Principal = { kind: 'system', tenantId: scopeB.tenantId };
  const guestEmail = 'guest@b-partner.example';
  const invitation = await invitations.invite(scopeB, system, { invitedUserEmailAddress: guestEmail, inviteRedirectUrl: 'https://b.example/' });
  const pending = await invitations.invite(scopeB, system, { invitedUserEmailAddress: 'pending@b-partner.example', inviteRedirectUrl: 'https://b.example/' });
  const ticket = new URL(invitation.inviteRedeemUrl!).searchParams.get('ticket')!;
  const stored = await invitationsRepo.get(scoped(database, scopeB), invitation.id);
  await invitations.redeem(scopeB, { guestId: invitation.id, ticket, home: { kind: 'oidc', issuer: 'https://idp.b-partner.example', subject: 'b-subject', email: guestEmail } });
  // a fresh ticket hash for the consume case (the redeemed one is used)
  await invitations.invite(scopeB, system, { invitedUserEmailAddress: 'pending@b-partner.example', inviteRedirectUrl: 'https://b.example/' });
  const pendingStored = await invitationsRepo.get(scoped(database, scopeB), pending.id);
  const throttleWindow = 4242;
  await inTransaction(database, scopeB, async (tdb) => {
    await policiesRepo.save(tdb, { ...defaultPolicies('commercial'), allowedDomains: ['b-only.example'] }, NOW);
    await throttleRepo.hit(tdb, throttleWindow);
  });
  return {
    guestId: pending.id,
    acceptedGuestId: invitation.id,
    ticketHash: pendingStored?.ticketHash ?? stored?.ticketHash,
    guestEmail,
    pendingGuestEmail: 'pending@b-partner.example',
    homeIssuer: 'https://idp.b-partner.example',
    homeSubject: 'b-subject',
    throttleWindow,
  };
};
