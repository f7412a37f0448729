import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import type { AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal } from '../../graph/applicationTypes.ts';
import type { GraphClient } from '../../graph/client.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import {
  appRoleAssignmentsOf,
  deleteAppRoleAssignment,
  deletePermissionGrant,
  getServicePrincipal,
  grantAdminConsent,
  permissionGrantsOf,
  updatePermissionGrant,
} from '../../graph/servicePrincipals.ts';
import type { Collection, DirectoryObject } from '../../graph/types.ts';
import { useResource } from '../../hooks/useResource.ts';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { Section } from '../../ui/Section.tsx';
import { scopesOf } from '../applications/appRules.ts';
import { OutcomeAlert, useRunner } from '../applications/useRunner.tsx';
import type { EnterpriseApp } from './EnterpriseAppPage.tsx';
import { type PermissionRow, permissionRows } from './permissionRows.ts';

interface Facts {
  grants: OAuth2PermissionGrant[];
  assignments: AppRoleAssignment[];
  resources: Map<string, ServicePrincipal>;
  users: Map<string, DirectoryObject>;
}

async function loadFacts(graph: GraphClient, spId: string, signal: AbortSignal): Promise<Facts> {
  const [grants, assignments] = await Promise.all([permissionGrantsOf(graph, spId, signal), appRoleAssignmentsOf(graph, spId, signal)]);
  const resourceIds = [...new Set([...grants.map((g) => g.resourceId), ...assignments.map((a) => a.resourceId)])];
  const resources = new Map(
    (await Promise.all(resourceIds.map((id) => getServicePrincipal(graph, id, signal).catch(() => null)))).flatMap((sp) => (sp ? [[sp.id, sp] as const] : [])),
  );
  const userIds = [...new Set(grants.flatMap((g) => (g.consentType === 'Principal' && g.principalId ? [g.principalId] : [])))];
  const users =
    userIds.length === 0
      ? new Map<string, DirectoryObject>()
      : new Map(
          (await graph.post<Collection<DirectoryObject>>('/directoryObjects/getByIds', { ids: userIds, types: ['user'] }, { signal })).value.map((user) => [user.id.toLowerCase(), user] as const),
        );
  return { grants, assignments, resources, users };
}

/**
 * Entra's enterprise app "Permissions": what the app was granted here, through admin consent
 * (tenant-wide delegated grants and application permissions) and through user consent (each user's
 * own grant), each revocable; and "Grant admin consent for {tenant}".
 */
export function PermissionsTab({ app }: { app: EnterpriseApp }) {
  const graph = useGraph();
  const access = useAccess();
  const runner = useRunner();
  const sp = app.servicePrincipal;
  const facts = useResource((signal) => loadFacts(graph, sp.id, signal), [graph, sp.id]);
  const { state } = facts;
  const canRevokeDelegated = access.can(Actions.updatePermissionGrants);
  const canRevokeApplication = access.can(Actions.updateAppRoleAssignments);

  const grant = () =>
    runner.run('grant', 'grant admin consent', async () => {
      await grantAdminConsent(graph, sp.id);
      facts.reload();
      return `Granted admin consent for ${app.tenantName}.`;
    });

  const revoke = (row: PermissionRow) =>
    runner.run(row.key, 'revoke permissions', async () => {
      if (row.kind === 'application') {
        await deleteAppRoleAssignment(graph, sp.id, row.assignmentId);
      } else {
        // One permission of a grant: the grant keeps its other scopes; its last one goes with the grant.
        const remaining = scopesOf(row.grant.scope).filter((value) => value.toLowerCase() !== row.permission.toLowerCase());
        if (remaining.length === 0) await deletePermissionGrant(graph, row.grant.id);
        else await updatePermissionGrant(graph, row.grant.id, remaining.join(' '));
      }
      facts.reload();
      return `Revoked ${row.permission}${row.kind === 'user' ? ` for ${row.grantedBy}` : ''}.`;
    });

  return (
    <>
      <OutcomeAlert outcome={runner.outcome} testId="enterprise-permissions-outcome" />
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} doing="view this application's permissions" onRetry={facts.reload} />}
      {state.status === 'ready' &&
        (() => {
          const rows = permissionRows(state.data);
          const admin = rows.filter((row) => row.kind !== 'user');
          const user = rows.filter((row) => row.kind === 'user');
          const table = (items: PermissionRow[], testId: string, caption: string) => (
            <div className="table-wrap">
              <table className="table" data-testid={testId}>
                <caption className="visually-hidden">{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">API name</th>
                    <th scope="col">Permission</th>
                    <th scope="col">Type</th>
                    <th scope="col">Granted through</th>
                    <th scope="col">Granted by</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((row) => {
                    const mayRevoke = row.kind === 'application' ? canRevokeApplication : canRevokeDelegated;
                    return (
                      <tr key={row.key} data-permission={row.permission}>
                        <td>{row.api}</td>
                        <td>
                          <span className="mono">{row.permission}</span>
                          <span className="cell-detail">{row.description}</span>
                        </td>
                        <td>{row.kind === 'application' ? 'Application' : 'Delegated'}</td>
                        <td>{row.kind === 'user' ? 'User consent' : 'Admin consent'}</td>
                        <td>{row.grantedBy}</td>
                        <td className="cell-actions">
                          {mayRevoke && (
                            <Button
                              variant="ghost"
                              busy={runner.busy === row.key}
                              disabled={runner.busy !== null}
                              aria-label={`Revoke ${row.permission}${row.kind === 'user' ? ` for ${row.grantedBy}` : ''}`}
                              onClick={() => void revoke(row)}
                            >
                              Revoke
                            </Button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          );
          return (
            <>
              <Section
                title="Admin consent"
                testId="admin-consent-permissions"
                actions={
                  access.can(Actions.grantAdminConsent) && (
                    <Button variant="primary" busy={runner.busy === 'grant'} disabled={runner.busy !== null} onClick={() => void grant()} data-testid="enterprise-grant-admin-consent">
                      Grant admin consent for {app.tenantName}
                    </Button>
                  )
                }
              >
                <p className="field-hint">Granted by an administrator for everyone in {app.tenantName}. Granting consents to everything the app's registration asks for.</p>
                {admin.length === 0 ? <p className="empty">No permissions have been granted for the whole organization.</p> : table(admin, 'admin-consent-table', 'Admin consent')}
              </Section>
              <Section title="User consent" testId="user-consent-permissions">
                <p className="field-hint">Granted by users for themselves: the app acts as that user only.</p>
                {user.length === 0 ? <p className="empty">No user has consented to this app.</p> : table(user, 'user-consent-table', 'User consent')}
              </Section>
            </>
          );
        })()}
    </>
  );
}
