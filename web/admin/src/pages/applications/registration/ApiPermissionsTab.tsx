import { useEffect, useRef, useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import type { Application, AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal } from '../../../graph/applicationTypes.ts';
import { updateApplication } from '../../../graph/applications.ts';
import type { GraphClient } from '../../../graph/client.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { getOrganization } from '../../../graph/organization.ts';
import { appRoleAssignmentsOf, createServicePrincipal, grantAdminConsent, permissionGrantsOf, servicePrincipalByAppId } from '../../../graph/servicePrincipals.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { Badge } from '../../../ui/Badge.tsx';
import { Button } from '../../../ui/Button.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { Section } from '../../../ui/Section.tsx';
import { grantStatus, withoutPermission } from '../appRules.ts';
import { OutcomeAlert, useRunner } from '../useRunner.tsx';
import { AddPermissionDialog } from './AddPermissionDialog.tsx';

interface PermissionFacts {
  tenantName: string;
  /** this tenant's service principal of the app; null before it has one */
  servicePrincipal: ServicePrincipal | null;
  grants: OAuth2PermissionGrant[];
  assignments: AppRoleAssignment[];
  /** each requested resource's service principal here, by appId (null: not in this tenant) */
  resources: Map<string, ServicePrincipal | null>;
}

async function loadFacts(graph: GraphClient, application: Application, signal: AbortSignal): Promise<PermissionFacts> {
  const [organization, servicePrincipal] = await Promise.all([getOrganization(graph, signal), servicePrincipalByAppId(graph, application.appId, signal)]);
  const [grants, assignments]: [OAuth2PermissionGrant[], AppRoleAssignment[]] = servicePrincipal
    ? await Promise.all([permissionGrantsOf(graph, servicePrincipal.id, signal), appRoleAssignmentsOf(graph, servicePrincipal.id, signal)])
    : [[], []];
  const appIds = [...new Set((application.requiredResourceAccess ?? []).map((entry) => entry.resourceAppId))];
  const resources = new Map(await Promise.all(appIds.map(async (appId) => [appId, await servicePrincipalByAppId(graph, appId, signal)] as const)));
  return { tenantName: organization.displayName, servicePrincipal, grants, assignments, resources };
}

/** Entra's "API permissions": what the app asks for (requiredResourceAccess) and whether this tenant granted it. */
export function ApiPermissionsTab({ application, onChanged }: { application: Application; onChanged(): void }) {
  const graph = useGraph();
  // Kept here, above the table, so an outcome survives the reload its own change causes.
  const runner = useRunner();
  const facts = useResource((signal) => loadFacts(graph, application, signal), [graph, application.id]);
  // A change to the registration (a permission added or removed) reads the grants again, keeping
  // the table on screen meanwhile rather than flashing back to "Loading".
  const shown = useRef(application);
  const { reload } = facts;
  useEffect(() => {
    if (shown.current === application) return;
    shown.current = application;
    reload();
  }, [application, reload]);
  const { state } = facts;
  return (
    <>
      <OutcomeAlert outcome={runner.outcome} testId="api-permissions-outcome" />
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} doing="view the API permissions" onRetry={facts.reload} />}
      {state.status === 'ready' && <PermissionsTable application={application} facts={state.data} runner={runner} onChanged={onChanged} onGranted={facts.reload} />}
    </>
  );
}

interface TableProps {
  application: Application;
  facts: PermissionFacts;
  runner: ReturnType<typeof useRunner>;
  onChanged(): void;
  onGranted(): void;
}

