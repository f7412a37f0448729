import { DirectoryErrors } from '../directory.errors.ts';
import type { Principal } from './principal.ts';
import { operations, type Operation } from './operations.ts';
import { GUEST_DEFAULT_ACTIONS, MEMBER_DEFAULT_ACTIONS, actionMatches, roleTemplate } from './roles.catalog.ts';

/** The directory actions a user holds: their default user role plus every directory role they are a member of. */
export function userActions(userType: 'Member' | 'Guest', roleTemplateIds: Iterable<string>): string[] {
  const actions: string[] = [...(userType === 'Guest' ? GUEST_DEFAULT_ACTIONS : MEMBER_DEFAULT_ACTIONS)];
  for (const id of roleTemplateIds) actions.push(...(roleTemplate(id)?.actions ?? []));
  return actions;
}

export function mayPerform(principal: Principal, operation: Operation): boolean {
  const policy = operations[operation];
  switch (principal.kind) {
    case 'system':
      return true;
    case 'app':
      return policy.application.some((role) => principal.roles.has(role));
    case 'user': {
      if (!policy.delegated.some((scope) => principal.scopes.has(scope))) return false;
      if (policy.action === 'self') return true;
      return userActions(principal.userType, principal.roleTemplateIds).some((pattern) => actionMatches(pattern, policy.action));
    }
  }
}

export function authorize(principal: Principal, operation: Operation): void {
  if (!mayPerform(principal, operation)) throw DirectoryErrors.forbidden();
}
