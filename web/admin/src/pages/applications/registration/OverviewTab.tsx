import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import type { Application } from '../../../graph/applicationTypes.ts';
import { deleteApplication } from '../../../graph/applications.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { getOrganization } from '../../../graph/organization.ts';
import { createServicePrincipal, servicePrincipalByAppId } from '../../../graph/servicePrincipals.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { appPaths } from '../../../router/appRoutes.ts';
import { Link, useNavigate } from '../../../router/Router.tsx';
import { Button } from '../../../ui/Button.tsx';
import { ConfirmDialog } from '../../../ui/ConfirmDialog.tsx';
import { Section } from '../../../ui/Section.tsx';
import { PublisherBadge } from '../../enterprise-apps/PublisherBadge.tsx';
import { audienceLabel, formatDate, redirectUrisOf } from '../appRules.ts';
import { OutcomeAlert, useRunner } from '../useRunner.tsx';

export function OverviewTab({ application }: { application: Application }) {
  const graph = useGraph();
  const access = useAccess();
  const navigate = useNavigate();
  const runner = useRunner();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const organization = useResource((signal) => getOrganization(graph, signal), [graph]);
  const servicePrincipal = useResource((signal) => servicePrincipalByAppId(graph, application.appId, signal), [graph, application.appId]);
  const sp = servicePrincipal.state.status === 'ready' ? servicePrincipal.state.data : undefined;
  const uriCount = (['web', 'spa', 'publicClient'] as const).reduce((sum, platform) => sum + redirectUrisOf(application, platform).length, 0);
  const secrets = application.passwordCredentials?.length ?? 0;
  const certificates = application.keyCredentials?.length ?? 0;

  return (
    <>
      <OutcomeAlert outcome={runner.outcome} testId="app-overview-outcome" />
      <Section
        title="Essentials"
        testId="app-essentials"
        actions={
          access.can(Actions.deleteApplications) && (
            <Button variant="danger" onClick={() => setConfirmDelete(true)} data-testid="delete-app">
              Delete
            </Button>
          )
        }
      >
        <dl className="properties">
          <dt>Display name</dt>
          <dd>{application.displayName}</dd>
          <dt>Application (client) ID</dt>
          <dd className="mono" data-testid="app-client-id">
            {application.appId}
          </dd>
          <dt>Object ID</dt>
          <dd className="mono">{application.id}</dd>
          <dt>Directory (tenant) ID</dt>
          <dd className="mono">{organization.state.status === 'ready' ? organization.state.data.id : ''}</dd>
          <dt>Supported account types</dt>
          <dd>{audienceLabel(application.signInAudience)}</dd>
          <dt>Client credentials</dt>
          <dd>
            <Link to={appPaths.appRegistration(application.id, 'credentials')}>
              {certificates} certificate{certificates === 1 ? '' : 's'}, {secrets} secret{secrets === 1 ? '' : 's'}
            </Link>
          </dd>
          <dt>Redirect URIs</dt>
          <dd>
            <Link to={appPaths.appRegistration(application.id, 'authentication')}>
              {uriCount} redirect URI{uriCount === 1 ? '' : 's'}
            </Link>
          </dd>
          <dt>Application ID URI</dt>
          <dd className="break">{application.identifierUris?.[0] ?? 'Not set'}</dd>
          <dt>Publisher domain</dt>
          <dd>{application.publisherDomain ?? ''}</dd>
          <dt>Publisher verification</dt>
          <dd>
            <PublisherBadge name={application.verifiedPublisher?.displayName ?? null} verified={Boolean(application.verifiedPublisher?.verifiedPublisherId)} />
          </dd>
          <dt>Created</dt>
          <dd>{formatDate(application.createdDateTime)}</dd>
          <dt>Managed application in local directory</dt>
          <dd data-testid="app-enterprise-link">
            {sp ? (
              <Link to={appPaths.enterpriseApp(sp.id)}>{sp.displayName}</Link>
            ) : sp === null ? (
              access.can(Actions.createServicePrincipals) ? (
                <Button
                  busy={runner.busy === 'create-sp'}
                  onClick={() =>
                    void runner.run('create-sp', 'create enterprise applications', async () => {
                      await createServicePrincipal(graph, application.appId);
                      servicePrincipal.reload();
                      return 'The enterprise application was created.';
                    })
                  }
                >
                  Create enterprise application
                </Button>
              ) : (
                'None'
              )
            ) : (
              ''
            )}
          </dd>
        </dl>
      </Section>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete app registration"
          confirmLabel="Delete"
          doing="delete app registrations"
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await deleteApplication(graph, application.id);
            navigate(appPaths.appRegistrations, { notice: `${application.displayName} was deleted.` });
          }}
        >
          <p>
            Delete <strong>{application.displayName}</strong>? Its credentials stop working and users can no longer sign in to it.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
