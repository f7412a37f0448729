/** The parts of Graph's shapes that the admin center reads and writes. */

export interface Collection<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export interface DirectoryObject {
  id: string;
  '@odata.type'?: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  description?: string | null;
  roleTemplateId?: string | null;
}

export const USER_TYPE = '#microsoft.graph.user';
export const GROUP_TYPE = '#microsoft.graph.group';
export const DIRECTORY_ROLE_TYPE = '#microsoft.graph.directoryRole';

export interface User {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  mail?: string | null;
  mailNickname?: string | null;
  userType?: 'Member' | 'Guest' | null;
  accountEnabled?: boolean | null;
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  usageLocation?: string | null;
  createdDateTime?: string | null;
  externalUserState?: string | null;
}

export interface NewUser {
  accountEnabled: boolean;
  displayName: string;
  mailNickname: string;
  userPrincipalName: string;
  passwordProfile: { password: string; forceChangePasswordNextSignIn: boolean };
  usageLocation?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  department?: string;
}

export interface Group {
  id: string;
  displayName: string;
  description?: string | null;
  mailNickname?: string | null;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  createdDateTime?: string | null;
}

export interface NewGroup {
  displayName: string;
  mailNickname: string;
  description?: string;
  mailEnabled: false;
  securityEnabled: true;
}

export interface DirectoryRole {
  id: string;
  displayName: string;
  description?: string | null;
  roleTemplateId: string;
}

export interface VerifiedDomain {
  name: string;
  isDefault: boolean;
  isInitial: boolean;
  type?: string | null;
}

export interface Organization {
  id: string;
  displayName: string;
  verifiedDomains: VerifiedDomain[];
  countryLetterCode?: string | null;
  privacyProfile?: { contactEmail?: string | null; statementUrl?: string | null } | null;
  technicalNotificationMails?: string[] | null;
  createdDateTime?: string | null;
}

/** Tessera's branding extension (`/beta/organization/{id}/branding`). */
export interface Branding {
  logoUrl?: string | null;
  backgroundColor?: string | null;
}
