import { DirectoryErrors } from '../directory.errors.ts';
import { guestRule, type GuestAccessLevel } from './guest-access.ts';
import type { Principal } from './principal.ts';
import { operations, type Operation } from './operations.ts';
import { GUEST_DEFAULT_ACTIONS, MEMBER_DEFAULT_ACTIONS, actionMatches, roleTemplate } from './roles.catalog.ts';
import { rolesReach, userChangePolicies, type UserChange } from './sensitive-actions.ts';

/** The directory actions a user holds: their default user role plus every directory role they are a member of. */
export function userActions(userType: 'Member' | 'Guest', roleTemplateIds: Iterable<string>): string[] {
  const actions: string[] = [...(userType === 'Guest' ? GUEST_DEFAULT_ACTIONS : MEMBER_DEFAULT_ACTIONS)];
  for (const id of roleTemplateIds) actions.push(...(roleTemplate(id)?.actions ?? []));
  return actions;
}

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

function holdsAction(principal: UserPrincipal, wanted: string | readonly string[]): boolean {
  const granted = userActions(principal.userType, principal.roleTemplateIds);
  return (typeof wanted === 'string' ? [wanted] : wanted).some((action) => granted.some((pattern) => actionMatches(pattern, action)));
}

/** The guest's access level (authorizationPolicy.guestUserRoleId); `limited`, Entra's default, when the principal carries none. */
export function guestAccessOfPrincipal(principal: UserPrincipal): GuestAccessLevel {
  return principal.guestAccess ?? 'limited';
}

/**
 * A guest's default (role-less) access to an operation, at the tenant's guest access level: the
 * members' default actions where the level's rule allows the operation at all (`byId` and `self`
 * are narrowed further by the service, see `authorizeGuestTarget`). Directory roles assigned to a
 * guest apply in full, as in Entra.
 */
function guestMay(principal: UserPrincipal, operation: Operation, action: string | readonly string[]): boolean {
  if (holdsAction(principal, action)) return true;
  if (guestRule(guestAccessOfPrincipal(principal), operation) === 'none') return false;
  const granted = userActions('Member', []);
  return (typeof action === 'string' ? [action] : action).some((wanted) => granted.some((pattern) => actionMatches(pattern, wanted)));
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
      if (policy.action === 'self') return principal.userType !== 'Guest' || guestRule(guestAccessOfPrincipal(principal), operation) !== 'none';
      if (principal.userType === 'Guest') return guestMay(principal, operation, policy.action);
      return holdsAction(principal, policy.action);
    }
  }
}

/**
 * The target side of a guest's read: at a level whose rule for `operation` is `self` (Restricted
 * Guest User), only the guest's own object. Others get "not found", as if the object did not
 * exist for them. Callers with a directory role allowing the operation are not narrowed.
 */
export function authorizeGuestTarget(principal: Principal, operation: Operation, targetId: string): void {
  if (principal.kind !== 'user' || principal.userType !== 'Guest' || principal.userId === targetId) return;
  if (holdsAction(principal, operations[operation].action)) return;
  if (guestRule(guestAccessOfPrincipal(principal), operation) === 'self') throw DirectoryErrors.objectNotFound(targetId);
}

export function authorize(principal: Principal, operation: Operation): void {
  if (!mayPerform(principal, operation)) throw DirectoryErrors.forbidden();
}

/** The user a change is made to: who they are and the template ids of the roles they hold. */
export interface ChangeTarget {
  id: string;
  roleTemplateIds: ReadonlySet<string>;
}

/**
 * Whether the principal may make `change`, and, given the target, make it to that user
 * (sensitive-actions.ts). Without a target only the caller's side is checked (scopes, app
 * permissions, directory actions), so a request that can never pass is refused before any work.
 */
export function mayChangeUser(principal: Principal, change: UserChange, target?: ChangeTarget): boolean {
  const policy = userChangePolicies[change];
  switch (principal.kind) {
    case 'system':
      return true;
    case 'user':
      if (!policy.delegated.some((scope) => principal.scopes.has(scope)) || !holdsAction(principal, policy.action)) return false;
      return !target || policy.targets === null || rolesReach(policy.targets, principal.roleTemplateIds, target.roleTemplateIds);
    case 'app': {
      if (!policy.application.some((role) => principal.roles.has(role))) return false;
      if (!target || policy.targets === null) return true;
      const privileged = new Set([...target.roleTemplateIds].filter((id) => policy.appsReachRoleHolders === false || (roleTemplate(id)?.privileged ?? true)));
      return privileged.size === 0 || rolesReach(policy.targets, principal.roleTemplateIds, target.roleTemplateIds);
    }
  }
}

export function authorizeUserChanges(principal: Principal, changes: Iterable<UserChange>, target?: ChangeTarget): void {
  for (const change of changes) if (!mayChangeUser(principal, change, target)) throw DirectoryErrors.forbidden();
}
