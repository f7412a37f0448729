import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { deleteGroup, getGroup } from '../../graph/groups.ts';
import type { Group } from '../../graph/types.ts';
import { useResource } from '../../hooks/useResource.ts';
import { useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { GroupPropertiesForm } from './GroupPropertiesForm.tsx';
import { GroupRelationSection } from './GroupRelationSection.tsx';

const back = { to: paths.groups, label: 'Groups' };

export function GroupPage({ id }: { id: string }) {
  const graph = useGraph();
  const group = useResource((signal) => getGroup(graph, id, signal), [graph, id]);
  const { state } = group;

  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="Group" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="Group" back={back} />
        <LoadError error={state.error} doing="view this group" onRetry={group.reload} />
      </>
    );
  }
  return <GroupDetails group={state.data} onChanged={group.reload} />;
}

function GroupDetails({ group, onChanged }: { group: Group; onChanged(): void }) {
  const graph = useGraph();
  const access = useAccess();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);

  return (
    <>
      <PageHeader
        title={group.displayName}
        back={back}
        subtitle={<Badge>{group.securityEnabled === false ? 'Distribution group' : 'Security group'}</Badge>}
        actions={
          access.can(Actions.deleteGroups) && (
            <Button variant="danger" onClick={() => setConfirmDelete(true)} data-testid="delete-group">
              Delete group
            </Button>
          )
        }
      />
      <Section title="Properties">
        <GroupPropertiesForm group={group} onSaved={onChanged} />
      </Section>
      <GroupRelationSection group={group} relation="members" canChange={access.can(Actions.updateGroupMembers)} />
      <GroupRelationSection group={group} relation="owners" canChange={access.can(Actions.updateGroupOwners)} />
      {confirmDelete && (
        <ConfirmDialog
          title="Delete group"
          confirmLabel="Delete"
          doing="delete groups"
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await deleteGroup(graph, group.id);
            navigate(paths.groups, { notice: `${group.displayName} was deleted.` });
          }}
        >
          <p>
            Delete <strong>{group.displayName}</strong>? Its members lose whatever access and licenses the group gave them.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
