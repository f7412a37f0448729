/**
 * The federation module's public surface (issue 15 items 3-6): home sign-in for B2B guests (home
 * discovery, the personal-accounts tenant and its self-service accounts, e-mail one-time codes,
 * HomeIdentity rules) and the organization's OpenID Connect identity providers.
 */
export { FederationService, type FederationDependencies, type HomeClient, type HomeDiscovery, type HomeRealm } from './federation.service.ts';
export { IdentityProvidersService } from './identity-providers.service.ts';
export { EMAIL_CODE_LIMITS, type CodeCheck } from './email-codes.service.ts';
export { FederationErrors } from './federation.errors.ts';
export { PERSONAL_TENANT, PERSONAL_TENANT_ID } from './personal-tenant.ts';
export { IDENTITY_PROVIDER_LIMITS, OPENID_CONNECT_TYPE, DEFAULT_SCOPE } from './identity-provider.schemas.ts';
export { identityProviderAccess } from './identity-provider.access.ts';
export { fromEmailCode, tenantIssuer, type TokenClaims } from './home-identity.ts';
export type { IdentityProvider, IdentityProviderClient } from './identity-provider.types.ts';
export { identityProvidersRepo } from './identity-providers.repo.ts';
export { emailCodesRepo, type CodePurpose } from './email-codes.repo.ts';
