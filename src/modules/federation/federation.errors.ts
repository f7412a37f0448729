import { defineErrors } from '../../kernel/errors.ts';

/** The federation module's errors: identity providers (Graph), one-time codes, home identities. */
export const FederationErrors = defineErrors('federation', {
  identityProviderNotFound: {
    kind: 'notFound',
    message: (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  },
  invalidIdentityProvider: { kind: 'badRequest', message: (why: string) => why },
  unsupportedType: {
    kind: 'badRequest',
    message: (type: string) => `The identity provider type '${type}' is not supported. Use '#microsoft.graph.openIdConnectIdentityProvider'.`,
  },
  domainTaken: {
    kind: 'duplicateKey',
    message: (domain: string) => `Another identity provider of this organization already serves the domain '${domain}'.`,
  },
  ownDomain: {
    kind: 'badRequest',
    message: (domain: string) => `'${domain}' is a verified domain of this organization: its people are members, not guests, so it cannot be federated.`,
  },
  tooManyProviders: { kind: 'badRequest', message: (limit: number) => `An organization can have at most ${limit} identity providers.` },
  forbidden: { kind: 'forbidden', message: () => 'Insufficient privileges to complete the operation.' },

  codeInvalid: { kind: 'badRequest', message: () => 'That code is not right. Check the code in the e-mail and try again.' },
  codeExpired: { kind: 'badRequest', message: () => 'That code has expired or has been used. Ask for a new code.' },
  codeAttemptsExhausted: { kind: 'badRequest', message: () => 'That code was entered wrongly too many times. Ask for a new code.' },
  tooManyCodes: { kind: 'throttled', message: () => 'Too many codes were sent to this address. Try again later.' },
  accountExists: { kind: 'conflict', message: (email: string) => `An account for '${email}' already exists. Sign in with it instead.` },
  notPersonalTenant: { kind: 'badRequest', message: () => 'Accounts can only be created in the personal-accounts tenant.' },

  invalidAddress: { kind: 'badRequest', message: (address: string) => `'${address}' is not an e-mail address.` },
  homeNotFound: { kind: 'notFound', message: (tenantId: string) => `The home organization '${tenantId}' does not exist.` },
  homeEmailMissing: { kind: 'badRequest', message: () => 'Your identity provider did not tell us your e-mail address, so your invitation cannot be matched to you.' },
  homeEmailUnverified: { kind: 'badRequest', message: () => 'Your identity provider says your e-mail address has not been verified.' },
  homeEmailOutsideDomains: {
    kind: 'badRequest',
    message: (email: string) => `Your identity provider vouched for '${email}', an address outside the domains it is trusted for here.`,
  },
});
