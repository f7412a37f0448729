/**
 * Client-side checks that mirror the directory's own rules, so most mistakes are caught before a
 * round trip. The API still checks everything; its messages are shown beside the field too.
 */
export type Check = (value: string) => string | null;

export const required =
  (label: string): Check =>
  (value) =>
    value.trim() === '' ? `${label} is required.` : null;

export const maxLength =
  (limit: number): Check =>
  (value) =>
    value.length > limit ? `Use at most ${limit} characters.` : null;

const EMAIL = /^[A-Za-z0-9._%+'!#^~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export const email: Check = (value) => (value === '' || (EMAIL.test(value) && !value.includes('..')) ? null : 'Enter an e-mail address such as name@example.com.');

export const httpUrl: Check = (value) => {
  if (value === '') return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return null;
  } catch {
    // falls through to the message
  }
  return 'Enter a full web address starting with https://.';
};

export const httpsUrl: Check = (value) => {
  const problem = httpUrl(value);
  if (problem || value === '') return problem;
  return new URL(value).protocol === 'https:' ? null : 'Use an https:// address.';
};

const UPN_LOCAL = /^[A-Za-z0-9'._\-!#^~]+$/;

/** `alias@domain`, where the domain must be one of the tenant's verified domains. */
export const userPrincipalName =
  (domains: readonly string[]): Check =>
  (value) => {
    if (value === '') return null;
    const at = value.lastIndexOf('@');
    if (at <= 0 || at === value.length - 1) return 'Use the form alias@domain.';
    const local = value.slice(0, at);
    const domain = value.slice(at + 1).toLowerCase();
    if (!UPN_LOCAL.test(local)) return "The part before @ may only contain letters, digits and ' . - _ ! # ^ ~.";
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return "The part before @ can't start or end with a dot or contain two dots in a row.";
    if (value.length > 113) return 'Use at most 113 characters.';
    if (domains.length > 0 && !domains.some((d) => d.toLowerCase() === domain)) return `The domain must be one of this tenant's verified domains: ${domains.join(', ')}.`;
    return null;
  };

const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,\s]/;

export const mailNickname: Check = (value) => {
  if (value === '') return null;
  if (MAIL_NICKNAME_FORBIDDEN.test(value)) return 'No spaces or any of @ ( ) \\ [ ] " ; : < > , please.';
  return value.length > 64 ? 'Use at most 64 characters.' : null;
};

/** Entra's default policy: 8 to 256 characters from at least three of four character classes. */
export const password: Check = (value) => {
  if (value === '') return null;
  if (value.length < 8 || value.length > 256) return 'Use 8 to 256 characters.';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(value)).length;
  return classes >= 3 ? null : 'Use at least three of: lower case, upper case, digits, symbols.';
};

export const countryCode: Check = (value) => (value === '' || /^[A-Z]{2}$/.test(value) ? null : 'Use a two-letter country code such as NL.');

export const hexColor: Check = (value) => (value === '' || /^#[0-9a-fA-F]{6}$/.test(value) ? null : 'Use a colour such as #1f4fd1.');

/** Runs each field's checks in order and keeps the first problem per field. */
export function validate<F extends string>(values: Readonly<Record<F, string | boolean>>, rules: Partial<Record<F, readonly Check[]>>): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const field of Object.keys(rules) as F[]) {
    const value = values[field];
    if (typeof value !== 'string') continue;
    for (const check of rules[field] ?? []) {
      const problem = check(value);
      if (problem) {
        errors[field] = problem;
        break;
      }
    }
  }
  return errors;
}
