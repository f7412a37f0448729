import { COUNTRY_CODE, isEmail, type BodySpec } from '../../kernel/body.ts';

const UPN_LOCAL = /^[A-Za-z0-9'._\-!#^~]+$/;
const LANGUAGE_TAG = /^[a-zA-Z]{2}(-[a-zA-Z]{2})?$/;

/**
 * Graph's limits on user properties, as data. Sources: the Graph v1.0 `user` resource page
 * ("Maximum length is N characters" for displayName 256, givenName/surname 64, jobTitle 128,
 * department 64, companyName 64, mailNickname 64, mobilePhone 64, city/state/country 128,
 * streetAddress 1024, postalCode 40, employeeId 16; officeLocation 128 on the agentUser page that
 * inherits it; otherMails "up to 250 values, each with a limit of 250 characters"; businessPhones
 * "only one number can be set"), Entra's username policy (UPN: 113 characters, 64 before the '@',
 * 48 after), Entra's password policy (256 characters) and `objectIdentity` (issuer 512,
 * issuerAssignedId 64). Our choices where Graph documents none: mail 254 (RFC 5321's longest
 * address), a business phone number 64 (like mobilePhone), passwordPolicies 256, preferredLanguage
 * 10 (`en-US`; ISO 639-1 with a region), identities 20 entries, signInType 64, proxyAddresses 50
 * (read-only; what `mail` changes may grow it to).
 */
export const USER_LIMITS = {
  displayName: 256,
  givenName: 64,
  surname: 64,
  jobTitle: 128,
  department: 64,
  companyName: 64,
  officeLocation: 128,
  mobilePhone: 64,
  city: 128,
  state: 128,
  country: 128,
  streetAddress: 1024,
  postalCode: 40,
  employeeId: 16,
  mailNickname: 64,
  mail: 254,
  preferredLanguage: 10,
  passwordPolicies: 256,
  password: 256,
  userPrincipalName: { total: 113, local: 64, domain: 48 },
  otherMails: { maxItems: 250, itemMaxLength: 250 },
  businessPhones: { maxItems: 1, itemMaxLength: 64 },
  proxyAddresses: { maxItems: 50 },
  identities: { maxItems: 20, signInType: 64, issuer: 512, issuerAssignedId: 64 },
} as const;

export function upnProblem(upn: string): string | null {
  const { total, local: localMax, domain: domainMax } = USER_LIMITS.userPrincipalName;
  if (upn.length > total) return `longer than the limit of ${total} characters`;
  const at = upn.lastIndexOf('@');
  if (at <= 0 || at === upn.length - 1) return 'expected the form alias@domain';
  const local = upn.slice(0, at);
  if (local.length > localMax) return `the part before '@' is longer than the limit of ${localMax} characters`;
  if (upn.length - at - 1 > domainMax) return `the part after '@' is longer than the limit of ${domainMax} characters`;
  if (!UPN_LOCAL.test(local)) return "the part before '@' may only contain letters, digits and ' . - _ ! # ^ ~";
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return "the part before '@' cannot start or end with '.' or contain '..'";
  return null;
}

// Graph: ASCII only (control characters too are refused here), without @ ( ) \ [ ] " ; : < > , and spaces.
const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,\s]|[^ -~]/;

export function mailNicknameProblem(value: string): string | null {
  if (value.length === 0) return 'cannot be empty';
  if (MAIL_NICKNAME_FORBIDDEN.test(value)) return 'may only contain ASCII characters, and no spaces or any of @ ( ) \\ [ ] " ; : < > ,';
  return null;
}

/** Graph's passwordProfile: a password and two booleans (the MFA one is accepted and ignored). */
const passwordProfileFields: BodySpec = {
  password: { type: 'string', maxLength: USER_LIMITS.password },
  forceChangePasswordNextSignIn: { type: 'boolean' },
  forceChangePasswordNextSignInWithMfa: { type: 'boolean' },
};

/** Graph's objectIdentity, for when sign-in identities become writable. */
const identityFields: BodySpec = {
  signInType: { type: 'string', maxLength: USER_LIMITS.identities.signInType },
  issuer: { type: 'string', maxLength: USER_LIMITS.identities.issuer },
  issuerAssignedId: { type: 'string', nullable: true, maxLength: USER_LIMITS.identities.issuerAssignedId },
};

const str = (maxLength: number) => ({ type: 'string' as const, nullable: true, maxLength });
const L = USER_LIMITS;

/** What `POST /users` and `PATCH /users/{id}` accept, with Graph's types and limits. */
export const userBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  createdDateTime: { type: 'string', writable: false },
  proxyAddresses: { type: 'stringArray', writable: false, maxItems: L.proxyAddresses.maxItems },
  externalUserState: { type: 'string', writable: false },
  externalUserStateChangeDateTime: { type: 'string', writable: false },
  creationType: { type: 'string', writable: false },
  identities: { type: 'objectArray', writable: false, maxItems: L.identities.maxItems, fields: identityFields, typeName: 'microsoft.graph.objectIdentity' },
  accountEnabled: { type: 'boolean' },
  displayName: { type: 'string', maxLength: L.displayName, check: (v: string) => (v.trim() === '' ? 'cannot be empty' : null) },
  userPrincipalName: { type: 'string', check: upnProblem },
  mailNickname: { type: 'string', maxLength: L.mailNickname, check: mailNicknameProblem },
  passwordProfile: { type: 'object', fields: passwordProfileFields, typeName: 'microsoft.graph.passwordProfile' },
  passwordPolicies: str(L.passwordPolicies),
  givenName: str(L.givenName),
  surname: str(L.surname),
  mail: { ...str(L.mail), check: (v: string) => (isEmail(v) ? null : 'not a valid e-mail address') },
  otherMails: {
    type: 'stringArray',
    ...L.otherMails,
    check: (v: string[]) => (v.every(isEmail) ? null : 'every entry must be an e-mail address'),
  },
  businessPhones: { type: 'stringArray', ...L.businessPhones },
  userType: { type: 'string', check: (v: string) => (v === 'Member' || v === 'Guest' ? null : "expected 'Member' or 'Guest'") },
  usageLocation: { ...str(2), check: (v: string) => (COUNTRY_CODE.test(v) ? null : 'expected a two-letter ISO 3166 country code such as NL') },
  jobTitle: str(L.jobTitle),
  department: str(L.department),
  companyName: str(L.companyName),
  officeLocation: str(L.officeLocation),
  mobilePhone: str(L.mobilePhone),
  preferredLanguage: {
    ...str(L.preferredLanguage),
    check: (v: string) => (LANGUAGE_TAG.test(v) ? null : 'expected an ISO 639-1 language code, optionally with a region, such as en or en-US'),
  },
  city: str(L.city),
  state: str(L.state),
  country: str(L.country),
  streetAddress: str(L.streetAddress),
  postalCode: str(L.postalCode),
  employeeId: str(L.employeeId),
};

export interface PasswordProfile {
  password?: string;
  /** Graph's default is true: a password an administrator sets must be changed at the next sign-in. */
  forceChangePasswordNextSignIn?: boolean;
  forceChangePasswordNextSignInWithMfa?: boolean;
}
