import { EXTERNAL_SECTION, type ExternalRoute, matchExternalRoute } from './externalRoutes.ts';

/** Every page of the admin center, and how its path is written. */
export type Route =
  | { page: 'overview' }
  | { page: 'users' }
  | { page: 'newUser' }
  | { page: 'user'; id: string }
  | { page: 'groups' }
  | { page: 'newGroup' }
  | { page: 'group'; id: string }
  | { page: 'roles' }
  | { page: 'role'; id: string }
  | { page: 'organization' }
  | { page: 'external'; route: ExternalRoute }
  | { page: 'notFound' };

const segment = (id: string) => encodeURIComponent(id);

export const paths = {
  overview: '/',
  users: '/users',
  newUser: '/users/new',
  user: (id: string) => `/users/${segment(id)}`,
  groups: '/groups',
  newGroup: '/groups/new',
  group: (id: string) => `/groups/${segment(id)}`,
  roles: '/roles',
  role: (id: string) => `/roles/${segment(id)}`,
  organization: '/organization',
  externalIdentities: `/${EXTERNAL_SECTION}`,
} as const;

export function matchRoute(path: string): Route {
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { page: 'notFound' }; // malformed percent-encoding
  }
  const [section, id, extra] = parts;
  // External identities has pages one level deeper (a bulk operation, a guest); it parses its own paths.
  if (section === EXTERNAL_SECTION) {
    const route = matchExternalRoute(parts.slice(1));
    return route ? { page: 'external', route } : { page: 'notFound' };
  }
  if (extra !== undefined) return { page: 'notFound' };
  switch (section) {
    case undefined:
      return { page: 'overview' };
    case 'users':
      if (id === undefined) return { page: 'users' };
      return id === 'new' ? { page: 'newUser' } : { page: 'user', id };
    case 'groups':
      if (id === undefined) return { page: 'groups' };
      return id === 'new' ? { page: 'newGroup' } : { page: 'group', id };
    case 'roles':
      return id === undefined ? { page: 'roles' } : { page: 'role', id };
    case 'organization':
      return id === undefined ? { page: 'organization' } : { page: 'notFound' };
    default:
      return { page: 'notFound' };
  }
}
