import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { ObjectList } from '../../components/ObjectList.tsx';
import { UserPickerDialog } from '../../components/UserPickerDialog.tsx';
import { useGraph } from '../../graph/GraphContext.tsx';
import { assignRole, getDirectoryRole, removeRoleMember, roleMembersUrl } from '../../graph/roles.ts';
import type { DirectoryObject, DirectoryRole } from '../../graph/types.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { useResource } from '../../hooks/useResource.ts';
import { paths } from '../../router/routes.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';

const back = { to: paths.roles, label: 'Roles' };

export function RolePage({ id }: { id: string }) {
  const graph = useGraph();
  const role = useResource((signal) => getDirectoryRole(graph, id, signal), [graph, id]);
  const { state } = role;

  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="Role" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="Role" back={back} />
        <LoadError error={state.error} doing="view this role" onRetry={role.reload} />
      </>
    );
  }
  return <RoleDetails role={state.data} />;
}

function RoleDetails({ role }: { role: DirectoryRole }) {
  const graph = useGraph();
  const canAssign = useAccess().can(Actions.updateRoleMembers);
  const members = usePagedCollection<DirectoryObject>(roleMembersUrl(role.id));
  const [picking, setPicking] = useState(false);
  const [assigned, setAssigned] = useState<string | null>(null);

  return (
    <>
      <PageHeader title={role.displayName} subtitle={role.description} back={back} />
      <Section
        title="Assignments"
        testId="role-members"
        actions={
          canAssign && (
            <Button variant="primary" onClick={() => setPicking(true)} data-testid="assign-role">
              Assign role
            </Button>
          )
        }
      >
        {assigned && <Alert tone="success">{assigned}</Alert>}
        <ObjectList
          list={members}
          noun="assignments"
          doing="view who holds this role"
          empty={`Nobody holds the ${role.displayName} role.`}
          remove={canAssign ? { run: (object) => removeRoleMember(graph, role.id, object.id), doing: 'remove role assignments' } : undefined}
          testId="role-members-list"
        />
      </Section>
      {picking && (
        <UserPickerDialog
          title="Assign role"
          doing="assign roles"
          onClose={() => setPicking(false)}
          onPick={async (user) => {
            await assignRole(graph, role.id, user.id);
            setAssigned(`${user.displayName || user.userPrincipalName} now holds the ${role.displayName} role.`);
            members.reload();
          }}
        />
      )}
    </>
  );
}
