import type { GuestAccessLevel } from '../directory/index.ts';

/**
 * authorizationPolicy.guestUserRoleId: Entra's three levels of what guests may see, by their
 * real role ids, and the access level the directory's access policy applies for each.
 */
export const GUEST_ROLE_IDS = {
  /** "Guest users have the same access as members (most inclusive)" */
  user: 'a0b1b346-4d3e-4e8b-98f8-753987be4970',
  /** "Guest users have limited access to properties and memberships of directory objects" (default) */
  guestUser: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
  /** "Guest user access is restricted to properties and memberships of their own directory objects" */
  restrictedGuestUser: '2af84b1e-32c8-42b7-82bc-daa82404023b',
} as const;


export function guestAccessOf(guestUserRoleId: string): GuestAccessLevel {
  switch (guestUserRoleId.toLowerCase()) {
    case GUEST_ROLE_IDS.user:
      return 'member';
    case GUEST_ROLE_IDS.restrictedGuestUser:
      return 'restricted';
    default:
      return 'limited';
  }
}

export function isGuestRoleId(value: string): boolean {
  return (Object.values(GUEST_ROLE_IDS) as string[]).includes(value.toLowerCase());
}
