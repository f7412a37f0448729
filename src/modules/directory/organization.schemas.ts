import { COUNTRY_CODE, isEmail, type BodySpec } from '../../kernel/body.ts';

export function httpsUrlProblem(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'expected an http(s) URL';
  } catch {
    return 'expected an absolute URL';
  }
}

/**
 * What `PATCH /organization/{id}` accepts. Graph lets clients change the notification and privacy
 * properties; Tessera also lets administrators rename the tenant and set its address here, since
 * there is no other portal to do it in.
 */
export const organizationBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  verifiedDomains: { type: 'objectArray', writable: false },
  createdDateTime: { type: 'string', writable: false },
  tenantType: { type: 'string', writable: false },
  displayName: { type: 'string', maxLength: 256, check: (v: string) => (v.trim() === '' ? 'cannot be empty' : null) },
  countryLetterCode: { type: 'string', nullable: true, check: (v: string) => (COUNTRY_CODE.test(v) ? null : 'expected a two-letter ISO 3166 country code such as NL') },
  preferredLanguage: { type: 'string', nullable: true, check: (v: string) => (/^[a-z]{2}(-[A-Z]{2})?$/.test(v) ? null : 'expected an ISO 639-1 language code such as en or nl') },
  city: { type: 'string', nullable: true, maxLength: 128 },
  state: { type: 'string', nullable: true, maxLength: 128 },
  street: { type: 'string', nullable: true, maxLength: 1024 },
  postalCode: { type: 'string', nullable: true, maxLength: 40 },
  privacyProfile: { type: 'object', nullable: true },
  technicalNotificationMails: { type: 'stringArray', check: (v: string[]) => (v.every(isEmail) ? null : 'every entry must be an e-mail address') },
};

export function privacyProfileProblem(value: Record<string, unknown>): string | null {
  for (const key of Object.keys(value)) {
    if (key !== 'contactEmail' && key !== 'statementUrl') return `Property '${key}' does not exist on type 'microsoft.graph.privacyProfile'`;
  }
  const { contactEmail, statementUrl } = value;
  if (contactEmail !== undefined && contactEmail !== null && (typeof contactEmail !== 'string' || !isEmail(contactEmail))) return 'contactEmail is not a valid e-mail address';
  if (statementUrl !== undefined && statementUrl !== null && (typeof statementUrl !== 'string' || httpsUrlProblem(statementUrl))) return 'statementUrl is not an absolute http(s) URL';
  return null;
}

export const brandingBodySpec: BodySpec = {
  logoUrl: { type: 'string', nullable: true, check: httpsUrlProblem },
  backgroundColor: { type: 'string', nullable: true, check: (v: string) => (/^#[0-9a-fA-F]{6}$/.test(v) ? null : 'expected a colour such as #1f6feb') },
};

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
export function isDomainName(value: string): boolean {
  return DOMAIN.test(value);
}
