import { type Check, maxLength, required, userPrincipalName } from '../../forms/validators.ts';

/** Checks shared by the create and edit forms, in the order the fields appear. */
export const profileRules = (domains: readonly string[]) =>
  ({
    displayName: [required('Display name'), maxLength(256)],
    userPrincipalName: [required('User principal name'), userPrincipalName(domains)],
    givenName: [maxLength(64)],
    surname: [maxLength(64)],
    jobTitle: [maxLength(128)],
    department: [maxLength(64)],
  }) satisfies Record<string, readonly Check[]>;

/** Graph property → form field, for showing API errors beside the field they name. */
export const profileApiFields = {
  displayName: 'displayName',
  userPrincipalName: 'userPrincipalName',
  givenName: 'givenName',
  surname: 'surname',
  jobTitle: 'jobTitle',
  department: 'department',
  usageLocation: 'usageLocation',
} as const;
