import type { Application } from '../../graph/applicationTypes.ts';
import { getApplication } from '../../graph/applications.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { useResource } from '../../hooks/useResource.ts';
import { type AppRegistrationTab, appPaths } from '../../router/appRoutes.ts';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ApiPermissionsTab } from './registration/ApiPermissionsTab.tsx';
import { AuthenticationTab } from './registration/AuthenticationTab.tsx';
import { BrandingTab } from './registration/BrandingTab.tsx';
import { CredentialsTab } from './registration/CredentialsTab.tsx';
import { ExposeApiTab } from './registration/ExposeApiTab.tsx';
import { OverviewTab } from './registration/OverviewTab.tsx';
import { Tabs } from './Tabs.tsx';

const back = { to: appPaths.appRegistrations, label: 'App registrations' };

const tabLabels: readonly { tab: AppRegistrationTab; label: string }[] = [
  { tab: 'overview', label: 'Overview' },
  { tab: 'authentication', label: 'Authentication' },
  { tab: 'credentials', label: 'Certificates & secrets' },
  { tab: 'apiPermissions', label: 'API permissions' },
  { tab: 'exposeApi', label: 'Expose an API' },
  { tab: 'branding', label: 'Branding & properties' },
];

/** One app registration, a tab per part of it, as in Entra. */
export function AppRegistrationPage({ id, tab }: { id: string; tab: AppRegistrationTab }) {
  const graph = useGraph();
  const application = useResource((signal) => getApplication(graph, id, signal), [graph, id]);
  const { state } = application;
  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="App registration" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="App registration" back={back} />
        <LoadError error={state.error} doing="view this app registration" onRetry={application.reload} />
      </>
    );
  }
  const app = state.data;
  return (
    <>
      <PageHeader title={app.displayName} back={back} subtitle={<span className="subtitle-text mono">{app.appId}</span>} />
      <Tabs
        label={`${app.displayName} pages`}
        tabs={tabLabels.map((item) => ({ label: item.label, to: appPaths.appRegistration(app.id, item.tab), testId: `app-tab-${item.tab}`, current: item.tab === tab }))}
      />
      <RegistrationTab tab={tab} application={app} onChanged={application.reload} />
    </>
  );
}

function RegistrationTab({ tab, application, onChanged }: { tab: AppRegistrationTab; application: Application; onChanged(): void }) {
  switch (tab) {
    case 'overview':
      return <OverviewTab application={application} />;
    case 'authentication':
      return <AuthenticationTab application={application} onChanged={onChanged} />;
    case 'credentials':
      return <CredentialsTab application={application} onChanged={onChanged} />;
    case 'apiPermissions':
      return <ApiPermissionsTab application={application} onChanged={onChanged} />;
    case 'exposeApi':
      return <ExposeApiTab application={application} onChanged={onChanged} />;
    case 'branding':
      return <BrandingTab application={application} onChanged={onChanged} />;
  }
}
