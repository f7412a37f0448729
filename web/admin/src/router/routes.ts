import { APPS_SECTIONS, appPaths, type AppsRoute, matchAppsRoute } from './appRoutes.ts';
import { EXTERNAL_SECTION, type ExternalRoute, matchExternalRoute } from './externalRoutes.ts';

/** The tabs of Admin consent requests: My pending, All, History, and the workflow's settings. */
export type ConsentRequestsTab = 'pending' | 'all' | 'history' | 'settings';
const CONSENT_REQUEST_TABS: readonly string[] = ['all', 'history', 'settings'];

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
  | { page: 'apps'; route: AppsRoute }
  | { page: 'consentRequests'; tab: ConsentRequestsTab }
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
  enterpriseApps: appPaths.enterpriseApps,
  appRegistrations: appPaths.appRegistrations,
  consentAndPermissions: appPaths.consentSettings,
  consentRequests: '/consent-requests',
  consentRequestsTab: (tab: ConsentRequestsTab) => (tab === 'pending' ? '/consent-requests' : `/consent-requests/${tab}`),
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
  // Enterprise applications, App registrations and Consent and permissions have tabs below an object (appRoutes.ts).
  if (section !== undefined && APPS_SECTIONS.has(section)) {
    const route = matchAppsRoute(section, parts.slice(1));
    return route ? { page: 'apps', route } : { page: 'notFound' };
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
    case 'consent-requests':
      if (id === undefined) return { page: 'consentRequests', tab: 'pending' };
      return CONSENT_REQUEST_TABS.includes(id) ? { page: 'consentRequests', tab: id as ConsentRequestsTab } : { page: 'notFound' };
    case 'organization':
      return id === undefined ? { page: 'organization' } : { page: 'notFound' };
    default:
      return { page: 'notFound' };
  }
}
