/**
 * The invitations module's public surface (issue 15): B2B invitations, redemption, guests' home
 * links and the external collaboration policies. Bulk CSV invites live in modules/bulk and call
 * `invite(..., { bulk: true })` once per row after `admitBulk` once per upload.
 */
export { InvitationsService, type GuestHome, type InvitationsDependencies } from './invitations.service.ts';
export type {
  AllowInvitesFrom,
  ExternalCollaborationSettings,
  GuestMembership,
  HomeIdentity,
  Invitation,
  InvitationInput,
  InvitationStatus,
  InvitedUserMessageInfo,
  TicketView,
} from './invitation.types.ts';
export { isConsumerDomain } from './consumer-domains.ts';
export { domainAllowed, domainOf } from './domain-lists.ts';
export { InvitationErrors } from './invitations.errors.ts';
export { GUEST_ROLE_IDS, guestAccessOf } from './guest-roles.ts';
export { INVITATION_LIMITS } from './invitation.schemas.ts';
export { INVITE_THROTTLE } from './throttle.ts';
