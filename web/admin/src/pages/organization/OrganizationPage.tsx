import { useGraph } from '../../graph/GraphContext.tsx';
import { getOrganization } from '../../graph/organization.ts';
import { useResource } from '../../hooks/useResource.ts';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { BrandingForm } from './BrandingForm.tsx';
import { OrganizationForm } from './OrganizationForm.tsx';

export function OrganizationPage() {
  const graph = useGraph();
  const organization = useResource((signal) => getOrganization(graph, signal), [graph]);
  const { state } = organization;

  return (
    <>
      <PageHeader title="Organization" subtitle="Properties of this tenant, shown to users and partners." />
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} doing="view the organization" onRetry={organization.reload} />}
      {state.status === 'ready' && (
        <>
          <Section title="Properties" testId="organization-properties">
            <OrganizationForm organization={state.data} />
          </Section>
          <Section title="Branding" testId="organization-branding">
            <BrandingForm organizationId={state.data.id} />
          </Section>
        </>
      )}
    </>
  );
}
