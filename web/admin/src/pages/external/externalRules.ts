import { type AllowInvitesFrom, type B2bManagementPolicy, type EmailOtpSetting, GUEST_ROLE } from '../../graph/policies.ts';

/**
 * The External identities section's rules and wording, kept apart from the pages so they can be
 * unit-tested (test/admin/): Entra's labels for each setting, the collaboration-restriction modes
 * and how switching between them behaves, domain list parsing, and the redirect URL rule the API
 * applies. Pure: no DOM, no requests.
 */

export interface Choice<V extends string> {
  value: V;
  label: string;
}

/** Entra's "Guest user access" options, most inclusive first. */
export const guestAccessChoices: readonly Choice<string>[] = [
  { value: GUEST_ROLE.member, label: 'Guest users have the same access as members (most inclusive)' },
  { value: GUEST_ROLE.guest, label: 'Guest users have limited access to properties and memberships of directory objects' },
  { value: GUEST_ROLE.restricted, label: 'Guest user access is restricted to properties and memberships of their own directory objects (most restrictive)' },
];

/** Entra's "Guest invite restrictions" options, most inclusive first. */
export const inviteRestrictionChoices: readonly Choice<AllowInvitesFrom>[] = [
  { value: 'everyone', label: 'Anyone in the organization can invite guest users including guests and non-admins (most inclusive)' },
  { value: 'adminsGuestInvitersAndAllMembers', label: 'Member users and users assigned to specific admin roles can invite guest users including guests with member permissions' },
  { value: 'adminsAndGuestInviters', label: 'Only users assigned to specific admin roles can invite guest users' },
  { value: 'none', label: 'No one in the organization can invite guest users including admins (most restrictive)' },
];

export const emailOtpChoices: readonly Choice<EmailOtpSetting>[] = [
  { value: 'default', label: 'Default (guests without another way to sign in get a one-time passcode)' },
  { value: 'enabled', label: 'Yes, guests can sign in with a one-time passcode sent to their e-mail address' },
  { value: 'disabled', label: 'No, guests must sign in with an account of their own' },
];

/** Entra's "Collaboration restrictions": one list at a time, never both. */
export type RestrictionMode = 'any' | 'deny' | 'allow';

export const restrictionChoices: readonly Choice<RestrictionMode>[] = [
  { value: 'any', label: 'Allow invitations to be sent to any domain (most inclusive)' },
  { value: 'deny', label: 'Deny invitations to the specified domains' },
  { value: 'allow', label: 'Allow invitations only to the specified domains (most restrictive)' },
];

export function restrictionOf(policy: B2bManagementPolicy): { mode: RestrictionMode; domains: string[] } {
  const { allowedDomains, blockedDomains } = policy.invitationsAllowedAndBlockedDomainsPolicy;
  if (allowedDomains.length > 0) return { mode: 'allow', domains: [...allowedDomains] };
  if (blockedDomains.length > 0) return { mode: 'deny', domains: [...blockedDomains] };
  return { mode: 'any', domains: [] };
}

/** The policy body for a mode and its list: the other list is always sent empty, which discards it. */
export function restrictionPolicy(mode: RestrictionMode, domains: readonly string[]): B2bManagementPolicy['invitationsAllowedAndBlockedDomainsPolicy'] {
  return {
    allowedDomains: mode === 'allow' ? [...domains] : [],
    blockedDomains: mode === 'deny' ? [...domains] : [],
  };
}

/**
 * What switching from one mode to another does to the list being edited: switching between the
 * two lists, or to "any domain", discards it (as in Entra), so the page warns first when it is not
 * empty. `warning` is null when nothing is lost.
 */
export function switchRestriction(from: RestrictionMode, to: RestrictionMode, domains: readonly string[]): { domains: string[]; warning: string | null } {
  if (from === to) return { domains: [...domains], warning: null };
  if (domains.length === 0 || from === 'any') return { domains: [], warning: null };
  const list = from === 'deny' ? 'deny list' : 'allow list';
  const count = domains.length === 1 ? `the domain ${domains[0]}` : `its ${domains.length} domains`;
  return { domains: [], warning: `Switching discards the ${list} and ${count}. The change takes effect when you save.` };
}

/** The most domains a list takes here; the policy as a whole is limited to 25 KB by the API. */
export const MAX_DOMAINS = 500;

const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * One domain name as the policy stores it (lower case, no trailing dot), or a problem. Entra
 * accepts wildcards only as a leading `*.`, which stands for every subdomain.
 */
export function checkDomain(input: string): { domain: string } | { problem: string } {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, '');
  if (trimmed === '') return { problem: 'Enter a domain such as fabrikam.com.' };
  if (trimmed.includes('@')) return { problem: 'Enter the domain only, without the part before @.' };
  const bare = trimmed.startsWith('*.') ? trimmed.slice(2) : trimmed;
  if (bare.length > 253) return { problem: 'A domain has at most 253 characters.' };
  const labels = bare.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return { problem: `${input.trim()} is not a domain name such as fabrikam.com.` };
  return { domain: trimmed };
}

