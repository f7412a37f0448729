import { readBody, type BodySpec } from '../../kernel/body.ts';
import { isGuid } from '../../kernel/ids.ts';
import { InvitationErrors } from './invitations.errors.ts';
import type { InvitationInput } from './invitation.types.ts';

/**
 * Limits of `POST /invitations`, as data. Graph documents customizedMessageBody's 10,000 characters
 * (the portal's limit) and one cc recipient; our choices where it documents none: addresses 254
 * characters (RFC 5321's longest), display names 256 (a user's displayName), redirect URLs 2,048,
 * language tags 35 (BCP 47's longest registered forms are far shorter).
 */
export const INVITATION_LIMITS = {
  invitedUserEmailAddress: 254,
  inviteRedirectUrl: 2048,
  invitedUserDisplayName: 256,
  customizedMessageBody: 10_000,
  ccRecipients: 1,
  ccName: 256,
  messageLanguage: 35,
} as const;

/**
 * Graph's rules for invitedUserEmailAddress: the part before '@' holds letters, digits, '.', '-',
 * '_' and "'" ('.' and '-' neither first nor last, '_' anywhere; none of ~ ! # $ % ^ & * ( ) + = [ ]
 * { } \ / | ; : " < > ? ,), the part after it is a domain name of ASCII labels with a dot.
 */
const LOCAL = /^[A-Za-z0-9_'](?:[A-Za-z0-9._'-]*[A-Za-z0-9_'])?$/;
const DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function invitedEmailProblem(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at !== address.indexOf('@')) return true;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return local.length > 64 || !LOCAL.test(local) || local.includes('..') || !DOMAIN.test(domain);
}

export function isDomain(value: string): boolean {
  return DOMAIN.test(value);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** inviteRedirectUrl: an absolute https URL; plain http only for a loopback host (development). */
export function redirectUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected an absolute https URL.';
  }
  if (url.username || url.password) return 'the URL must not carry a user name or password.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'the URL must use https (http only for localhost or 127.0.0.1).';
}

const recipientSpec: BodySpec = {
  emailAddress: {
    type: 'object',
    typeName: 'microsoft.graph.emailAddress',
    fields: {
      address: { type: 'string', maxLength: INVITATION_LIMITS.invitedUserEmailAddress },
      name: { type: 'string', nullable: true, maxLength: INVITATION_LIMITS.ccName },
    },
  },
};

const messageInfoSpec: BodySpec = {
  ccRecipients: { type: 'objectArray', maxItems: INVITATION_LIMITS.ccRecipients, fields: recipientSpec, typeName: 'microsoft.graph.recipient' },
  customizedMessageBody: { type: 'string', nullable: true, maxLength: INVITATION_LIMITS.customizedMessageBody },
  messageLanguage: {
    type: 'string',
    nullable: true,
    maxLength: INVITATION_LIMITS.messageLanguage,
    check: (v: string) => (/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v) ? null : 'expected a language code such as en-US or nl-NL'),
  },
};

/** What `POST /invitations` accepts (read-only properties of the response are refused when sent). */
export const invitationBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  inviteRedeemUrl: { type: 'string', writable: false },
  status: { type: 'string', writable: false },
  invitedUserEmailAddress: { type: 'string', maxLength: INVITATION_LIMITS.invitedUserEmailAddress },
  inviteRedirectUrl: { type: 'string', maxLength: INVITATION_LIMITS.inviteRedirectUrl },
  invitedUserDisplayName: { type: 'string', nullable: true, maxLength: INVITATION_LIMITS.invitedUserDisplayName },
  invitedUserType: { type: 'string', nullable: true, check: (v: string) => (v === 'Guest' || v === 'Member' ? null : "expected 'Guest' or 'Member'") },
  sendInvitationMessage: { type: 'boolean', nullable: true },
  resetRedemption: { type: 'boolean', nullable: true },
  invitedUserMessageInfo: { type: 'object', nullable: true, fields: messageInfoSpec, typeName: 'microsoft.graph.invitedUserMessageInfo' },
  invitedUser: {
    type: 'object',
    nullable: true,
    typeName: 'microsoft.graph.user',
    fields: { id: { type: 'string', check: (v: string) => (isGuid(v) ? null : 'expected an object id (GUID)') } },
  },
  // accepted for SDK compatibility and not stored (Tessera has no sponsors yet)
  invitedUserSponsors: {
    type: 'objectArray',
    maxItems: 20,
    typeName: 'microsoft.graph.directoryObject',
    fields: { id: { type: 'string', check: (v: string) => (isGuid(v) ? null : 'expected an object id (GUID)') } },
  },
};

/** A validated invitation request, normalized. */
export interface InvitationRequest {
  email: string;
  redirectUrl: string;
  displayName: string | null;
  userType: 'Guest' | 'Member';
  sendMessage: boolean;
  cc: { address: string; name: string | null } | null;
  customizedMessageBody: string | null;
  messageLanguage: string | null;
  resetRedemption: boolean;
  invitedUserId: string | null;
}

/** Reads an invitation body (own properties only, every limit checked); throws a 400 naming the problem. */
export function parseInvitation(body: unknown): InvitationRequest {
  const input = readBody<Record<string, any>>(body, invitationBodySpec, 'microsoft.graph.invitation') as Partial<InvitationInput>;
  const email = typeof input.invitedUserEmailAddress === 'string' ? input.invitedUserEmailAddress.trim() : '';
  if (!email) throw InvitationErrors.invalidEmail(String(input.invitedUserEmailAddress ?? ''));
  if (invitedEmailProblem(email)) throw InvitationErrors.invalidEmail(email);
  const redirectUrl = typeof input.inviteRedirectUrl === 'string' ? input.inviteRedirectUrl.trim() : '';
  if (!redirectUrl) throw InvitationErrors.invalidRedirectUrl('the property is required.');
  const redirectProblem = redirectUrlProblem(redirectUrl);
  if (redirectProblem) throw InvitationErrors.invalidRedirectUrl(redirectProblem);
  const info = input.invitedUserMessageInfo ?? null;
  const ccEntry = info?.ccRecipients?.[0];
  const ccAddress = ccEntry?.emailAddress?.address?.trim();
  if (ccEntry && (!ccAddress || invitedEmailProblem(ccAddress))) {
    throw InvitationErrors.invalidEmail(ccAddress ?? '');
  }
  const displayName = input.invitedUserDisplayName?.trim() || null;
  const resetRedemption = input.resetRedemption === true;
  const invitedUserId = input.invitedUser?.id?.toLowerCase() ?? null;
  if (resetRedemption && !invitedUserId) throw InvitationErrors.invitedUserRequired();
  return {
    email,
    redirectUrl,
    displayName,
    userType: input.invitedUserType === 'Member' ? 'Member' : 'Guest',
    sendMessage: input.sendInvitationMessage === true,
    cc: ccEntry && ccAddress ? { address: ccAddress, name: ccEntry.emailAddress.name ?? null } : null,
    customizedMessageBody: info?.customizedMessageBody ?? null,
    messageLanguage: info?.messageLanguage ?? null,
    resetRedemption,
    invitedUserId,
  };
}
