/**
 * The shapes the invitations module shares with the redemption pages (H2), bulk invites (H3) and
 * the Graph routes: the contract in docs of issue 15. Pure types, no behaviour.
 */

/** Graph's `invitedUserMessageInfo` as a client sends it. */
export interface InvitedUserMessageInfo {
  ccRecipients?: { emailAddress: { address: string; name?: string | null } }[];
  customizedMessageBody?: string | null;
  messageLanguage?: string | null;
}

/** The body of `POST /invitations` (also one row of a bulk upload); validated by the service. */
export interface InvitationInput {
  invitedUserEmailAddress: string;
  inviteRedirectUrl: string;
  invitedUserDisplayName?: string | null;
  invitedUserType?: 'Guest' | 'Member';
  sendInvitationMessage?: boolean;
  invitedUserMessageInfo?: InvitedUserMessageInfo | null;
  resetRedemption?: boolean;
  invitedUser?: { id: string } | null;
}

export type InvitationStatus = 'PendingAcceptance' | 'Completed';

/** Graph's `invitation` as `POST /invitations` returns it. */
export interface Invitation {
  id: string;
  invitedUserDisplayName: string | null;
  invitedUserType: 'Guest' | 'Member';
  invitedUserEmailAddress: string;
  invitedUserMessageInfo: { ccRecipients: { emailAddress: { address: string; name: string | null } }[]; customizedMessageBody: string | null; messageLanguage: string | null };
  sendInvitationMessage: boolean;
  inviteRedirectUrl: string;
  /** null when the guest has already redeemed (status Completed) and no new ticket was issued */
  inviteRedeemUrl: string | null;
  resetRedemption: boolean;
  status: InvitationStatus;
  invitedUser: { id: string };
}

/** Who the guest is at home (contract: H2 builds it after home sign-in). */
export interface HomeIdentity {
  kind: 'tenant' | 'oidc' | 'personal' | 'emailOtp';
  /** tenant: `${base}/${homeTid}/v2.0`; oidc: the provider's issuer; personal: `${base}/${PERSONAL_TENANT_ID}/v2.0`; emailOtp: 'mail' */
  issuer: string;
  /** tenant/personal: home oid; oidc: sub; emailOtp: the lower-cased address */
  subject: string;
  /** verified e-mail address (lower-cased) */
  email: string;
  displayName?: string;
  /** kind tenant/personal */
  homeTenantId?: string;
}

export interface TicketView {
  tenantId: string;
  guestId: string;
  invitedEmail: string;
  guestDisplayName: string;
  guestMail: string | null;
  inviter: { displayName: string } | null;
  organization: { displayName: string; initialDomain: string; privacyStatementUrl: string | null; privacyContactEmail: string | null };
  redirectUrl: string;
  expiresAt: string;
}

export interface GuestMembership {
  tenantId: string;
  displayName: string;
  initialDomain: string;
  guestId: string;
  state: 'Accepted' | 'PendingAcceptance';
  mayLeave: boolean;
  privacyStatementUrl: string | null;
  privacyContactEmail: string | null;
}

export type AllowInvitesFrom = 'none' | 'adminsAndGuestInviters' | 'adminsGuestInvitersAndAllMembers' | 'everyone';

export interface ExternalCollaborationSettings {
  allowInvitesFrom: AllowInvitesFrom;
  guestUserRoleId: string;
  allowExternalIdentitiesToLeave: boolean;
  allowedDomains: string[];
  blockedDomains: string[];
  allowConsumerDomains: boolean;
  /** emailAuthenticationMethodConfiguration.allowExternalIdToUseEmailOtp != 'disabled' */
  emailOtpForGuests: boolean;
}
