import type { ServicePrincipal } from '../../graph/applicationTypes.ts';
import type { GraphClient } from '../../graph/client.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { getOrganization } from '../../graph/organization.ts';
import { getServicePrincipal } from '../../graph/servicePrincipals.ts';
import { useResource } from '../../hooks/useResource.ts';
import { appPaths, type EnterpriseAppTab } from '../../router/appRoutes.ts';
import { Badge } from '../../ui/Badge.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Tabs } from '../applications/Tabs.tsx';
import { PermissionsTab } from './PermissionsTab.tsx';
import { PropertiesTab } from './PropertiesTab.tsx';
import { UsersAndGroupsTab } from './UsersAndGroupsTab.tsx';

const back = { to: appPaths.enterpriseApps, label: 'Enterprise applications' };

const tabLabels: readonly { tab: EnterpriseAppTab; label: string }[] = [
  { tab: 'overview', label: 'Properties' },
  { tab: 'permissions', label: 'Permissions' },
  { tab: 'users', label: 'Users and groups' },
];

export interface EnterpriseApp {
  servicePrincipal: ServicePrincipal;
  tenantId: string;
  tenantName: string;
}

async function load(graph: GraphClient, id: string, signal: AbortSignal): Promise<EnterpriseApp> {
  const [servicePrincipal, organization] = await Promise.all([getServicePrincipal(graph, id, signal), getOrganization(graph, signal)]);
  return { servicePrincipal, tenantId: organization.id, tenantName: organization.displayName };
}

/** One enterprise application (service principal), a tab per part of it, as in Entra. */
export function EnterpriseAppPage({ id, tab }: { id: string; tab: EnterpriseAppTab }) {
  const graph = useGraph();
  const app = useResource((signal) => load(graph, id, signal), [graph, id]);
  const { state } = app;
  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="Enterprise application" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="Enterprise application" back={back} />
        <LoadError error={state.error} doing="view this enterprise application" onRetry={app.reload} />
      </>
    );
  }
  const { servicePrincipal: sp } = state.data;
  return (
    <>
      <PageHeader
        title={sp.displayName}
        back={back}
        subtitle={
          <>
            <span className="subtitle-text mono">{sp.appId}</span> {sp.accountEnabled === false && <Badge tone="danger">Disabled</Badge>}
          </>
        }
      />
      <Tabs
        label={`${sp.displayName} pages`}
        tabs={tabLabels.map((item) => ({ label: item.label, to: appPaths.enterpriseApp(sp.id, item.tab), testId: `enterprise-tab-${item.tab}`, current: item.tab === tab }))}
      />
      {tab === 'overview' && <PropertiesTab app={state.data} onChanged={app.reload} />}
      {tab === 'permissions' && <PermissionsTab app={state.data} />}
      {tab === 'users' && <UsersAndGroupsTab app={state.data} />}
    </>
  );
}
