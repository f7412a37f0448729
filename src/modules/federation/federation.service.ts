import { isEmail } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { SecretBox } from '../../kernel/secrets.ts';
import type { Database } from '../../storage/database.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { FEDERATION_APP_ID, FEDERATION_SCOPES, type ApplicationsService } from '../consent/index.ts';
import { createEmailVerifiedUser, type TenantsService, type User, type UsersService } from '../directory/index.ts';
import type { HomeIdentity } from '../invitations/index.ts';
import type { MailService } from '../mail/index.ts';
import { type CodeCheck, EmailCodesService } from './email-codes.service.ts';
import { FederationErrors } from './federation.errors.ts';
import { fromEmailCode, fromProviderToken, fromTenantToken, tenantIssuer, type TokenClaims } from './home-identity.ts';
import type { IdentityProviderClient } from './identity-provider.types.ts';
import { IdentityProvidersService } from './identity-providers.service.ts';
import { PERSONAL_TENANT, PERSONAL_TENANT_ID } from './personal-tenant.ts';

/** Where an invitee's home is (DESIGN §4, issue 15 item 3). */
export type HomeRealm =
  /** (a) a tenant on this server with the address's domain verified */
  | { kind: 'tenant'; tenantId: string }
  /** (b) an OpenID Connect provider the inviting organization configured for the domain */
  | { kind: 'oidc'; providerId: string; displayName: string }
  /** (c) the personal-accounts tenant: sign in, or create an account */
  | { kind: 'personal'; accountExists: boolean };

export interface HomeDiscovery {
  email: string;
  home: HomeRealm;
  /** (d) e-mail one-time passcode is offered: the inviting tenant allows it and the home is not (a) or (b) */
  emailOtp: boolean;
}

/** An OpenID provider on this server that home sign-in redeems codes at, as the federation client. */
export interface HomeClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

export interface FederationDependencies {
  database: Database;
  clock: Clock;
  secrets: SecretBox;
  tenants: TenantsService;
  users: UsersService;
  applications: ApplicationsService;
  mail: MailService;
  baseUrl: () => string;
  /** whether the inviting tenant lets guests sign in with e-mail one-time passcodes (InvitationsService.externalSettings) */
  emailOtpAllowed: (scope: TenantScope) => Promise<boolean>;
}

/**
 * Home sign-in for B2B guests: finding an invitee's home from their address, the clients that
 * sign them in there, the personal-accounts tenant and its self-service accounts, one-time codes,
 * and the rules that turn what a home said into a HomeIdentity (home-identity.ts). The pages that
 * drive it live in http/federation, http/redemption and http/interactions.
 */
export class FederationService {
  readonly identityProviders: IdentityProvidersService;
  readonly codes: EmailCodesService;
  #personal: Promise<TenantScope> | null = null;

  constructor(private readonly deps: FederationDependencies) {
    this.codes = new EmailCodesService(deps.database, deps.clock, deps.secrets, deps.mail);
    this.identityProviders = new IdentityProvidersService(deps.database, deps.clock, deps.secrets, deps.tenants);
  }

