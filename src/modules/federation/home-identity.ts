import { isEmail } from '../../kernel/body.ts';
import type { HomeIdentity } from '../invitations/index.ts';
import { FederationErrors } from './federation.errors.ts';
import type { IdentityProvider } from './identity-provider.types.ts';
import { PERSONAL_TENANT_ID } from './personal-tenant.ts';

/**
 * Who a guest is at home, from what their home said (an ID token) or proved (a one-time code).
 * The e-mail address in a HomeIdentity is one the home is trusted to vouch for, because it is what
 * direct-link redemption matches pending guests by (InvitationsService.findGuestForSignIn): a home
 * that could name any address could take over another person's invitation.
 *
 * - A tenant on this server: the user's `email` claim (their `mail`), else `preferred_username`
 *   (their UPN), whichever is first in one of that tenant's verified domains. `mail` is an
 *   administrator-set property: an address outside the tenant's domains is not taken on its word.
 * - The personal-accounts tenant: the address, which is the account's sign-in name and was proven
 *   by a code when the account was made.
 * - An external OpenID Connect provider: `email` is required; `email_verified: false` is refused
 *   (the provider itself says it is unproven); a missing `email_verified` is accepted, since many
 *   organizational providers (Entra among them) never send it and the administrator who
 *   configured the provider vouched for it; and the address must be in one of the domains the
 *   provider is configured for, so a provider set up for partner.example cannot speak for anyone
 *   else's address.
 * - E-mail one-time passcode: the address the code was mailed to.
 */
export type TokenClaims = Record<string, unknown>;

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function tenantIssuer(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/v2.0`;
}

export function fromTenantToken(input: { baseUrl: string; homeTenantId: string; verifiedDomains: readonly string[]; claims: TokenClaims }): HomeIdentity {
  const { claims, homeTenantId } = input;
  const subject = text(claims.oid) ?? text(claims.sub);
  if (!subject) throw FederationErrors.homeEmailMissing();
  const personal = homeTenantId === PERSONAL_TENANT_ID;
  const domains = new Set(input.verifiedDomains.map((d) => d.toLowerCase()));
  const candidates = [text(claims.email), text(claims.preferred_username)].filter((v): v is string => v !== undefined && isEmail(v)).map((v) => v.toLowerCase());
  const email = personal ? candidates[0] : candidates.find((candidate) => domains.has(domainOf(candidate)));
  if (!email) throw FederationErrors.homeEmailMissing();
  return {
    kind: personal ? 'personal' : 'tenant',
    issuer: tenantIssuer(input.baseUrl, homeTenantId),
    subject,
    email,
    ...(text(claims.name) ? { displayName: text(claims.name)! } : {}),
    homeTenantId,
  };
}

export function fromProviderToken(provider: Pick<IdentityProvider, 'issuer' | 'domains'>, claims: TokenClaims): HomeIdentity {
  const subject = text(claims.sub);
  const raw = text(claims.email);
  if (!subject || !raw || !isEmail(raw)) throw FederationErrors.homeEmailMissing();
  if (claims.email_verified === false || claims.email_verified === 'false') throw FederationErrors.homeEmailUnverified();
  const email = raw.toLowerCase();
  if (!provider.domains.includes(domainOf(email))) throw FederationErrors.homeEmailOutsideDomains(email);
  const name = text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ') || undefined);
  return { kind: 'oidc', issuer: provider.issuer, subject, email, ...(name ? { displayName: name } : {}) };
}

export function fromEmailCode(email: string): HomeIdentity {
  const address = email.toLowerCase();
  return { kind: 'emailOtp', issuer: 'mail', subject: address, email: address };
}
