import { type FormEvent, useId, useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { type DelegatedPermissionClassification, GRAPH_APP_ID, type ServicePrincipal } from '../../graph/applicationTypes.ts';
import type { GraphClient } from '../../graph/client.ts';
import { GraphError } from '../../graph/errors.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { addClassification, classificationsOf, removeClassification, servicePrincipalByAppId } from '../../graph/servicePrincipals.ts';
import { useResource } from '../../hooks/useResource.ts';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { Section } from '../../ui/Section.tsx';
import { OutcomeAlert, useRunner } from '../applications/useRunner.tsx';
import { classificationLabel } from './consentRules.ts';

async function load(graph: GraphClient, signal: AbortSignal): Promise<{ graphSp: ServicePrincipal; classifications: DelegatedPermissionClassification[] }> {
  const graphSp = await servicePrincipalByAppId(graph, GRAPH_APP_ID, signal);
  if (!graphSp) throw new GraphError(404, 'Request_ResourceNotFound', 'Microsoft Graph has no service principal in this tenant.');
  return { graphSp, classifications: await classificationsOf(graph, graphSp.id, signal) };
}

/**
 * Entra's "Permission classifications": Microsoft Graph's delegated permissions classified as low
 * impact, which users may consent to under "Allow user consent for apps from verified publishers,
 * for selected permissions". Only permissions users could consent to at all (type User) qualify.
 */
export function ClassificationsSection() {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updatePermissionClassifications);
  const runner = useRunner();
  const selectId = useId();
  const [chosen, setChosen] = useState('');
  const data = useResource((signal) => load(graph, signal), [graph]);
  const { state } = data;

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the permission classifications" onRetry={data.reload} />;
  const { graphSp, classifications } = state.data;
  const classified = new Set(classifications.map((c) => c.permissionId));
  const scopes = graphSp.oauth2PermissionScopes ?? [];
  const candidates = scopes.filter((scope) => scope.isEnabled && scope.type === 'User' && !classified.has(scope.id)).sort((a, b) => a.value.localeCompare(b.value));
  const describe = (permissionId: string) => scopes.find((scope) => scope.id === permissionId)?.adminConsentDisplayName ?? '';

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const scope = candidates.find((candidate) => candidate.id === chosen);
    if (!scope) {
      runner.setOutcome({ tone: 'error', text: 'Choose a permission to classify.' });
      return;
    }
    const done = await runner.run('add', 'classify permissions', async () => {
      await addClassification(graph, graphSp.id, { permissionId: scope.id, permissionName: scope.value, classification: 'low' });
      data.reload();
      return `${scope.value} is now classified as low impact.`;
    });
    if (done) setChosen('');
  };

  return (
    <Section title={`Low impact permissions of ${graphSp.displayName}`} testId="permission-classifications">
      <p className="field-hint">Users may consent to these for apps from verified publishers and apps registered in this organization, when the user consent setting allows it.</p>
      <OutcomeAlert outcome={runner.outcome} testId="classifications-outcome" />
      {classifications.length === 0 ? (
        <p className="empty">No permissions are classified yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="classifications-table">
            <caption className="visually-hidden">Classified permissions</caption>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                <th scope="col" className="hide-narrow">
                  Description
                </th>
                <th scope="col">Classification</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {classifications.map((classification) => (
                <tr key={classification.id} data-permission={classification.permissionName}>
                  <td className="mono">{classification.permissionName}</td>
                  <td className="hide-narrow">{describe(classification.permissionId)}</td>
                  <td>{classificationLabel(classification.classification)}</td>
                  {canEdit && (
                    <td className="cell-actions">
                      <Button
                        variant="ghost"
                        busy={runner.busy === classification.id}
                        disabled={runner.busy !== null}
                        aria-label={`Remove ${classification.permissionName}`}
                        onClick={() =>
                          void runner.run(classification.id, 'classify permissions', async () => {
                            await removeClassification(graph, graphSp.id, classification.id);
                            data.reload();
                            return `${classification.permissionName} is no longer classified.`;
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
      {canEdit && (
        <form className="inline-form" onSubmit={(event) => void add(event)} noValidate data-testid="classification-add-form">
          <div className="field">
            <label htmlFor={selectId}>Add a low impact permission</label>
            <div className="field-control">
              <select id={selectId} value={chosen} onChange={(event) => setChosen(event.target.value)} data-testid="classification-permission">
                <option value="">Choose a permission…</option>
                {candidates.map((scope) => (
                  <option key={scope.id} value={scope.id}>
                    {scope.value}: {scope.adminConsentDisplayName}
                  </option>
                ))}
              </select>
              <Button type="submit" busy={runner.busy === 'add'} disabled={runner.busy !== null} data-testid="classification-add">
                Add
              </Button>
            </div>
          </div>
        </form>
      )}
    </Section>
  );
}
