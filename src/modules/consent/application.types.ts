import type { AppRole, PermissionScope } from './graph-permissions.ts';

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  /** the first three characters of the secret, as Graph shows them */
  hint: string;
  /** keyed hash (SecretBox.mac) of the secret; the secret itself is never stored */
  secretHash: string;
  startDateTime: string;
  endDateTime: string | null;
}

export interface KeyCredential {
  keyId: string;
  type: 'AsymmetricX509Cert' | 'Jwk';
  usage: 'Verify';
  displayName: string | null;
  /** the public key as a JWK (JSON) */
  key: string;
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Scope' | 'Role' }[];
}

export interface Application {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';
  web: { redirectUris: string[] };
  spa: { redirectUris: string[] };
  publicClient: { redirectUris: string[] };
  isFallbackPublicClient: boolean;
  identifierUris: string[];
  requiredResourceAccess: RequiredResourceAccess[];
  api: { oauth2PermissionScopes: PermissionScope[] };
  appRoles: AppRole[];
  passwordCredentials: PasswordCredential[];
  keyCredentials: KeyCredential[];
  createdDateTime: string;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appOwnerOrganizationId: string | null;
  accountEnabled: boolean;
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
  servicePrincipalNames: string[];
  createdDateTime: string;
}

export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  resourceId: string;
  createdDateTime: string;
}
