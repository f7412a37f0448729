import { type Action, Actions } from '../../access/roles.ts';
import type { AppsRoute } from '../../router/appRoutes.ts';
import { ConsentPage } from '../consent/ConsentPage.tsx';
import { EnterpriseAppPage } from '../enterprise-apps/EnterpriseAppPage.tsx';
import { EnterpriseAppsPage } from '../enterprise-apps/EnterpriseAppsPage.tsx';
import { AppRegistrationPage } from './AppRegistrationPage.tsx';
import { AppRegistrationsPage } from './AppRegistrationsPage.tsx';
import { NewAppRegistrationPage } from './NewAppRegistrationPage.tsx';
import './applications.css';

/** What each page of the three sections needs the signed-in admin to be allowed (PageView shows the refusal). */
export function appsRequirement(route: AppsRoute): { action: Action; doing: string } {
  switch (route.page) {
    case 'enterpriseApps':
    case 'enterpriseApp':
      return { action: Actions.readServicePrincipals, doing: 'view enterprise applications' };
    case 'appRegistrations':
    case 'appRegistration':
      return { action: Actions.readApplications, doing: 'view app registrations' };
    case 'newAppRegistration':
      return { action: Actions.createApplications, doing: 'register applications' };
    case 'consent':
      return { action: Actions.readPolicies, doing: 'view the consent and permission settings' };
  }
}

/** Enterprise applications, App registrations, and Consent and permissions (issue 16). */
export function AppsView({ route }: { route: AppsRoute }) {
  switch (route.page) {
    case 'enterpriseApps':
      return <EnterpriseAppsPage />;
    case 'enterpriseApp':
      return <EnterpriseAppPage key={route.id} id={route.id} tab={route.tab} />;
    case 'appRegistrations':
      return <AppRegistrationsPage />;
    case 'newAppRegistration':
      return <NewAppRegistrationPage />;
    case 'appRegistration':
      return <AppRegistrationPage key={route.id} id={route.id} tab={route.tab} />;
    case 'consent':
      return <ConsentPage tab={route.tab} />;
  }
}
