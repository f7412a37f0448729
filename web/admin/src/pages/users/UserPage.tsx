import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { ObjectList } from '../../components/ObjectList.tsx';
import { describeError } from '../../graph/errors.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import type { DirectoryObject, User } from '../../graph/types.ts';
import { deleteUser, getUser, updateUser, userMemberOfUrl } from '../../graph/users.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { type ResourceState, useResource } from '../../hooks/useResource.ts';
import { useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog, type TypedConfirmation } from '../../ui/ConfirmDialog.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { loadTargetPrivileges, type TargetPrivileges } from './targetPrivileges.ts';
import { matchesTypedName, planUserActions, type UserActionPlan } from './userActionRules.ts';
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

/** Delete and disable wait for the user's roles (userActionRules.ts); without the permission, nothing is loaded. */
function usePlan(user: User, name: string) {
  const graph = useGraph();
  const access = useAccess();
  const mayAct = access.can(Actions.updateUsers) || access.can(Actions.deleteUsers);
  const privileges = useResource<TargetPrivileges | null>((signal) => (mayAct ? loadTargetPrivileges(graph, user.id, signal) : Promise.resolve(null)), [graph, user.id, mayAct]);
  const plan = planFrom(privileges.state, {
    name,
    isSelf: access.user.id.toLowerCase() === user.id.toLowerCase(),
    accountEnabled: user.accountEnabled !== false,
  });
  return { plan, privileges };
}

function planFrom(state: ResourceState<TargetPrivileges | null>, target: { name: string; isSelf: boolean; accountEnabled: boolean }): UserActionPlan | null {
  if (state.status !== 'ready' || !state.data) return null;
  return planUserActions({ ...target, roles: state.data.roles, otherEnabledGlobalAdmins: state.data.otherEnabledGlobalAdmins });
}

function UserDetails({ user, onChanged }: { user: User; onChanged(): void }) {
  const graph = useGraph();
  const access = useAccess();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<'delete' | 'disable' | null>(null);
  const [switching, setSwitching] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const memberOf = usePagedCollection<DirectoryObject>(userMemberOfUrl(user.id));
  const name = user.displayName || user.userPrincipalName;
  const enabled = user.accountEnabled !== false;
  const { plan, privileges } = usePlan(user, name);
  const typedName: TypedConfirmation = {
    label: 'Type the user principal name or display name to confirm',
    hint: (
      <>
        Type <strong>{user.userPrincipalName}</strong>
        {user.displayName ? (
          <>
            {' '}
            or <strong>{user.displayName}</strong>
          </>
        ) : null}
        .
      </>
    ),
    matches: (typed) => matchesTypedName(typed, user),
  };
  const typedFor = (decision: UserActionPlan['delete'] | undefined) => (decision?.offered && decision.typedConfirmation ? typedName : undefined);

  const setAccountEnabled = async (accountEnabled: boolean) => {
    await updateUser(graph, user.id, { accountEnabled });
    setOutcome({ tone: 'success', text: accountEnabled ? `${name} can sign in again.` : `${name} can no longer sign in.` });
    onChanged();
  };

  const switchAccount = async () => {
    setSwitching(true);
    setOutcome(null);
    try {
      await setAccountEnabled(!enabled);
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error, enabled ? 'disable accounts' : 'enable accounts') });
    } finally {
      setSwitching(false);
    }
  };

  const onToggle = () => {
    // Disabling an administrator goes through the typed confirmation; enabling never needs one.
    if (enabled && typedFor(plan?.disable)) setConfirming('disable');
    else void switchAccount();
  };
  const offerToggle = access.can(Actions.updateUsers) && (!enabled || plan?.disable.offered === true);
  const offerDelete = access.can(Actions.deleteUsers) && plan?.delete.offered === true;

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
            {offerToggle && (
              <Button busy={switching} onClick={onToggle} data-testid="toggle-account">
                {enabled ? 'Disable account' : 'Enable account'}
              </Button>
            )}
            {offerDelete && (
              <Button variant="danger" onClick={() => setConfirming('delete')} data-testid="delete-user">
                Delete user
              </Button>
            )}
          </>
        }
      />
      {privileges.state.status === 'error' && <LoadError error={privileges.state.error} doing="check this user's roles" onRetry={privileges.reload} />}
      {plan && plan.notes.length > 0 && (
        <Alert tone="info" testId="user-actions-note">
          {plan.notes.map((note) => (
            <p key={note}>{note}</p>
          ))}
        </Alert>
      )}
      {outcome && <Alert tone={outcome.tone}>{outcome.text}</Alert>}
      <Section title="Profile">
        <UserProfileForm user={user} onSaved={onChanged} />
      </Section>
      <Section title="Groups and roles" testId="user-memberships">
        <ObjectList list={memberOf} noun="memberships" doing="view this user's groups and roles" empty={`${name} is not a member of any group or role.`} testId="user-member-of" />
      </Section>
      {confirming === 'disable' && (
        <ConfirmDialog
          title="Disable account"
          confirmLabel="Disable"
          doing="disable accounts"
          typedConfirmation={typedName}
          onClose={() => setConfirming(null)}
          onConfirm={async () => {
            setOutcome(null);
            await setAccountEnabled(false);
            setConfirming(null);
          }}
        >
          <p>
            Disable <strong>{name}</strong> ({user.userPrincipalName})? They will no longer be able to sign in, and can't use their administrator role until the account
            is enabled again.
          </p>
        </ConfirmDialog>
      )}
      {confirming === 'delete' && (
        <ConfirmDialog
          title="Delete user"
          confirmLabel="Delete"
          doing="delete users"
          typedConfirmation={typedFor(plan?.delete)}
          onClose={() => setConfirming(null)}
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
