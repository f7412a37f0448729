/**
 * The pages of Enterprise applications, App registrations and Consent and permissions (issue 16),
 * each with its tabs one level below an object's page.
 */
export type EnterpriseAppTab = 'overview' | 'permissions' | 'users';
export type AppRegistrationTab = 'overview' | 'authentication' | 'credentials' | 'apiPermissions' | 'exposeApi' | 'branding';

export type AppsRoute =
  | { page: 'enterpriseApps' }
  | { page: 'enterpriseApp'; id: string; tab: EnterpriseAppTab }
  | { page: 'appRegistrations' }
  | { page: 'newAppRegistration' }
  | { page: 'appRegistration'; id: string; tab: AppRegistrationTab }
  | { page: 'consent'; tab: 'settings' | 'classifications' };

export const ENTERPRISE_APPS_SECTION = 'enterprise-apps';
export const APP_REGISTRATIONS_SECTION = 'app-registrations';
export const CONSENT_SECTION = 'consent-and-permissions';

const segment = (id: string) => encodeURIComponent(id);

const enterpriseTabSegments: Record<EnterpriseAppTab, string> = { overview: '', permissions: 'permissions', users: 'users-and-groups' };
const registrationTabSegments: Record<AppRegistrationTab, string> = {
  overview: '',
  authentication: 'authentication',
  credentials: 'certificates-and-secrets',
  apiPermissions: 'api-permissions',
  exposeApi: 'expose-an-api',
  branding: 'branding-and-properties',
};

const withTab = (base: string, tab: string) => (tab === '' ? base : `${base}/${tab}`);

export const appPaths = {
  enterpriseApps: `/${ENTERPRISE_APPS_SECTION}`,
  enterpriseApp: (id: string, tab: EnterpriseAppTab = 'overview') => withTab(`/${ENTERPRISE_APPS_SECTION}/${segment(id)}`, enterpriseTabSegments[tab]),
  appRegistrations: `/${APP_REGISTRATIONS_SECTION}`,
  newAppRegistration: `/${APP_REGISTRATIONS_SECTION}/new`,
  appRegistration: (id: string, tab: AppRegistrationTab = 'overview') => withTab(`/${APP_REGISTRATIONS_SECTION}/${segment(id)}`, registrationTabSegments[tab]),
  consentSettings: `/${CONSENT_SECTION}`,
  classifications: `/${CONSENT_SECTION}/permission-classifications`,
} as const;

function tabOf<T extends string>(segments: Record<T, string>, part: string | undefined): T | null {
  const wanted = part ?? '';
  return (Object.keys(segments) as T[]).find((tab) => segments[tab] === wanted) ?? null;
}

/** `section` and the decoded segments after it; null when no page has that path. */
export function matchAppsRoute(section: string, parts: readonly string[]): AppsRoute | null {
  const [id, tabPart, extra] = parts;
  if (extra !== undefined) return null;
  switch (section) {
    case ENTERPRISE_APPS_SECTION: {
      if (id === undefined) return { page: 'enterpriseApps' };
      const tab = tabOf(enterpriseTabSegments, tabPart);
      return tab ? { page: 'enterpriseApp', id, tab } : null;
    }
    case APP_REGISTRATIONS_SECTION: {
      if (id === undefined) return { page: 'appRegistrations' };
      if (id === 'new') return tabPart === undefined ? { page: 'newAppRegistration' } : null;
      const tab = tabOf(registrationTabSegments, tabPart);
      return tab ? { page: 'appRegistration', id, tab } : null;
    }
    case CONSENT_SECTION:
      if (tabPart !== undefined) return null;
      if (id === undefined) return { page: 'consent', tab: 'settings' };
      return id === 'permission-classifications' ? { page: 'consent', tab: 'classifications' } : null;
    default:
      return null;
  }
}

export const APPS_SECTIONS: ReadonlySet<string> = new Set([ENTERPRISE_APPS_SECTION, APP_REGISTRATIONS_SECTION, CONSENT_SECTION]);
