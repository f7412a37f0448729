import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { ObjectList } from '../../components/ObjectList.tsx';
import { describeError } from '../../graph/errors.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import type { DirectoryObject, User } from '../../graph/types.ts';
import { deleteUser, getUser, updateUser, userMemberOfUrl } from '../../graph/users.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { useResource } from '../../hooks/useResource.ts';
import { useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { UserProfileForm } from './UserProfileForm.tsx';
import { UserStatusBadges } from './UserStatusBadges.tsx';

const back = { to: paths.users, label: 'Users' };

export function UserPage({ id }: { id: string }) {
  const graph = useGraph();
  const user = useResource((signal) => getUser(graph, id, signal), [graph, id]);
  const { state } = user;

  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="User" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="User" back={back} />
        <LoadError error={state.error} doing="view this user" onRetry={user.reload} />
      </>
    );
  }
  return <UserDetails user={state.data} onChanged={user.reload} />;
}

function UserDetails({ user, onChanged }: { user: User; onChanged(): void }) {
  const graph = useGraph();
  const access = useAccess();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [switching, setSwitching] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const memberOf = usePagedCollection<DirectoryObject>(userMemberOfUrl(user.id));
  const name = user.displayName || user.userPrincipalName;
  const enabled = user.accountEnabled !== false;

  const switchAccount = async () => {
    setSwitching(true);
    setOutcome(null);
    try {
      await updateUser(graph, user.id, { accountEnabled: !enabled });
      setOutcome({ tone: 'success', text: enabled ? `${name} can no longer sign in.` : `${name} can sign in again.` });
      onChanged();
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error, enabled ? 'disable accounts' : 'enable accounts') });
    } finally {
      setSwitching(false);
    }
  };

  return (
    <>
      <PageHeader
        title={name}
        back={back}
        subtitle={
          <>
            <span className="subtitle-text">{user.userPrincipalName}</span> <UserStatusBadges user={user} />
          </>
        }
        actions={
          <>
            {access.can(Actions.updateUsers) && (
              <Button busy={switching} onClick={() => void switchAccount()} data-testid="toggle-account">
                {enabled ? 'Disable account' : 'Enable account'}
              </Button>
            )}
            {access.can(Actions.deleteUsers) && (
              <Button variant="danger" onClick={() => setConfirmDelete(true)} data-testid="delete-user">
                Delete user
              </Button>
            )}
          </>
        }
      />
      {outcome && <Alert tone={outcome.tone}>{outcome.text}</Alert>}
      <Section title="Profile">
        <UserProfileForm user={user} onSaved={onChanged} />
      </Section>
      <Section title="Groups and roles" testId="user-memberships">
        <ObjectList list={memberOf} noun="memberships" doing="view this user's groups and roles" empty={`${name} is not a member of any group or role.`} testId="user-member-of" />
      </Section>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete user"
          confirmLabel="Delete"
          doing="delete users"
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await deleteUser(graph, user.id);
            navigate(paths.users, { notice: `${name} was deleted.` });
          }}
        >
          <p>
            Delete <strong>{name}</strong> ({user.userPrincipalName})? They will no longer be able to sign in, and lose their group memberships and roles.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
