import { EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, type Principal } from '../directory/index.ts';
import { FederationErrors } from './federation.errors.ts';

/**
 * Who may read and change an organization's identity providers, as data (Graph:
 * IdentityProvider.Read.All / IdentityProvider.ReadWrite.All with the External Identity Provider
 * Administrator or Global Administrator role). Directory.Read(Write).All is accepted as well: this
 * is a Tessera `/beta` extension and the admin center signs in with those scopes.
 */
const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';

export const identityProviderAccess = {
  read: {
    delegated: ['IdentityProvider.Read.All', 'IdentityProvider.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    application: ['IdentityProvider.Read.All', 'IdentityProvider.ReadWrite.All'],
    roles: [GLOBAL_ADMINISTRATOR, EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR, GLOBAL_READER],
  },
  write: {
    delegated: ['IdentityProvider.ReadWrite.All', 'Directory.ReadWrite.All'],
    application: ['IdentityProvider.ReadWrite.All'],
    roles: [GLOBAL_ADMINISTRATOR, EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR],
  },
} as const;

export function authorizeIdentityProviders(principal: Principal, access: 'read' | 'write'): void {
  const policy = identityProviderAccess[access];
  const allowed =
    principal.kind === 'system' ||
    (principal.kind === 'app' && policy.application.some((role) => principal.roles.has(role))) ||
    (principal.kind === 'user' &&
      principal.userType === 'Member' &&
      policy.delegated.some((scope) => principal.scopes.has(scope)) &&
      policy.roles.some((role) => principal.roleTemplateIds.has(role)));
  if (!allowed) throw FederationErrors.forbidden();
}
