import { type Action, Actions } from '../access/roles.ts';
import { paths } from '../router/routes.ts';

export interface NavItem {
  label: string;
  to: string;
  /** the permission the page needs to show anything */
  needs: Action;
  testId: string;
}

export const navItems: readonly NavItem[] = [
  { label: 'Overview', to: paths.overview, needs: Actions.readOrganization, testId: 'nav-overview' },
  { label: 'Users', to: paths.users, needs: Actions.readUsers, testId: 'nav-users' },
  { label: 'Groups', to: paths.groups, needs: Actions.readGroups, testId: 'nav-groups' },
  { label: 'Roles', to: paths.roles, needs: Actions.readRoles, testId: 'nav-roles' },
  { label: 'External identities', to: paths.externalIdentities, needs: Actions.readUsers, testId: 'nav-external-identities' },
  { label: 'Enterprise applications', to: paths.enterpriseApps, needs: Actions.readServicePrincipals, testId: 'nav-enterprise-apps' },
  { label: 'App registrations', to: paths.appRegistrations, needs: Actions.readApplications, testId: 'nav-app-registrations' },
  { label: 'Consent and permissions', to: paths.consentAndPermissions, needs: Actions.readPolicies, testId: 'nav-consent-and-permissions' },
  // reviewers need no administrator role of their own: any member who reads enterprise apps sees the page (My pending)
  { label: 'Admin consent requests', to: paths.consentRequests, needs: Actions.readServicePrincipals, testId: 'nav-consent-requests' },
  { label: 'Organization', to: paths.organization, needs: Actions.readOrganization, testId: 'nav-organization' },
];

export function isActive(item: NavItem, path: string): boolean {
  return item.to === '/' ? path === '/' : path === item.to || path.startsWith(`${item.to}/`);
}
