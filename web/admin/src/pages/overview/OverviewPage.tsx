import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { countGroups } from '../../graph/groups.ts';
import { getOrganization } from '../../graph/organization.ts';
import { countUsers } from '../../graph/users.ts';
import { useResource } from '../../hooks/useResource.ts';
import { paths } from '../../router/routes.ts';
import { countryName } from '../../forms/countries.ts';
import { Badge } from '../../ui/Badge.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { CountCard } from './CountCard.tsx';

export function OverviewPage() {
  const graph = useGraph();
  const access = useAccess();
  const organization = useResource((signal) => getOrganization(graph, signal), [graph]);
  const { state } = organization;

  return (
    <>
      <PageHeader title="Overview" subtitle={state.status === 'ready' ? state.data.displayName : undefined} />
      <div className="stats" aria-label="Directory counts">
        {access.can(Actions.readUsers) && (
          <>
            <CountCard label="Users" to={paths.users} doing="count users" count={(signal) => countUsers(graph, signal)} testId="count-users" />
            <CountCard label="Guests" to={paths.externalIdentities} doing="count guests" count={(signal) => countUsers(graph, signal, 'Guest')} testId="count-guests" />
          </>
        )}
        {access.can(Actions.readGroups) && (
          <CountCard label="Groups" to={paths.groups} doing="count groups" count={(signal) => countGroups(graph, signal)} testId="count-groups" />
        )}
      </div>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} doing="view the organization" onRetry={organization.reload} />}
      {state.status === 'ready' && (
        <>
          <Section title="Tenant" testId="tenant-details">
            <dl className="properties">
              <dt>Name</dt>
              <dd data-testid="tenant-display-name">{state.data.displayName}</dd>
              <dt>Tenant ID</dt>
              <dd>
                <code data-testid="tenant-id">{state.data.id}</code>
              </dd>
              <dt>Country or region</dt>
              <dd>{countryName(state.data.countryLetterCode) || 'Not set'}</dd>
            </dl>
          </Section>
          <Section title="Domains" testId="tenant-domains">
            <ul className="domain-list">
              {state.data.verifiedDomains.map((domain) => (
                <li key={domain.name}>
                  <span className="domain-name">{domain.name}</span>
                  {domain.isDefault && <Badge tone="info">Default</Badge>}
                  {domain.isInitial && <Badge>Initial</Badge>}
                </li>
              ))}
            </ul>
          </Section>
        </>
      )}
    </>
  );
}