  /** The personal-accounts tenant, created (and provisioned) the first time it is needed. */
  personalTenant(): Promise<TenantScope> {
    this.#personal ??= this.deps.tenants.ensureBuiltIn(PERSONAL_TENANT).catch((error: unknown) => {
      this.#personal = null;
      throw error;
    });
    return this.#personal;
  }

  isPersonalTenant(tenantId: string): boolean {
    return tenantId === PERSONAL_TENANT_ID;
  }

  /** Finds the home of `email` for a guest of `inviting`: (a) a tenant here, (b) the inviting tenant's provider for the domain, else (c) personal; (d) when allowed. */
  async discover(inviting: TenantScope, address: string): Promise<HomeDiscovery> {
    const email = address.trim().toLowerCase();
    if (!isEmail(email)) throw FederationErrors.invalidAddress(address);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const tenant = await this.deps.tenants.resolve(domain);
    if (tenant) return { email, home: { kind: 'tenant', tenantId: tenant.tenantId }, emailOtp: false };
    const provider = await this.identityProviders.forDomain(inviting, domain);
    if (provider) return { email, home: { kind: 'oidc', providerId: provider.id, displayName: provider.displayName }, emailOtp: false };
    const [account, emailOtp] = await Promise.all([this.personalAccount(email), this.deps.emailOtpAllowed(inviting)]);
    return { email, home: { kind: 'personal', accountExists: account !== undefined }, emailOtp };
  }

  /** The personal account whose sign-in name is `email`, if one exists. */
  async personalAccount(email: string): Promise<User | undefined> {
    return this.deps.users.find(await this.personalTenant(), email.trim().toLowerCase());
  }

  /** The federation client at a tenant on this server (or the personal tenant); registered there first if the tenant predates it. */
  async homeClient(tenantId: string): Promise<HomeClient> {
    const scope = tenantId === PERSONAL_TENANT_ID ? await this.personalTenant() : await this.deps.tenants.resolve(tenantId);
    if (!scope) throw FederationErrors.homeNotFound(tenantId);
    await this.deps.applications.ensureFederationClient(scope);
    return { issuer: tenantIssuer(this.deps.baseUrl(), scope.tenantId), clientId: FEDERATION_APP_ID, clientSecret: this.deps.applications.federationClientSecret(), scope: FEDERATION_SCOPES };
  }

  /** An external provider of the inviting organization, with its client secret. */
  providerClient(inviting: TenantScope, providerId: string): Promise<IdentityProviderClient | undefined> {
    return this.identityProviders.client(inviting, providerId);
  }

  /** HomeIdentity from the ID token of a tenant on this server (or the personal tenant). */
  async identityFromTenant(homeTenantId: string, claims: TokenClaims): Promise<HomeIdentity> {
    const tenant = homeTenantId === PERSONAL_TENANT_ID ? undefined : await this.deps.tenants.get(await this.#scope(homeTenantId));
    return fromTenantToken({ baseUrl: this.deps.baseUrl(), homeTenantId, verifiedDomains: tenant?.verifiedDomains.map((d) => d.name) ?? [], claims });
  }

  /** HomeIdentity from an external provider's ID token (rules in home-identity.ts). */
  identityFromProvider(provider: IdentityProviderClient, claims: TokenClaims): HomeIdentity {
    return fromProviderToken(provider, claims);
  }

  /** (d) Mails a sign-in code for a guest of `inviting`. */
  async sendGuestCode(inviting: TenantScope, email: string, locale: string): Promise<string> {
    const organization = (await this.deps.tenants.pageBranding(inviting))?.displayName ?? '';
    return this.codes.send(inviting, { purpose: 'guestOtp', email, locale, organization });
  }

  /** (d) Checks a guest's code; on success (used up at once) the HomeIdentity it proves. */
  async verifyGuestCode(inviting: TenantScope, input: { codeId: string; email: string; code: string }): Promise<{ check: CodeCheck; home: HomeIdentity | null }> {
    const check = await this.codes.verify(inviting, { codeId: input.codeId, purpose: 'guestOtp', email: input.email, code: input.code, consume: true });
    return { check, home: check === 'ok' ? fromEmailCode(input.email) : null };
  }

  /** (c) Mails the code that proves an address before a personal account is created for it. */
  async sendSignupCode(email: string, locale: string): Promise<string> {
    const scope = await this.personalTenant();
    if (await this.personalAccount(email)) throw FederationErrors.accountExists(email.toLowerCase());
    return this.codes.send(scope, { purpose: 'signup', email, locale, organization: PERSONAL_TENANT.displayName });
  }

  async verifySignupCode(input: { codeId: string; email: string; code: string }): Promise<CodeCheck> {
    return this.codes.verify(await this.personalTenant(), { codeId: input.codeId, purpose: 'signup', email: input.email, code: input.code, consume: false });
  }

  /** Whether the signup code was verified and can still create an account. */
  async signupVerified(input: { codeId: string; email: string }): Promise<boolean> {
    return this.codes.isVerified(await this.personalTenant(), { codeId: input.codeId, purpose: 'signup', email: input.email });
  }

  /**
   * (c) Creates the personal account for a verified address (creationType EmailVerified): one
   * account per address (its sign-in name is unique), and the code is used up with it.
   */
  async createPersonalAccount(input: { codeId: string; email: string; displayName: string; password: string }): Promise<User> {
    const scope = await this.personalTenant();
    const email = input.email.trim().toLowerCase();
    if (await this.personalAccount(email)) throw FederationErrors.accountExists(email);
    if (!(await this.codes.isVerified(scope, { codeId: input.codeId, purpose: 'signup', email }))) throw FederationErrors.codeExpired();
    const user = await createEmailVerifiedUser(this.deps.database, this.deps.clock, scope, { email, displayName: input.displayName, password: input.password });
    await this.codes.consume(scope, { codeId: input.codeId, purpose: 'signup', email });
    return user;
  }

  async #scope(tenantId: string): Promise<TenantScope> {
    const scope = await this.deps.tenants.resolve(tenantId);
    if (!scope) throw FederationErrors.homeNotFound(tenantId);
    return scope;
  }
}
