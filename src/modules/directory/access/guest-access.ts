/**
 * What a guest may read (authorizationPolicy.guestUserRoleId, Entra's three levels), as data.
 * `member`: the same as members; `limited` (Entra's default "Guest User"): their own profile and
 * other objects only by id, never a list of users or groups; `restricted` ("Restricted Guest
 * User"): their own profile only. The level travels on the principal (the Graph surface reads the
 * tenant's policy for guest callers); a principal that carries none is treated as `limited`.
 */
export type GuestAccessLevel = 'member' | 'limited' | 'restricted';

/** How a guest at a level may use an operation: fully, only to read one object by id, only on themselves, or not at all. */
export type GuestRule = 'all' | 'byId' | 'self' | 'none';

export const guestRules: Readonly<Record<Exclude<GuestAccessLevel, 'member'>, Readonly<Record<string, GuestRule>>>> = {
  limited: {
    'users.read': 'byId',
    'groups.read': 'byId',
    'organization.read': 'all',
    'me.read': 'all',
    'directoryObjects.read': 'byId',
    // who may invite is allowInvitesFrom's business (InvitationsService), not the guest access level's
    'invitations.create': 'all',
  },
  restricted: {
    'users.read': 'self',
    'me.read': 'all',
    'invitations.create': 'all',
  },
};

/** The rule for a guest at `level` on `operation` (`all` for member-level guests; `none` for anything unlisted). */
export function guestRule(level: GuestAccessLevel, operation: string): GuestRule {
  if (level === 'member') return 'all';
  return guestRules[level][operation] ?? 'none';
}
