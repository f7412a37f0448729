import { useGraph } from '../../graph/GraphContext.tsx';
import { getOrganization } from '../../graph/organization.ts';
import { useResource } from '../../hooks/useResource.ts';
import { paths } from '../../router/routes.ts';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { NewUserForm } from './NewUserForm.tsx';

/** The tenant's verified domains and default country shape the form, so they are loaded first. */
export function NewUserPage() {
  const graph = useGraph();
  const { state } = useResource((signal) => getOrganization(graph, signal), [graph]);
  return (
    <>
      <PageHeader title="New user" back={{ to: paths.users, label: 'Users' }} />
      {state.status === 'loading' ? (
        <Loading />
      ) : (
        // Without the organization the form still works; the API then checks the domain on its own.
        <NewUserForm organization={state.status === 'ready' ? state.data : null} />
      )}
    </>
  );
}
