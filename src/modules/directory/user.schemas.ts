import { COUNTRY_CODE, isEmail, type BodySpec } from '../../kernel/body.ts';

const UPN_LOCAL = /^[A-Za-z0-9'._\-!#^~]+$/;

export function upnProblem(upn: string): string | null {
  const at = upn.lastIndexOf('@');
  if (at <= 0 || at === upn.length - 1) return 'expected the form alias@domain';
  const local = upn.slice(0, at);
  if (!UPN_LOCAL.test(local)) return "the part before '@' may only contain letters, digits and ' . - _ ! # ^ ~";
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return "the part before '@' cannot start or end with '.' or contain '..'";
  if (upn.length > 113) return 'longer than 113 characters';
  return null;
}

const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,\s]/;

export function mailNicknameProblem(value: string): string | null {
  if (value.length === 0) return 'cannot be empty';
  if (MAIL_NICKNAME_FORBIDDEN.test(value)) return 'cannot contain spaces or any of @ ( ) \\ [ ] " ; : < > ,';
  return null;
}

const PASSWORD_PROFILE_BOOLEANS = ['forceChangePasswordNextSignIn', 'forceChangePasswordNextSignInWithMfa'];

/** Graph's passwordProfile: a string password and two booleans (the MFA one is accepted and ignored). */
function passwordProfileProblem(value: Record<string, unknown>): string | null {
  for (const [name, v] of Object.entries(value)) {
    if (name === 'password') {
      if (typeof v !== 'string') return "'password' must be a string";
    } else if (PASSWORD_PROFILE_BOOLEANS.includes(name)) {
      if (typeof v !== 'boolean') return `'${name}' must be true or false`;
    } else if (name !== '@odata.type') {
      return `'${name}' is not a property of passwordProfile`;
    }
  }
  return null;
}

const str = (maxLength: number) => ({ type: 'string' as const, nullable: true, maxLength });

/** What `POST /users` and `PATCH /users/{id}` accept, with Graph's types and limits. */
export const userBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  createdDateTime: { type: 'string', writable: false },
  proxyAddresses: { type: 'stringArray', writable: false },
  externalUserState: { type: 'string', writable: false },
  externalUserStateChangeDateTime: { type: 'string', writable: false },
  creationType: { type: 'string', writable: false },
  identities: { type: 'objectArray', writable: false },
  accountEnabled: { type: 'boolean' },
  displayName: { type: 'string', maxLength: 256, check: (v: string) => (v.trim() === '' ? 'cannot be empty' : null) },
  userPrincipalName: { type: 'string', check: upnProblem },
  mailNickname: { type: 'string', maxLength: 64, check: mailNicknameProblem },
  passwordProfile: { type: 'object', check: passwordProfileProblem },
  passwordPolicies: { type: 'string', nullable: true },
  givenName: str(64),
  surname: str(64),
  mail: { ...str(256), check: (v: string) => (isEmail(v) ? null : 'not a valid e-mail address') },
  otherMails: { type: 'stringArray', check: (v: string[]) => (v.every(isEmail) ? null : 'every entry must be an e-mail address') },
  businessPhones: { type: 'stringArray' },
  userType: { type: 'string', check: (v: string) => (v === 'Member' || v === 'Guest' ? null : "expected 'Member' or 'Guest'") },
  usageLocation: { ...str(2), check: (v: string) => (COUNTRY_CODE.test(v) ? null : 'expected a two-letter ISO 3166 country code such as NL') },
  jobTitle: str(128),
  department: str(64),
  companyName: str(64),
  officeLocation: str(128),
  mobilePhone: str(64),
  preferredLanguage: str(10),
  city: str(128),
  state: str(128),
  country: str(128),
  streetAddress: str(1024),
  postalCode: str(40),
  employeeId: str(16),
};

export interface PasswordProfile {
  password?: string;
  /** Graph's default is true: a password an administrator sets must be changed at the next sign-in. */
  forceChangePasswordNextSignIn?: boolean;
  forceChangePasswordNextSignInWithMfa?: boolean;
}
