import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { describeError } from '../../../graph/errors.ts';
import { Actions } from '../../../access/roles.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { getGuest, type Guest, revokeSignInSessions } from '../../../graph/guests.ts';
import type { Invitation } from '../../../graph/invitations.ts';
import { deleteUser, updateUser } from '../../../graph/users.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { externalPaths } from '../../../router/externalRoutes.ts';
import { Link, useNavigate } from '../../../router/Router.tsx';
import { paths } from '../../../router/routes.ts';
import { Alert } from '../../../ui/Alert.tsx';
import { Badge } from '../../../ui/Badge.tsx';
import { Button } from '../../../ui/Button.tsx';
import { ConfirmDialog } from '../../../ui/ConfirmDialog.tsx';
import { CopyField } from '../../../ui/CopyField.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { PageHeader } from '../../../ui/PageHeader.tsx';
import { Section } from '../../../ui/Section.tsx';
import { useExternalSection } from '../ExternalContext.tsx';
import { formatDateTime } from '../externalRules.ts';
import { GuestStateBadge } from './GuestStateBadge.tsx';
import { ResendInvitationDialog, ResetRedemptionDialog } from './InvitationDialogs.tsx';

const back = { to: externalPaths.guests, label: 'Guest users' };

export function GuestPage({ id }: { id: string }) {
  const graph = useGraph();
  const guest = useResource((signal) => getGuest(graph, id, signal), [graph, id]);
  const { state } = guest;
  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="Guest user" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="Guest user" back={back} />
        <LoadError error={state.error} doing="view this guest user" onRetry={guest.reload} />
      </>
    );
  }
  return <GuestDetails guest={state.data} onChanged={guest.reload} />;
}

type Dialog = 'resend' | 'reset' | 'revoke' | 'block' | 'delete';
type Outcome = { tone: 'success' | 'error'; text: string; redeemUrl?: string | null };

