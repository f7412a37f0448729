/** The parts of Graph's application, servicePrincipal and consent shapes (graph-reference §8) the admin center uses. */

export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';

export interface InformationalUrl {
  termsOfServiceUrl?: string | null;
  privacyStatementUrl?: string | null;
  marketingUrl?: string | null;
  supportUrl?: string | null;
  logoUrl?: string | null;
}

export interface VerifiedPublisher {
  displayName?: string | null;
  verifiedPublisherId?: string | null;
  addedDateTime?: string | null;
}

export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
  isEnabled: boolean;
  adminConsentDisplayName?: string | null;
  adminConsentDescription?: string | null;
  userConsentDisplayName?: string | null;
  userConsentDescription?: string | null;
}

export type AppRoleMemberType = 'User' | 'Application';

export interface AppRole {
  id: string;
  value: string | null;
  displayName: string | null;
  description: string | null;
  allowedMemberTypes: AppRoleMemberType[];
  isEnabled: boolean;
  origin?: string;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role';
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  /** only in the answer to addPassword: the secret, shown once */
  secretText?: string | null;
}

export interface KeyCredential {
  keyId?: string;
  type: string;
  usage: string;
  displayName?: string | null;
  /** base64 of the certificate (DER); Graph returns null when reading */
  key?: string | null;
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export type Platform = 'web' | 'spa' | 'publicClient';

export interface Application {
  id: string;
  appId: string;
  displayName: string;
  description?: string | null;
  signInAudience: SignInAudience;
  createdDateTime?: string | null;
  publisherDomain?: string | null;
  verifiedPublisher?: VerifiedPublisher | null;
  info?: InformationalUrl | null;
  web?: { redirectUris: string[]; homePageUrl?: string | null; logoutUrl?: string | null } | null;
  spa?: { redirectUris: string[] } | null;
  publicClient?: { redirectUris: string[] } | null;
  identifierUris?: string[];
  requiredResourceAccess?: RequiredResourceAccess[];
  api?: { oauth2PermissionScopes?: PermissionScope[] } | null;
  appRoles?: AppRole[];
  passwordCredentials?: PasswordCredential[];
  keyCredentials?: KeyCredential[];
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appDisplayName?: string | null;
  description?: string | null;
  appOwnerOrganizationId?: string | null;
  accountEnabled?: boolean;
  appRoleAssignmentRequired?: boolean;
  publisherName?: string | null;
  verifiedPublisher?: VerifiedPublisher | null;
  signInAudience?: string | null;
  homepage?: string | null;
  info?: InformationalUrl | null;
  servicePrincipalType?: string | null;
  appRoles?: AppRole[];
  oauth2PermissionScopes?: PermissionScope[];
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
  principalDisplayName?: string | null;
  resourceId: string;
  resourceDisplayName?: string | null;
  createdDateTime?: string | null;
}

export type PermissionClassification = 'low' | 'medium' | 'high';

export interface DelegatedPermissionClassification {
  id: string;
  permissionId: string;
  permissionName: string;
  classification: PermissionClassification;
}

/** Microsoft Graph's appId: the same in every tenant. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The role of an assignment to an app that defines no roles (Entra's "Default Access"). */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';
