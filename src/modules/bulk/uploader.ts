import type { Principal } from '../directory/index.ts';

/**
 * The uploader of a bulk operation, stored with it: the job invites every row as this principal.
 * What a token said (delegated scopes, app permissions) is kept as it was at upload; what the
 * directory says (the user exists and is enabled, their roles, the app's service principal's
 * roles) is read again when the job starts, so a role removed meanwhile applies to the rows.
 */
export type StoredPrincipal =
  | { kind: 'user'; userId: string; clientAppId: string | null; scopes: string[] }
  | { kind: 'app'; appId: string; servicePrincipalId: string | null; roles: string[] }
  | { kind: 'system' };

export function storedPrincipal(principal: Principal): StoredPrincipal {
  switch (principal.kind) {
    case 'user':
      return { kind: 'user', userId: principal.userId, clientAppId: principal.clientAppId, scopes: [...principal.scopes] };
    case 'app':
      return { kind: 'app', appId: principal.appId, servicePrincipalId: principal.servicePrincipalId, roles: [...principal.roles] };
    case 'system':
      return { kind: 'system' };
  }
}

/** `user:{id}`, `app:{appId}` or `system`: whose operation it is (a non-administrator lists only their own). */
export function uploaderKey(principal: Principal | StoredPrincipal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.userId}`;
    case 'app':
      return `app:${principal.appId}`;
    case 'system':
      return 'system';
  }
}

/** The directory's current view of the uploader, as the authorization hook would build it now. */
export interface UploaderLookup {
  callingUser(userId: string): Promise<{ accountEnabled: boolean; userType: 'Member' | 'Guest'; roleTemplateIds: ReadonlySet<string> } | undefined>;
  servicePrincipalRoles(servicePrincipalId: string): Promise<ReadonlySet<string>>;
}

/** The principal to act as now; a reason instead when the uploader is gone or disabled. */
export async function currentPrincipal(tenantId: string, stored: StoredPrincipal, lookup: UploaderLookup): Promise<Principal | { refused: string }> {
  switch (stored.kind) {
    case 'system':
      return { kind: 'system', tenantId };
    case 'app':
      return {
        kind: 'app',
        tenantId,
        appId: stored.appId,
        servicePrincipalId: stored.servicePrincipalId,
        roles: new Set(stored.roles),
        roleTemplateIds: stored.servicePrincipalId ? await lookup.servicePrincipalRoles(stored.servicePrincipalId) : new Set(),
      };
    case 'user': {
      const user = await lookup.callingUser(stored.userId);
      if (!user) return { refused: 'the uploading user no longer exists' };
      if (!user.accountEnabled) return { refused: 'the uploading user is disabled' };
      return { kind: 'user', tenantId, userId: stored.userId, clientAppId: stored.clientAppId, scopes: new Set(stored.scopes), userType: user.userType, roleTemplateIds: user.roleTemplateIds };
    }
  }
}