/**
 * Adds what was typed (one or several domains, separated by commas, semicolons or spaces) to a
 * list: duplicates are skipped quietly, the first bad entry is reported and nothing is added then.
 */
export function addDomains(list: readonly string[], typed: string): { list: string[]; problem: string | null } {
  const entries = typed.split(/[\s,;]+/).filter((entry) => entry !== '');
  if (entries.length === 0) return { list: [...list], problem: 'Enter a domain such as fabrikam.com.' };
  const next = [...list];
  for (const entry of entries) {
    const checked = checkDomain(entry);
    if ('problem' in checked) return { list: [...list], problem: checked.problem };
    if (!next.includes(checked.domain)) next.push(checked.domain);
  }
  if (next.length > MAX_DOMAINS) return { list: [...list], problem: `A list holds at most ${MAX_DOMAINS} domains.` };
  return { list: next, problem: null };
}

/** The redirect URL every invitation from this admin center suggests: the invitee's My Account. */
export const defaultRedirectUrl = (origin: string) => `${origin.replace(/\/+$/, '')}/myaccount`;

/** The API's rule for inviteRedirectUrl: https, or http only to this machine (development). */
export function checkRedirectUrl(value: string): string | null {
  return checkSecureUrl(value, 'Redirect URL');
}

/** An https:// address, or http:// to localhost / 127.0.0.1 (a partner's identity provider under test, say). */
export function checkSecureUrl(value: string, label: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return `${label} is required.`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'Enter a full web address starting with https://.';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return null;
  return 'Use an https:// address (http:// only for localhost).';
}

/** Graph rejects these in invitedUserEmailAddress; `.` and `-` not at either end of a part. */
const EMAIL = /^[A-Za-z0-9._'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function checkInviteEmail(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'Email address is required.';
  if (trimmed.length > 256) return 'Use at most 256 characters.';
  if (!EMAIL.test(trimmed)) return 'Enter an e-mail address such as name@fabrikam.com, without special characters.';
  const [local = '', domain = ''] = trimmed.split('@');
  const edges = (part: string) => /^[.-]|[.-]$/.test(part) || part.includes('..');
  if (edges(local) || domain.split('.').some((label) => label === '' || /^-|-$/.test(label))) return "The address can't start or end with . or -, nor have two dots in a row.";
  return null;
}

export const MAX_MESSAGE_LENGTH = 10_000;

/** The invitation e-mail's languages; any other falls back to English on the server. */
export const messageLanguages: readonly Choice<string>[] = [
  { value: 'en-US', label: 'English' },
  { value: 'nl-NL', label: 'Nederlands (Dutch)' },
];

export const invitationStateLabel = (state: string | null | undefined): string =>
  state === 'PendingAcceptance' ? 'Pending acceptance' : state === 'Accepted' ? 'Accepted' : state ? state : 'Not invited';

export const invitationStatusLabel = (status: string): string =>
  ({ PendingAcceptance: 'Pending acceptance', Completed: 'Accepted (already redeemed)', InProgress: 'In progress', Error: 'Error' })[status] ?? status;

export const bulkStatusLabel = (status: string): string =>
  ({ notStarted: 'Not started', running: 'Running', completed: 'Completed', failed: 'Failed' })[status] ?? status;

/** "12 Mar 2026, 14:05" in the admin's locale; an empty string for no date. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Whole percent done, for the progress bar's text (0 when there is nothing to do yet). */
export function percentDone(processed: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((processed / total) * 100));
}

/** The file name a download is saved under: the server's when it names one, else `fallback`; never a path. */
export function downloadName(fromServer: string | null, fallback: string): string {
  const name = (fromServer ?? '').split(/[\\/]/).pop()?.trim() ?? '';
  return name === '' ? fallback : name;
}

/** Whether the signed-in admin may invite, and if not, why (Entra's allowInvitesFrom levels). */
export type InviteAccess = { allowed: true } | { allowed: false; reason: string };

/**
 * `invitesByRole`: a directory role lets them invite (Global Administrator, User Administrator,
 * Guest Inviter). `policy` null: the policy could not be read, so only the roles decide; the API
 * decides in the end either way.
 */
export function inviteAccess(policy: AllowInvitesFrom | null, facts: { invitesByRole: boolean; userType: string | null }): InviteAccess {
  const member = facts.userType !== 'Guest';
  switch (policy) {
    case 'none':
      return { allowed: false, reason: 'Invitations are turned off: Guest invite restrictions in External collaboration settings say no one in the organization can invite guest users, including admins.' };
    case 'everyone':
      return { allowed: true };
    case 'adminsGuestInvitersAndAllMembers':
      if (facts.invitesByRole || member) return { allowed: true };
      return { allowed: false, reason: 'Guest invite restrictions let members and some admin roles invite guests; your account is a guest without such a role.' };
    case 'adminsAndGuestInviters':
    case null:
      if (facts.invitesByRole) return { allowed: true };
      return { allowed: false, reason: 'Only Global Administrators, User Administrators and Guest Inviters can invite guest users in this organization.' };
  }
}
