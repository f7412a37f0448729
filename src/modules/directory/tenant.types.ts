export type CloudType = 'commercial' | 'government' | 'sovereign';

export interface VerifiedDomain {
  name: string;
  isInitial: boolean;
  isDefault: boolean;
  type: string;
  capabilities: string;
}

export interface Branding {
  logoUrl: string | null;
  backgroundColor: string | null;
}

export interface Tenant {
  id: string;
  displayName: string;
  initialDomain: string;
  countryLetterCode: string | null;
  preferredLanguage: string | null;
  city: string | null;
  state: string | null;
  street: string | null;
  postalCode: string | null;
  cloudType: CloudType;
  privacyProfile: { contactEmail: string | null; statementUrl: string | null };
  technicalNotificationMails: string[];
  branding: Branding;
  settings: Record<string, unknown>;
  createdDateTime: string;
  verifiedDomains: VerifiedDomain[];
}
