/** Sign-in: OIDC protocol state storage, per-tenant signing keys, password sign-in with smart lockout. */
export { OidcPayloadStore, type StoredPayload } from './payload-store.ts';
export { SigningKeysService, SIGNING_ALGS, RETIRED_KEY_GRACE_SECONDS, type SigningAlg, type TenantKeys } from './signing-keys.service.ts';
export { SignInService, LOCKOUT_THRESHOLD, FIRST_LOCKOUT_SECONDS, type SignInOutcome } from './signin.service.ts';
export { payloadsRepo } from './payloads.repo.ts';
export { keysRepo } from './keys.repo.ts';
export { lockoutRepo } from './lockout.repo.ts';
export { AccountSessionsService } from './account-sessions.service.ts';
export { accountSessionsRepo } from './account-sessions.repo.ts';
export type { TokenVerifier, VerifiedToken } from './token-verifier.ts';
