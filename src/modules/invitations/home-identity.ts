import type { ObjectIdentity } from '../directory/index.ts';
import type { HomeIdentity } from './invitation.types.ts';
import { InvitationErrors } from './invitations.errors.ts';

/** Limits on a home identity as the sign-in side hands it over (objectIdentity's issuer 512; our subject 512). */
const HOME_LIMITS = { issuer: 512, subject: 512, email: 254 } as const;
const KINDS: ReadonlySet<string> = new Set(['tenant', 'oidc', 'personal', 'emailOtp']);

/** A checked copy of a home identity: known kind, non-empty bounded issuer and subject, lower-cased e-mail. */
export function validHome(home: HomeIdentity): HomeIdentity {
  const ok =
    home !== null &&
    typeof home === 'object' &&
    KINDS.has(home.kind) &&
    typeof home.issuer === 'string' &&
    home.issuer.length > 0 &&
    home.issuer.length <= HOME_LIMITS.issuer &&
    typeof home.subject === 'string' &&
    home.subject.length > 0 &&
    home.subject.length <= HOME_LIMITS.subject &&
    typeof home.email === 'string' &&
    home.email.includes('@') &&
    home.email.length <= HOME_LIMITS.email;
  if (!ok) throw InvitationErrors.invalidHome();
  return {
    kind: home.kind,
    issuer: home.issuer,
    subject: home.subject,
    email: home.email.trim().toLowerCase(),
    ...(home.displayName ? { displayName: home.displayName } : {}),
    ...(home.homeTenantId ? { homeTenantId: home.homeTenantId } : {}),
  };
}

/**
 * The `identities` entry a redemption adds (contract): another tenant on this server is
 * ExternalAzureAD, an OIDC provider its issuer host with the subject, a personal account
 * PersonalAccount, e-mail one-time passcode `mail` with the address.
 */
export function federatedIdentityOf(home: HomeIdentity): ObjectIdentity {
  switch (home.kind) {
    case 'tenant':
      return { signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: null };
    case 'oidc':
      return { signInType: 'federated', issuer: issuerHost(home.issuer), issuerAssignedId: home.subject.slice(0, 64) };
    case 'personal':
      return { signInType: 'federated', issuer: 'PersonalAccount', issuerAssignedId: home.subject };
    case 'emailOtp':
      return { signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: home.email };
  }
}

function issuerHost(issuer: string): string {
  try {
    return new URL(issuer).host || issuer;
  } catch {
    return issuer;
  }
}
