/**
 * Consent and permissions: the user consent setting as Entra's portal shows it, and how each choice
 * is written to `authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned`
 * (graph-reference §6). Pure, unit-tested in test/admin/.
 */

export type UserConsentChoice = 'none' | 'low' | 'legacy';

const SELF = 'managepermissiongrantsforself.';

export const USER_CONSENT_ENTRIES: Readonly<Record<Exclude<UserConsentChoice, 'none'>, string>> = {
  low: 'ManagePermissionGrantsForSelf.microsoft-user-default-low',
  legacy: 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
};

export const userConsentChoices: readonly { value: UserConsentChoice; label: string }[] = [
  { value: 'none', label: 'Do not allow user consent' },
  { value: 'low', label: 'Allow user consent for apps from verified publishers, for selected permissions' },
  { value: 'legacy', label: 'Allow user consent for apps' },
];

export const userConsentHints: Readonly<Record<UserConsentChoice, string>> = {
  none: 'An administrator consents for every app; users who may not consent can ask for approval when the admin consent workflow is on.',
  low: 'Users may consent to permissions classified as low impact, for apps from verified publishers or registered in this organization.',
  legacy: 'Users may consent to any permission that does not need an administrator, for any app.',
};

/**
 * The choice a stored list means, compared case-insensitively (Entra's casing varies); null for a
 * `ManagePermissionGrantsForSelf.*` entry the portal has no option for.
 */
export function userConsentChoiceOf(assigned: readonly string[]): UserConsentChoice | null {
  const self = assigned.filter((entry) => entry.toLowerCase().startsWith(SELF));
  if (self.length === 0) return 'none';
  if (self.length > 1) return null;
  const entry = self[0]!.toLowerCase();
  if (entry === USER_CONSENT_ENTRIES.low.toLowerCase()) return 'low';
  if (entry === USER_CONSENT_ENTRIES.legacy.toLowerCase()) return 'legacy';
  return null;
}

/**
 * The list to store for a choice: every `ManagePermissionGrantsForSelf.*` entry is replaced, other
 * entries (`ManagePermissionGrantsForOwnedResource.*`, owner and team consent) are kept as they were.
 */
export function assignedForChoice(choice: UserConsentChoice, assigned: readonly string[]): string[] {
  const kept = assigned.filter((entry) => !entry.toLowerCase().startsWith(SELF));
  return choice === 'none' ? kept : [...kept, USER_CONSENT_ENTRIES[choice]];
}

export const classificationLabel = (classification: string): string =>
  ({ low: 'Low impact', medium: 'Medium impact', high: 'High impact' })[classification] ?? classification;
