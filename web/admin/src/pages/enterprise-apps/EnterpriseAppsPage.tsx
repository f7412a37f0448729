import type { ServicePrincipal } from '../../graph/applicationTypes.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { getOrganization } from '../../graph/organization.ts';
import { servicePrincipalsPageUrl, servicePrincipalsQueryHeaders } from '../../graph/servicePrincipals.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { useResource } from '../../hooks/useResource.ts';
import { appPaths } from '../../router/appRoutes.ts';
import { Link } from '../../router/Router.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PagedTable } from '../../ui/PagedTable.tsx';
import { SearchField, useSearchTerm } from '../../ui/SearchField.tsx';
import { PublisherBadge } from './PublisherBadge.tsx';

/** The service principals of this tenant: its own apps, other tenants' multitenant apps and Microsoft's. */
export function EnterpriseAppsPage() {
  const graph = useGraph();
  const { search, setSearch, term } = useSearchTerm();
  const list = usePagedCollection<ServicePrincipal>(servicePrincipalsPageUrl(term), servicePrincipalsQueryHeaders);
  const organization = useResource((signal) => getOrganization(graph, signal), [graph]);
  const tenantId = organization.state.status === 'ready' ? organization.state.data.id : null;

  return (
    <>
      <PageHeader title="Enterprise applications" subtitle="The applications this organization uses: who may sign in to them and what they were granted." />
      <div className="toolbar" role="search">
        <SearchField id="enterprise-apps-search" label="Search applications" placeholder="Display name" value={search} onChange={setSearch} />
      </div>
      <PagedTable
        list={list}
        noun="applications"
        caption="Enterprise applications"
        doing="view enterprise applications"
        testId="enterprise-apps-table"
        empty={term ? 'No applications match this name.' : 'There are no enterprise applications yet.'}
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col" className="hide-narrow">
              Application ID
            </th>
            <th scope="col">Publisher</th>
            <th scope="col">Status</th>
          </>
        }
        row={(sp) => (
          <>
            <td>
              <Link to={appPaths.enterpriseApp(sp.id)}>{sp.displayName}</Link>
              <span className="cell-detail">{ownerLabel(sp.appOwnerOrganizationId, tenantId)}</span>
            </td>
            <td className="hide-narrow mono">{sp.appId}</td>
            <td>
              {/* Microsoft's own service principals (Graph) have no home tenant here and no publisher verification */}
              {sp.appOwnerOrganizationId ? <PublisherBadge name={sp.publisherName ?? null} verified={Boolean(sp.verifiedPublisher?.verifiedPublisherId)} /> : 'Microsoft'}
            </td>
            <td>{sp.accountEnabled === false ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Enabled</Badge>}</td>
          </>
        )}
      />
    </>
  );
}

/** Where the app is registered, from this tenant's point of view. */
export function ownerLabel(owner: string | null | undefined, tenantId: string | null): string {
  if (!owner) return 'Microsoft application';
  if (tenantId && owner.toLowerCase() === tenantId.toLowerCase()) return 'Registered in this organization';
  return `Registered in another organization (${owner})`;
}