function PermissionsTable({ application, facts, runner, onChanged, onGranted }: TableProps) {
  const graph = useGraph();
  const access = useAccess();
  const [adding, setAdding] = useState(false);
  const canEdit = access.can(Actions.updateApplications);
  const canConsent = access.can(Actions.grantAdminConsent);
  const required = application.requiredResourceAccess ?? [];
  const rows = required.flatMap((entry) =>
    entry.resourceAccess.map((item) => {
      const resource = facts.resources.get(entry.resourceAppId) ?? null;
      const scope = item.type === 'Scope' ? resource?.oauth2PermissionScopes?.find((s) => s.id === item.id) : undefined;
      const role = item.type === 'Role' ? resource?.appRoles?.find((r) => r.id === item.id) : undefined;
      return {
        key: `${entry.resourceAppId}/${item.type}/${item.id}`,
        resourceAppId: entry.resourceAppId,
        item,
        api: resource?.displayName ?? entry.resourceAppId,
        name: scope?.value ?? role?.value ?? item.id,
        description: scope?.adminConsentDisplayName ?? role?.displayName ?? '',
        adminConsentRequired: item.type === 'Role' || scope?.type === 'Admin',
        status: grantStatus(item, resource, facts.grants, facts.assignments),
      };
    }),
  );

  const grant = () =>
    runner.run('grant', 'grant admin consent', async () => {
      // An app registered here gets its enterprise application first, as the portal's consent does.
      const sp = facts.servicePrincipal ?? (await createServicePrincipal(graph, application.appId));
      await grantAdminConsent(graph, sp.id);
      onGranted();
      return `Granted admin consent for ${facts.tenantName}.`;
    });

  return (
    <Section
      title="Configured permissions"
      testId="api-permissions"
      actions={
        <>
          {canEdit && (
            <Button onClick={() => setAdding(true)} data-testid="add-permission">
              Add a permission
            </Button>
          )}
          {canConsent && rows.length > 0 && (
            <Button variant="primary" busy={runner.busy === 'grant'} disabled={runner.busy !== null} onClick={() => void grant()} data-testid="grant-admin-consent">
              Grant admin consent for {facts.tenantName}
            </Button>
          )}
        </>
      }
    >
      <p className="field-hint">
        Applications are authorized to call APIs when they are granted permissions by users or administrators as part of the consent process. The list of configured permissions should include
        all the permissions the application needs.
      </p>
      {rows.length === 0 ? (
        <p className="empty">This application asks for no permissions yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="api-permissions-table">
            <caption className="visually-hidden">Configured permissions</caption>
            <thead>
              <tr>
                <th scope="col">API / permission name</th>
                <th scope="col">Type</th>
                <th scope="col" className="hide-narrow">
                  Description
                </th>
                <th scope="col" className="hide-narrow">
                  Admin consent required
                </th>
                <th scope="col">Status</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-permission={row.name} data-status={row.status}>
                  <td>
                    <span className="mono">{row.name}</span>
                    <span className="cell-detail">{row.api}</span>
                  </td>
                  <td>{row.item.type === 'Scope' ? 'Delegated' : 'Application'}</td>
                  <td className="hide-narrow">{row.description}</td>
                  <td className="hide-narrow">{row.adminConsentRequired ? 'Yes' : 'No'}</td>
                  <td data-testid="permission-status">
                    {row.status === 'granted' ? <Badge tone="success">Granted for {facts.tenantName}</Badge> : <Badge tone="warning">Not granted for {facts.tenantName}</Badge>}
                  </td>
                  {canEdit && (
                    <td className="cell-actions">
                      <Button
                        variant="ghost"
                        busy={runner.busy === row.key}
                        disabled={runner.busy !== null}
                        aria-label={`Remove ${row.name}`}
                        onClick={() =>
                          void runner.run(row.key, 'change app registrations', async () => {
                            await updateApplication(graph, application.id, { requiredResourceAccess: withoutPermission(required, row.resourceAppId, row.item) });
                            onChanged();
                            return `Removed ${row.name}. Consent already granted stays until it is revoked under Enterprise applications.`;
                          })
                        }
                      >
                        Remove
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding && (
        <AddPermissionDialog
          application={application}
          onClose={() => setAdding(false)}
          onAdded={(count) => {
            setAdding(false);
            runner.setOutcome({ tone: 'success', text: `Added ${count} permission${count === 1 ? '' : 's'}. Grant admin consent for ${facts.tenantName} to let the app use them.` });
            onChanged();
          }}
        />
      )}
    </Section>
  );
}
