import { defineErrors } from '../../kernel/errors.ts';

/**
 * The invitations module's errors. Codes are stable (`invitations.ticketExpired`); the redemption
 * pages pick their page by code, Graph renders the kind (http/graph/graph-errors.ts).
 */
export const InvitationErrors = defineErrors('invitations', {
  invalidEmail: {
    kind: 'badRequest',
    message: (address: string) => `The invited user's email address '${address}' is not valid. Use letters, digits and . - _ before the '@' (no special characters such as ~ ! # $ % ^ & * ( ) + = [ ] { } \\ / | ; : " < > ? ,; '.' and '-' not first or last) and a domain name after it.`,
  },
  invalidRedirectUrl: {
    kind: 'badRequest',
    message: (why: string) => `Invalid value for property 'inviteRedirectUrl': ${why}`,
  },
  consumerDomain: {
    kind: 'badRequest',
    message: (domain: string) => `Invitations to consumer e-mail domains such as '${domain}' are not supported in this organization. An administrator can allow them in the external collaboration settings.`,
  },
  domainBlocked: {
    kind: 'badRequest',
    message: (domain: string) => `Invitations to the domain '${domain}' are blocked by this organization's collaboration restrictions.`,
  },
  existingMember: {
    kind: 'badRequest',
    message: (address: string) => `The address '${address}' belongs to a member of this organization; members cannot be invited as guests.`,
  },
  invitedUserRequired: {
    kind: 'badRequest',
    message: () => "Property 'invitedUser' with an 'id' is required when 'resetRedemption' is true.",
  },
  invitedUserNotFound: {
    kind: 'notFound',
    message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  },
  addressInUse: {
    kind: 'badRequest',
    message: (address: string) => `The address '${address}' is already used by another user of this organization.`,
  },
  memberInviteNotAllowed: {
    kind: 'forbidden',
    message: () => "Only a User Administrator or Global Administrator may invite users with invitedUserType 'Member'.",
  },
  invitesNotAllowed: {
    kind: 'forbidden',
    message: () => 'Insufficient privileges to complete the operation. The external collaboration settings of this organization do not allow you to invite guests.',
  },
  ticketInvalid: { kind: 'badRequest', message: () => 'This invitation link is not valid. Ask the person who invited you to send a new invitation.' },
  ticketExpired: { kind: 'badRequest', message: () => 'This invitation has expired. Ask the person who invited you to send a new invitation.' },
  ticketUsed: { kind: 'conflict', message: () => 'This invitation has already been redeemed.' },
  guestNotFound: { kind: 'notFound', message: () => 'The guest account of this invitation no longer exists.' },
  guestDisabled: { kind: 'forbidden', message: () => 'This guest account is disabled.' },
  homeMismatch: { kind: 'conflict', message: () => 'This invitation has already been accepted with another account.' },
  homeAlreadyLinked: { kind: 'conflict', message: () => 'Your account is already a guest of this organization under another invitation.' },
  homeIsThisOrganization: { kind: 'conflict', message: () => 'You are signed in with an account of this organization; sign in with the account that was invited.' },
  leaveNotAllowed: {
    kind: 'forbidden',
    message: () => 'This organization does not let guests leave on their own. Contact its administrator or privacy contact.',
  },
  notAGuest: { kind: 'forbidden', message: () => 'You are a member of this organization, not a guest; you cannot leave your home organization.' },
  invalidPolicy: { kind: 'badRequest', message: (why: string) => why },
  invalidHome: { kind: 'badRequest', message: () => 'The home identity is incomplete: a known kind, an issuer, a subject and a verified e-mail address are needed.' },
  privacyContactRequired: {
    kind: 'badRequest',
    message: () => "allowExternalIdentitiesToLeave can only be set to true when the organization's privacyProfile has a contactEmail (PATCH /organization/{id}).",
  },
  policyTooLarge: { kind: 'badRequest', message: (limit: number) => `The b2bManagementPolicy is larger than the limit of ${limit} bytes.` },
  bothDomainLists: { kind: 'badRequest', message: () => 'Use either allowedDomains or blockedDomains, not both.' },
  forbidden: { kind: 'forbidden', message: () => 'Insufficient privileges to complete the operation.' },
});
