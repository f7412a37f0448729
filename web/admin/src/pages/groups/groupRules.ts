import { type Check, mailNickname, maxLength, required } from '../../forms/validators.ts';

export const groupRules = {
  displayName: [required('Display name'), maxLength(256)],
  mailNickname: [required('Mail nickname'), mailNickname],
  description: [maxLength(1024)],
} satisfies Record<string, readonly Check[]>;

/** Graph property → form field, for showing API errors beside the field they name. */
export const groupApiFields = { displayName: 'displayName', mailNickname: 'mailNickname', description: 'description' } as const;
