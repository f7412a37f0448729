import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import type { Application } from '../../graph/applicationTypes.ts';
import { applicationsPageUrl, applicationsQueryHeaders } from '../../graph/applications.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { appPaths } from '../../router/appRoutes.ts';
import { Link } from '../../router/Router.tsx';
import { NewObjectButton } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PagedTable } from '../../ui/PagedTable.tsx';
import { SearchField, useSearchTerm } from '../../ui/SearchField.tsx';
import { audienceLabel, formatDate } from './appRules.ts';

/** The applications registered in this tenant (Entra's "App registrations"). */
export function AppRegistrationsPage() {
  const access = useAccess();
  const { search, setSearch, term } = useSearchTerm();
  const list = usePagedCollection<Application>(applicationsPageUrl(term), applicationsQueryHeaders);

  return (
    <>
      <PageHeader
        title="App registrations"
        subtitle="Applications registered in this organization: how they sign users in, their credentials and the permissions they ask for."
        actions={
          <NewObjectButton allowed={access.can(Actions.createApplications)} to={appPaths.newAppRegistration} testId="new-app-registration">
            New registration
          </NewObjectButton>
        }
      />
      <div className="toolbar" role="search">
        <SearchField id="app-registrations-search" label="Search applications" placeholder="Display name" value={search} onChange={setSearch} />
      </div>
      <PagedTable
        list={list}
        noun="applications"
        caption="App registrations"
        doing="view app registrations"
        testId="app-registrations-table"
        empty={term ? 'No applications match this name.' : 'No applications are registered yet.'}
        head={
          <>
            <th scope="col">Display name</th>
            <th scope="col" className="hide-narrow">
              Application (client) ID
            </th>
            <th scope="col">Supported account types</th>
            <th scope="col" className="hide-narrow">
              Created
            </th>
          </>
        }
        row={(application) => (
          <>
            <td>
              <Link to={appPaths.appRegistration(application.id)}>{application.displayName}</Link>
              <span className="cell-detail show-narrow">{application.appId}</span>
            </td>
            <td className="hide-narrow mono">{application.appId}</td>
            <td>{audienceLabel(application.signInAudience)}</td>
            <td className="hide-narrow">{formatDate(application.createdDateTime)}</td>
          </>
        )}
      />
    </>
  );
}
