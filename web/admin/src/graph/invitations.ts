import type { GraphClient } from './client.ts';

/** `POST /invitations` (Graph's invitation shape, the parts the admin center sends). */
export interface InvitationRequest {
  invitedUserEmailAddress: string;
  inviteRedirectUrl: string;
  invitedUserDisplayName?: string;
  invitedUserType?: 'Guest' | 'Member';
  sendInvitationMessage: boolean;
  invitedUserMessageInfo?: {
    customizedMessageBody?: string;
    messageLanguage?: string;
    ccRecipients?: { emailAddress: { address: string; name?: string } }[];
  };
  resetRedemption?: boolean;
  invitedUser?: { id: string };
}

export interface Invitation {
  id: string;
  invitedUserEmailAddress: string;
  invitedUserDisplayName?: string | null;
  invitedUserType?: string | null;
  inviteRedeemUrl: string | null;
  inviteRedirectUrl?: string | null;
  sendInvitationMessage?: boolean;
  /** `PendingAcceptance`, `Completed`, `InProgress` or `Error` */
  status: string;
  invitedUser?: { id: string } | null;
}

export const invite = (graph: GraphClient, request: InvitationRequest) => graph.post<Invitation>('/invitations', request);

/**
 * Graph has no "resend": inviting the same address again reuses the pending guest and issues a
 * fresh redemption link (the old one stops working), with a new e-mail.
 */
export const resendInvitation = (graph: GraphClient, guest: { email: string; displayName?: string | undefined }, inviteRedirectUrl: string) =>
  invite(graph, {
    invitedUserEmailAddress: guest.email,
    inviteRedirectUrl,
    ...(guest.displayName ? { invitedUserDisplayName: guest.displayName } : {}),
    sendInvitationMessage: true,
  });

/** Graph's reset redemption: same object, the guest redeems again, possibly with another address or identity. */
export const resetRedemption = (graph: GraphClient, userId: string, newEmail: string, inviteRedirectUrl: string, sendInvitationMessage: boolean) =>
  invite(graph, {
    invitedUserEmailAddress: newEmail,
    inviteRedirectUrl,
    sendInvitationMessage,
    resetRedemption: true,
    invitedUser: { id: userId },
  });
