import { GLOBAL_ADMINISTRATOR } from '../../access/roles.ts';

/**
 * Which of the sensitive actions on a user (delete, disable) the user page offers, following the
 * rules Entra applies (issue 13): nobody deletes or disables their own account, nor the tenant's last
 * enabled Global Administrator; deleting or disabling anyone who holds a directory role asks for
 * their name to be typed first. The API enforces the same rules; this only keeps the page from
 * offering what would be refused, and says why. Pure: no DOM, no requests (unit-tested in test/admin/).
 */

export interface TargetRole {
  displayName: string;
  roleTemplateId: string;
}

export interface TargetFacts {
  /** how the page names the user in sentences */
  name: string;
  /** the user is the signed-in administrator */
  isSelf: boolean;
  accountEnabled: boolean;
  /** the directory roles the user holds */
  roles: readonly TargetRole[];
  /** enabled users other than this one who hold Global Administrator (read only when this one holds it) */
  otherEnabledGlobalAdmins: number;
}

export type ActionDecision = { offered: false } | { offered: true; typedConfirmation: boolean };

export interface UserActionPlan {
  delete: ActionDecision;
  /** about disabling an enabled account; enabling a disabled one is always offered */
  disable: ActionDecision;
  /** why something is not offered, or why it will ask for the name; one sentence each */
  notes: string[];
}

const REFUSED: ActionDecision = { offered: false };

export const notes = {
  self: "You can't delete or disable your own account.",
  lastGlobalAdmin: 'This is the only enabled Global Administrator; assign another one first.',
  administrator: (name: string, roles: readonly TargetRole[]) =>
    `${name} holds an administrator role (${roles.map((role) => role.displayName).join(', ')}): to delete or disable this account, you'll type its name to confirm.`,
};

export function planUserActions(target: TargetFacts): UserActionPlan {
  const holdsGlobalAdmin = target.roles.some((role) => role.roleTemplateId === GLOBAL_ADMINISTRATOR);
  // A disabled Global Administrator is not counted among the enabled ones, so deleting it removes none of them.
  const lastGlobalAdmin = holdsGlobalAdmin && target.accountEnabled && target.otherEnabledGlobalAdmins <= 0;
  const reasons = [...(target.isSelf ? [notes.self] : []), ...(lastGlobalAdmin ? [notes.lastGlobalAdmin] : [])];
  if (reasons.length > 0) return { delete: REFUSED, disable: REFUSED, notes: reasons };

  const administrator = target.roles.length > 0;
  const allowed: ActionDecision = { offered: true, typedConfirmation: administrator };
  return {
    delete: allowed,
    disable: target.accountEnabled ? allowed : REFUSED,
    notes: administrator ? [notes.administrator(target.name, target.roles)] : [],
  };
}

/**
 * Whether what was typed names the user: the user principal name in any case (the directory
 * compares UPNs without case), or the display name exactly as written; surrounding spaces ignored.
 */
export function matchesTypedName(typed: string, user: { displayName: string | null; userPrincipalName: string }): boolean {
  const value = typed.trim();
  if (value === '') return false;
  if (value.toLowerCase() === user.userPrincipalName.trim().toLowerCase()) return true;
  const displayName = user.displayName?.trim() ?? '';
  return displayName !== '' && value === displayName;
}