function GuestDetails({ guest, onChanged }: { guest: Guest; onChanged(): void }) {
  const graph = useGraph();
  const access = useAccess();
  const section = useExternalSection();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [enabling, setEnabling] = useState(false);
  const name = guest.displayName || guest.mail || guest.userPrincipalName;
  const pending = guest.externalUserState === 'PendingAcceptance';
  const blocked = guest.accountEnabled === false;
  const isSelf = access.user.id.toLowerCase() === guest.id.toLowerCase();

  // Resending needs the address the guest was invited with; a guest without mail redeems through a reset instead.
  const offer = {
    resend: pending && Boolean(guest.mail) && section.invite.allowed,
    reset: access.can(Actions.resetRedemption),
    revoke: access.can(Actions.revokeSessions),
    block: !isSelf && (blocked ? access.can(Actions.enableUsers) : access.can(Actions.disableUsers)),
    delete: !isSelf && access.can(Actions.deleteUsers),
  };

  const invited = (invitation: Invitation, message: string) => {
    setDialog(null);
    setOutcome({ tone: 'success', text: message, redeemUrl: invitation.inviteRedeemUrl });
    onChanged();
  };

  const allowSignIn = async () => {
    setEnabling(true);
    setOutcome(null);
    try {
      await updateUser(graph, guest.id, { accountEnabled: true });
      setOutcome({ tone: 'success', text: `${name} can sign in again.` });
      onChanged();
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error, 'allow sign-in') });
    } finally {
      setEnabling(false);
    }
  };

  return (
    <>
      <PageHeader
        title={name}
        back={back}
        subtitle={
          <>
            <span className="subtitle-text">{guest.mail ?? guest.userPrincipalName}</span>{' '}
            <span className="badges">
              <Badge tone="info">{guest.userType === 'Member' ? 'External member' : 'Guest'}</Badge>
              <GuestStateBadge state={guest.externalUserState} />
              {blocked && <Badge tone="danger">Sign-in blocked</Badge>}
            </span>
          </>
        }
      />
      {outcome && (
        <Alert tone={outcome.tone} testId="guest-outcome">
          <p>{outcome.text}</p>
          {outcome.redeemUrl && <CopyField label="Redemption link" value={outcome.redeemUrl} testId="guest-redeem-url" />}
        </Alert>
      )}
      <Section title="Invitation" testId="guest-invitation">
        <dl className="properties">
          <dt>Invitation state</dt>
          <dd data-testid="guest-state">
            <GuestStateBadge state={guest.externalUserState} />
          </dd>
          <dt>State changed</dt>
          <dd>{formatDateTime(guest.externalUserStateChangeDateTime) || 'Never'}</dd>
          <dt>Invited</dt>
          <dd>{formatDateTime(guest.createdDateTime)}</dd>
          <dt>Creation type</dt>
          <dd>{guest.creationType ?? 'Created in this directory'}</dd>
        </dl>
        <div className="action-list" data-testid="guest-actions">
          {offer.resend && (
            <GuestAction label="Resend invitation" testId="resend-invitation" onClick={() => setDialog('resend')}>
              A fresh link by e-mail; the previous one stops working.
            </GuestAction>
          )}
          {offer.reset && (
            <GuestAction label="Reset redemption status" testId="reset-redemption" onClick={() => setDialog('reset')}>
              The guest accepts again, possibly with another address or account.
            </GuestAction>
          )}
          {offer.revoke && (
            <GuestAction label="Revoke sessions" testId="revoke-sessions" onClick={() => setDialog('revoke')}>
              Signs the guest out everywhere; they must sign in again.
            </GuestAction>
          )}
          {offer.block &&
            (blocked ? (
              <GuestAction label="Allow sign-in" testId="allow-sign-in" busy={enabling} onClick={() => void allowSignIn()}>
                Lets the guest sign in again.
              </GuestAction>
            ) : (
              <GuestAction label="Block sign-in" testId="block-sign-in" onClick={() => setDialog('block')}>
                Keeps the guest object but stops every sign-in.
              </GuestAction>
            ))}
          {offer.delete && (
            <GuestAction label="Delete guest" testId="delete-guest" danger onClick={() => setDialog('delete')}>
              Removes the guest and their access to this organization.
            </GuestAction>
          )}
        </div>
        {isSelf && <p className="form-note">You can't block or delete your own account.</p>}
      </Section>
      <Section title="Identity" testId="guest-identity">
        <dl className="properties">
          <dt>User principal name</dt>
          <dd className="break">{guest.userPrincipalName}</dd>
          <dt>E-mail</dt>
          <dd>{guest.mail ?? 'None'}</dd>
          {guest.otherMails && guest.otherMails.length > 0 && (
            <>
              <dt>Other e-mail addresses</dt>
              <dd>{guest.otherMails.join(', ')}</dd>
            </>
          )}
          <dt>Identities</dt>
          <dd>
            <ul className="plain-list" data-testid="guest-identities">
              {(guest.identities ?? []).map((identity, index) => (
                <li key={`${identity.issuer}-${index}`}>
                  {identity.issuer}
                  <span className="cell-detail">
                    {identity.signInType}
                    {identity.issuerAssignedId ? ` · ${identity.issuerAssignedId}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <p>
          <Link to={paths.user(guest.id)}>Open in Users</Link> to edit the profile and see group memberships.
        </p>
      </Section>
      {dialog === 'resend' && <ResendInvitationDialog guest={guest} name={name} onClose={() => setDialog(null)} onDone={invited} />}
      {dialog === 'reset' && <ResetRedemptionDialog guest={guest} name={name} onClose={() => setDialog(null)} onDone={invited} />}
      {dialog === 'revoke' && (
        <ConfirmDialog
          title="Revoke sessions"
          confirmLabel="Revoke"
          doing="revoke sessions"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await revokeSignInSessions(graph, guest.id);
            setDialog(null);
            setOutcome({ tone: 'success', text: `${name} was signed out everywhere and must sign in again.` });
          }}
        >
          <p>
            Sign <strong>{name}</strong> out of every session and app? Their refresh tokens stop working at once.
          </p>
        </ConfirmDialog>
      )}
      {dialog === 'block' && (
        <ConfirmDialog
          title="Block sign-in"
          confirmLabel="Block sign-in"
          doing="block sign-in"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await updateUser(graph, guest.id, { accountEnabled: false });
            setDialog(null);
            setOutcome({ tone: 'success', text: `${name} can no longer sign in.` });
            onChanged();
          }}
        >
          <p>
            Block <strong>{name}</strong> ({guest.mail ?? guest.userPrincipalName}) from signing in to this organization? The guest object, its memberships and
            its invitation stay.
          </p>
        </ConfirmDialog>
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete guest"
          confirmLabel="Delete"
          doing="delete users"
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await deleteUser(graph, guest.id);
            navigate(externalPaths.guests, { notice: `${name} was deleted.` });
          }}
        >
          <p>
            Delete the guest user <strong>{name}</strong> ({guest.mail ?? guest.userPrincipalName})? They lose access to this organization's apps, and a
            pending invitation link stops working.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function GuestAction({
  label,
  testId,
  onClick,
  danger,
  busy,
  children,
}: {
  label: string;
  testId: string;
  onClick(): void;
  danger?: boolean;
  busy?: boolean;
  children: string;
}) {
  return (
    <div className="action-item">
      <Button variant={danger ? 'danger' : 'secondary'} onClick={onClick} busy={busy} data-testid={testId} aria-describedby={`${testId}-what`}>
        {label}
      </Button>
      <span className="action-what" id={`${testId}-what`}>
        {children}
      </span>
    </div>
  );
}
