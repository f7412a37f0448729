/**
 * The personal-accounts tenant: Entra's consumer tenant id (Microsoft accounts' `tid`), holding the
 * accounts invitees create during redemption when they have no organizational account. The server
 * creates it on first need (TenantsService.ensureBuiltIn); its domain is never verified, so it is
 * reached by its id only, never by home-realm discovery.
 */
export const PERSONAL_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const PERSONAL_TENANT = {
  id: PERSONAL_TENANT_ID,
  displayName: 'Personal accounts',
  // `.invalid` (RFC 2606): no real address has it, and it is not a verified domain
  domain: 'personal-accounts.invalid',
} as const;
