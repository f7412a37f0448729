export interface ObjectIdentity {
  signInType: string;
  issuer: string;
  issuerAssignedId: string | null;
}

/** A user as Graph shows it (the `microsoft.graph.user` properties Tessera stores). */
export interface User {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string;
  otherMails: string[];
  proxyAddresses: string[];
  identities: ObjectIdentity[];
  businessPhones: string[];
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  usageLocation: string | null;
  jobTitle: string | null;
  department: string | null;
  companyName: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  preferredLanguage: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  streetAddress: string | null;
  postalCode: string | null;
  employeeId: string | null;
  externalUserState: string | null;
  externalUserStateChangeDateTime: string | null;
  creationType: string | null;
  createdDateTime: string;
}

/** Properties Graph returns when no $select is given. */
export const userDefaultProperties = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Writable simple string properties and their columns. */
export const userStringColumns = {
  displayName: 'display_name',
  givenName: 'given_name',
  surname: 'surname',
  mail: 'mail',
  mailNickname: 'mail_nickname',
  usageLocation: 'usage_location',
  jobTitle: 'job_title',
  department: 'department',
  companyName: 'company_name',
  officeLocation: 'office_location',
  mobilePhone: 'mobile_phone',
  preferredLanguage: 'preferred_language',
  city: 'city',
  state: 'state',
  country: 'country',
  streetAddress: 'street_address',
  postalCode: 'postal_code',
  employeeId: 'employee_id',
  userPrincipalName: 'user_principal_name',
} as const;
