import type { GuestAccessLevel } from './guest-access.ts';

/**
 * Who is calling. Delegated principals act for a user with the scopes their token carries;
 * application principals act as themselves with the app roles granted to them. The directory
 * roles (of the user, or of the app's service principal) are looked up per request, so a role
 * change applies at once.
 */
export type Principal =
  | {
      kind: 'user';
      tenantId: string;
      userId: string;
      clientAppId: string | null;
      scopes: ReadonlySet<string>;
      userType: 'Member' | 'Guest';
      roleTemplateIds: ReadonlySet<string>;
      /** guests only: what the tenant's guestUserRoleId lets them read (access/guest-access.ts); absent means `limited` */
      guestAccess?: GuestAccessLevel;
    }
  /**
   * `roleTemplateIds`: the directory roles assigned to the app's service principal (Entra lets
   * roles be assigned to service principals); they decide which privileged users it may reach.
   */
  | { kind: 'app'; tenantId: string; appId: string; servicePrincipalId: string | null; roles: ReadonlySet<string>; roleTemplateIds: ReadonlySet<string> }
  /** the server itself: CLI commands and first start */
  | { kind: 'system'; tenantId: string };

export function actorOf(principal: Principal): { actorId: string | null; actorType: string } {
  switch (principal.kind) {
    case 'user':
      return { actorId: principal.userId, actorType: 'user' };
    case 'app':
      return { actorId: principal.servicePrincipalId ?? principal.appId, actorType: 'application' };
    case 'system':
      return { actorId: null, actorType: 'system' };
  }
}
