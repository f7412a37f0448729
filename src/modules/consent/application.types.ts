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
  /** the public key as a JWK (JSON); certificates carry x5c, x5t and x5t#S256 */
  key: string;
  /** certificates: their validity and SHA-1 thumbprint (Graph's customKeyIdentifier, hex) */
  startDateTime?: string | null;
  endDateTime?: string | null;
  customKeyIdentifier?: string | null;
}

/** Graph's informationalUrl: links the consent prompt and the app gallery show. */
export interface InformationalUrl {
  termsOfServiceUrl: string | null;
  privacyStatementUrl: string | null;
  marketingUrl: string | null;
  supportUrl: string | null;
  logoUrl: string | null;
}

/** Graph's verifiedPublisher: set only by a server administrator (`tessera app verify-publisher`), read-only in Graph. */
export interface VerifiedPublisher {
  displayName: string | null;
  verifiedPublisherId: string | null;
  addedDateTime: string | null;
}

export const EMPTY_INFO: InformationalUrl = Object.freeze({ termsOfServiceUrl: null, privacyStatementUrl: null, marketingUrl: null, supportUrl: null, logoUrl: null });
export const UNVERIFIED_PUBLISHER: VerifiedPublisher = Object.freeze({ displayName: null, verifiedPublisherId: null, addedDateTime: null });

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Scope' | 'Role' }[];
}

export interface Application {
  id: string;
  appId: string;
  displayName: string;
  description: string | null;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';
  info: InformationalUrl;
  verifiedPublisher: VerifiedPublisher;
  /** the home tenant's initial domain (read-only in Graph) */
  publisherDomain: string | null;
  tags: string[];
  web: { redirectUris: string[]; homePageUrl: string | null; logoutUrl: string | null };
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
  /** the home tenant of the app (null for Microsoft's own, e.g. Graph) */
  appOwnerOrganizationId: string | null;
  appDisplayName: string;
  description: string | null;
  accountEnabled: boolean;
  /** users need an app role assignment (direct or through a group) to sign in to the app */
  appRoleAssignmentRequired: boolean;
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
  servicePrincipalNames: string[];
  servicePrincipalType: 'Application';
  signInAudience: string;
  /** the home tenant's display name, copied when the service principal was made */
  publisherName: string | null;
  verifiedPublisher: VerifiedPublisher;
  info: InformationalUrl;
  homepage: string | null;
  replyUrls: string[];
  tags: string[];
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
