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
 * Limits on organization and branding properties, as data. The Graph v1.0 `organization` page
 * documents none; the address fields take the user's limits (street 1024 like streetAddress, city
 * and state 128, postalCode 40), displayName 256 like every directory object's. Our choices:
 * technicalNotificationMails 20 addresses of 254 characters, URLs 2048 characters.
 */
export const ORGANIZATION_LIMITS = {
  displayName: 256,
  city: 128,
  state: 128,
  street: 1024,
  postalCode: 40,
  technicalNotificationMails: { maxItems: 20, itemMaxLength: 254 },
  privacyProfile: { contactEmail: 254, statementUrl: 2048 },
  logoUrl: 2048,
} as const;

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
  displayName: { type: 'string', maxLength: ORGANIZATION_LIMITS.displayName, check: (v: string) => (v.trim() === '' ? 'cannot be empty' : null) },
  countryLetterCode: { type: 'string', nullable: true, check: (v: string) => (COUNTRY_CODE.test(v) ? null : 'expected a two-letter ISO 3166 country code such as NL') },
  preferredLanguage: { type: 'string', nullable: true, check: (v: string) => (/^[a-z]{2}(-[A-Z]{2})?$/.test(v) ? null : 'expected an ISO 639-1 language code such as en or nl') },
  city: { type: 'string', nullable: true, maxLength: ORGANIZATION_LIMITS.city },
  state: { type: 'string', nullable: true, maxLength: ORGANIZATION_LIMITS.state },
  street: { type: 'string', nullable: true, maxLength: ORGANIZATION_LIMITS.street },
  postalCode: { type: 'string', nullable: true, maxLength: ORGANIZATION_LIMITS.postalCode },
  privacyProfile: { type: 'object', nullable: true, check: (v: Record<string, unknown>) => privacyProfileProblem(v) },
  technicalNotificationMails: { type: 'stringArray', ...ORGANIZATION_LIMITS.technicalNotificationMails, check: (v: string[]) => (v.every(isEmail) ? null : 'every entry must be an e-mail address') },
};

export function privacyProfileProblem(value: Record<string, unknown>): string | null {
  for (const key of Object.keys(value)) {
    if (key !== 'contactEmail' && key !== 'statementUrl') return `Property '${key}' does not exist on type 'microsoft.graph.privacyProfile'`;
  }
  const { contactEmail, statementUrl } = value;
  const limits = ORGANIZATION_LIMITS.privacyProfile;
  if (typeof contactEmail === 'string' && contactEmail.length > limits.contactEmail) return `contactEmail is longer than the limit of ${limits.contactEmail} characters`;
  if (typeof statementUrl === 'string' && statementUrl.length > limits.statementUrl) return `statementUrl is longer than the limit of ${limits.statementUrl} characters`;
  if (contactEmail !== undefined && contactEmail !== null && (typeof contactEmail !== 'string' || !isEmail(contactEmail))) return 'contactEmail is not a valid e-mail address';
  if (statementUrl !== undefined && statementUrl !== null && (typeof statementUrl !== 'string' || httpsUrlProblem(statementUrl))) return 'statementUrl is not an absolute http(s) URL';
  return null;
}

export const brandingBodySpec: BodySpec = {
  logoUrl: { type: 'string', nullable: true, maxLength: ORGANIZATION_LIMITS.logoUrl, check: httpsUrlProblem },
  backgroundColor: { type: 'string', nullable: true, check: (v: string) => (/^#[0-9a-fA-F]{6}$/.test(v) ? null : 'expected a colour such as #1f6feb') },
};

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
export function isDomainName(value: string): boolean {
  return DOMAIN.test(value);
}
