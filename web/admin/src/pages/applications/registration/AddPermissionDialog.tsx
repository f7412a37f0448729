import { type FormEvent, useId, useState } from 'react';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import { type Application, GRAPH_APP_ID } from '../../../graph/applicationTypes.ts';
import { updateApplication } from '../../../graph/applications.ts';
import { describeError, GraphError } from '../../../graph/errors.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { servicePrincipalByAppId } from '../../../graph/servicePrincipals.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { Alert } from '../../../ui/Alert.tsx';
import { Button } from '../../../ui/Button.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { Modal } from '../../../ui/Modal.tsx';
import { applicationRolesOf, withPermissions } from '../appRules.ts';

type Kind = 'Scope' | 'Role';

const kindChoices: readonly { value: Kind; label: string }[] = [
  { value: 'Scope', label: 'Delegated permissions: the app acts as the signed-in user' },
  { value: 'Role', label: 'Application permissions: the app runs as itself, without a signed-in user' },
];

/** "Request API permissions" for Microsoft Graph, from the catalog of Graph's service principal in this tenant. */
export function AddPermissionDialog({ application, onClose, onAdded }: { application: Application; onClose(): void; onAdded(count: number): void }) {
  const graph = useGraph();
  const filterId = useId();
  const [kind, setKind] = useState<Kind>('Scope');
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resource = useResource(async (signal) => {
    const sp = await servicePrincipalByAppId(graph, GRAPH_APP_ID, signal);
    if (!sp) throw new GraphError(404, 'Request_ResourceNotFound', 'Microsoft Graph has no service principal in this tenant.');
    return sp;
  }, [graph]);

  const required = application.requiredResourceAccess ?? [];
  const already = new Set(required.filter((entry) => entry.resourceAppId === GRAPH_APP_ID).flatMap((entry) => entry.resourceAccess.map((a) => `${a.type}/${a.id}`)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen.size === 0) {
      setError('Choose at least one permission.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const added = [...chosen].map((key) => {
        const [type, id] = key.split('/') as [Kind, string];
        return { id, type };
      });
      await updateApplication(graph, application.id, { requiredResourceAccess: withPermissions(required, GRAPH_APP_ID, added) });
      onAdded(added.length);
    } catch (failure) {
      setError(describeError(failure, 'change app registrations'));
      setBusy(false);
    }
  };

  const toggle = (key: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const { state } = resource;
  const term = filter.trim().toLowerCase();
  const options =
    state.status !== 'ready'
      ? []
      : (kind === 'Scope'
          ? (state.data.oauth2PermissionScopes ?? []).filter((scope) => scope.isEnabled).map((scope) => ({ id: scope.id, value: scope.value, text: scope.adminConsentDisplayName ?? '', admin: scope.type === 'Admin' }))
          : applicationRolesOf(state.data).map((role) => ({ id: role.id, value: role.value ?? role.id, text: role.displayName ?? '', admin: true }))
        )
          .filter((option) => term === '' || option.value.toLowerCase().includes(term) || option.text.toLowerCase().includes(term))
          .sort((a, b) => a.value.localeCompare(b.value));

  return (
    <Modal title="Request API permissions: Microsoft Graph" onClose={onClose} testId="add-permission-dialog">
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} doing="read Microsoft Graph's permissions" onRetry={resource.reload} />}
      {state.status === 'ready' && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <RadioGroupField
            id="permission-kind"
            legend="What type of permissions does your application require?"
            options={kindChoices}
            value={kind}
            onChange={(value) => {
              setKind(value);
              setChosen(new Set());
            }}
          />
          <div className="field">
            <label htmlFor={filterId}>Select permissions</label>
            <input id={filterId} type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Start typing a permission to filter" autoComplete="off" data-autofocus data-testid="permission-filter" />
          </div>
          <fieldset className="permission-options">
            <legend className="visually-hidden">Permissions</legend>
            {options.length === 0 && <p className="empty">No permissions match.</p>}
            {options.map((option) => {
              const key = `${kind}/${option.id}`;
              const requested = already.has(key);
              return (
                <div className="field field-checkbox" key={key}>
                  <input
                    type="checkbox"
                    id={`permission-${key}`}
                    checked={requested || chosen.has(key)}
                    disabled={requested || busy}
                    onChange={(event) => toggle(key, event.target.checked)}
                    data-testid={`permission-option-${option.value}`}
                  />
                  <label htmlFor={`permission-${key}`}>
                    <span className="mono">{option.value}</span> {option.text}
                    {option.admin && <span className="cell-detail">Admin consent required</span>}
                    {requested && <span className="cell-detail">Already requested</span>}
                  </label>
                </div>
              );
            })}
          </fieldset>
          {error && <Alert tone="error">{error}</Alert>}
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy} data-testid="add-permissions">
              Add permissions
            </Button>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
