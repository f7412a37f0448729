import { useMemo } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { getAuthorizationPolicy } from '../../graph/policies.ts';
import { useResource } from '../../hooks/useResource.ts';
import type { ExternalRoute } from '../../router/externalRoutes.ts';
import { Alert } from '../../ui/Alert.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { BulkInvitePage } from './bulk/BulkInvitePage.tsx';
import { BulkOperationPage } from './bulk/BulkOperationPage.tsx';
import { type ExternalSection, ExternalSectionContext } from './ExternalContext.tsx';
import { inviteAccess } from './externalRules.ts';
import { GuestPage } from './guests/GuestPage.tsx';
import { GuestsPage } from './guests/GuestsPage.tsx';
import { InvitePage } from './invite/InvitePage.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import './external-identities.css';

/**
 * The External identities section: guest users, invitations (one and bulk) and the external
 * collaboration settings. It reads the tenant's authorizationPolicy once, because whether the
 * admin may invite depends on it (allowInvitesFrom) as well as on their roles.
 */
export function ExternalIdentitiesView({ route }: { route: ExternalRoute }) {
  const graph = useGraph();
  const access = useAccess();
  // An admin whose roles cannot read policies still gets the section; the roles then decide alone.
  const policy = useResource((signal) => getAuthorizationPolicy(graph, signal).catch(() => null), [graph]);
  const allowInvitesFrom = policy.state.status === 'ready' ? (policy.state.data?.allowInvitesFrom ?? null) : null;
  const invitesByRole = access.can(Actions.inviteGuests);

  const section = useMemo<ExternalSection>(() => {
    const invite = inviteAccess(allowInvitesFrom, { invitesByRole, userType: access.user.userType });
    // With invitations turned off the pages still open and say so, for those whose roles could invite.
    return { allowInvitesFrom, invite, showInvitePages: invite.allowed || invitesByRole, reloadPolicy: policy.reload };
  }, [allowInvitesFrom, invitesByRole, access.user.userType, policy.reload]);

  const page = pageFor(route, section, access.can(Actions.readPolicies));
  return <ExternalSectionContext value={section}>{page}</ExternalSectionContext>;
}

function pageFor(route: ExternalRoute, section: ExternalSection, canReadSettings: boolean) {
  switch (route.page) {
    case 'guests':
      return <GuestsPage />;
    case 'guest':
      return <GuestPage key={route.id} id={route.id} />;
    case 'invite':
      return section.showInvitePages ? <InvitePage /> : <NotAvailable doing="invite guest users" />;
    case 'bulk':
      return section.showInvitePages ? <BulkInvitePage /> : <NotAvailable doing="invite guest users" />;
    case 'bulkOperation':
      return section.showInvitePages ? <BulkOperationPage key={route.id} id={route.id} /> : <NotAvailable doing="view bulk invitations" />;
    case 'settings':
      return canReadSettings ? <SettingsPage /> : <NotAvailable doing="view the external collaboration settings" />;
  }
}

function NotAvailable({ doing }: { doing: string }) {
  return (
    <>
      <PageHeader title="Not available" />
      <Alert tone="error">You don't have permission to {doing}.</Alert>
    </>
  );
}
