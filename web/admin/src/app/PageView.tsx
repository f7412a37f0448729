import { useAccess } from '../access/AccessContext.tsx';
import { type Action, Actions } from '../access/roles.ts';
import { GroupPage } from '../pages/groups/GroupPage.tsx';
import { GroupsPage } from '../pages/groups/GroupsPage.tsx';
import { NewGroupPage } from '../pages/groups/NewGroupPage.tsx';
import { AppsView, appsRequirement } from '../pages/applications/AppsView.tsx';
import { ConsentRequestsPage } from '../pages/consent-requests/ConsentRequestsPage.tsx';
import { ExternalIdentitiesView } from '../pages/external/ExternalIdentitiesView.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { OrganizationPage } from '../pages/organization/OrganizationPage.tsx';
import { OverviewPage } from '../pages/overview/OverviewPage.tsx';
import { RolePage } from '../pages/roles/RolePage.tsx';
import { RolesPage } from '../pages/roles/RolesPage.tsx';
import { NewUserPage } from '../pages/users/NewUserPage.tsx';
import { UserPage } from '../pages/users/UserPage.tsx';
import { UsersPage } from '../pages/users/UsersPage.tsx';
import { matchRoute, type Route } from '../router/routes.ts';
import { Alert } from '../ui/Alert.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';

/** What each page needs the signed-in admin to be allowed, and what to call it when they are not. */
function requirement(route: Route): { action: Action; doing: string } | null {
  switch (route.page) {
    case 'overview':
    case 'organization':
      return { action: Actions.readOrganization, doing: 'view the organization' };
    case 'users':
    case 'user':
      return { action: Actions.readUsers, doing: 'view users' };
    case 'newUser':
      return { action: Actions.createUsers, doing: 'create users' };
    case 'groups':
    case 'group':
      return { action: Actions.readGroups, doing: 'view groups' };
    case 'newGroup':
      return { action: Actions.createGroups, doing: 'create groups' };
    case 'roles':
    case 'role':
      return { action: Actions.readRoles, doing: 'view directory roles' };
    case 'external':
      // each page of the section checks what it needs beyond this (ExternalIdentitiesView)
      return { action: Actions.readUsers, doing: 'view external identities' };
    case 'apps':
      return appsRequirement(route.route);
    case 'consentRequests':
      return { action: Actions.readServicePrincipals, doing: 'view admin consent requests' };
    case 'notFound':
      return null;
  }
}

export function PageView({ path }: { path: string }) {
  const access = useAccess();
  const route = matchRoute(path);
  const needed = requirement(route);
  if (needed && !access.can(needed.action)) {
    return (
      <>
        <PageHeader title="Not available" />
        <Alert tone="error">You don't have permission to {needed.doing}.</Alert>
      </>
    );
  }
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'users':
      return <UsersPage />;
    case 'newUser':
      return <NewUserPage />;
    case 'user':
      return <UserPage key={route.id} id={route.id} />;
    case 'groups':
      return <GroupsPage />;
    case 'newGroup':
      return <NewGroupPage />;
    case 'group':
      return <GroupPage key={route.id} id={route.id} />;
    case 'roles':
      return <RolesPage />;
    case 'role':
      return <RolePage key={route.id} id={route.id} />;
    case 'organization':
      return <OrganizationPage />;
    case 'external':
      return <ExternalIdentitiesView route={route.route} />;
    case 'apps':
      return <AppsView route={route.route} />;
    case 'consentRequests':
      return <ConsentRequestsPage tab={route.tab} />;
    case 'notFound':
      return <NotFoundPage />;
  }
}
