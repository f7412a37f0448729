import { type FormEvent, useId, useState } from 'react';
import { SelectField } from '../../forms/Fields.tsx';
import { DEFAULT_ACCESS_ROLE_ID, type ServicePrincipal } from '../../graph/applicationTypes.ts';
import { describeError } from '../../graph/errors.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { groupsPageUrl, groupsQueryHeaders } from '../../graph/groups.ts';
import { assignToApp } from '../../graph/servicePrincipals.ts';
import type { Collection } from '../../graph/types.ts';
import { usersPageUrl, usersQueryHeaders } from '../../graph/users.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { useResource } from '../../hooks/useResource.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { Modal } from '../../ui/Modal.tsx';
import { userRolesOf } from '../applications/appRules.ts';

const RESULTS = 10;

type Kind = 'user' | 'group';
interface Candidate {
  id: string;
  name: string;
  detail: string;
}

/** "Add assignment": a user or a group, and the app role they get (Default Access for an app without roles). */
export function AssignDialog({ servicePrincipal, onClose, onAssigned }: { servicePrincipal: ServicePrincipal; onClose(): void; onAssigned(message: string): void }) {
  const graph = useGraph();
  const id = useId();
  const roles = userRolesOf(servicePrincipal);
  const [kind, setKind] = useState<Kind>('user');
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Candidate | null>(null);
  const [roleId, setRoleId] = useState(roles[0]?.id ?? DEFAULT_ACCESS_ROLE_ID);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const term = useDebouncedValue(search.trim(), 250);
  const results = useResource(async (signal): Promise<Candidate[]> => {
    if (kind === 'user') {
      const page = await graph.get<Collection<{ id: string; displayName: string | null; userPrincipalName: string }>>(usersPageUrl(term, 'all', RESULTS), { headers: usersQueryHeaders, signal });
      return page.value.map((user) => ({ id: user.id, name: user.displayName || user.userPrincipalName, detail: user.userPrincipalName }));
    }
    const page = await graph.get<Collection<{ id: string; displayName: string; description?: string | null }>>(groupsPageUrl(term), { headers: groupsQueryHeaders, signal });
    return page.value.slice(0, RESULTS).map((group) => ({ id: group.id, name: group.displayName, detail: group.description ?? '' }));
  }, [graph, kind, term]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!picked) {
      setError(`Choose a ${kind}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await assignToApp(graph, servicePrincipal.id, { principalId: picked.id, appRoleId: roleId });
      const role = roles.find((r) => r.id === roleId)?.displayName ?? 'Default Access';
      onAssigned(`Assigned ${picked.name} to ${servicePrincipal.displayName} as ${role}.`);
    } catch (failure) {
      setError(describeError(failure, 'assign users and groups'));
      setBusy(false);
    }
  };

  return (
    <Modal title="Add assignment" onClose={onClose} testId="assign-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <SelectField
          id={`${id}-kind`}
          label="Assign a"
          value={kind}
          onChange={(value) => {
            setKind(value as Kind);
            setPicked(null);
          }}
          data-testid="assign-kind"
        >
          <option value="user">User</option>
          <option value="group">Group</option>
        </SelectField>
        <div className="field">
          <label htmlFor={`${id}-search`}>Search {kind === 'user' ? 'users' : 'groups'}</label>
          <input id={`${id}-search`} type="search" value={search} onChange={(event) => setSearch(event.target.value)} autoComplete="off" data-autofocus data-testid="assign-search" />
        </div>
        {results.state.status === 'loading' && <Loading label="Searching…" />}
        {results.state.status === 'error' && <LoadError error={results.state.error} doing={`search ${kind}s`} onRetry={results.reload} />}
        {results.state.status === 'ready' &&
          (results.state.data.length === 0 ? (
            <p className="empty">No {kind}s match “{term}”.</p>
          ) : (
            <ul className="picker-results" aria-label={`Matching ${kind}s`}>
              {results.state.data.map((candidate) => (
                <li key={candidate.id}>
                  <button
                    type="button"
                    className="picker-result"
                    aria-pressed={picked?.id === candidate.id}
                    onClick={() => setPicked(candidate)}
                    data-testid="assign-result"
                  >
                    <span className="picker-name">{candidate.name}</span>
                    <span className="picker-upn">{candidate.detail}</span>
                  </button>
                </li>
              ))}
            </ul>
          ))}
        <p className="form-note" role="status">
          {picked ? `Selected: ${picked.name}` : `No ${kind} selected.`}
        </p>
        <SelectField id={`${id}-role`} label="Role" value={roleId} onChange={setRoleId} data-testid="assign-role">
          {roles.length === 0 && <option value={DEFAULT_ACCESS_ROLE_ID}>Default Access</option>}
          {roles.map((role) => (
            <option key={role.id} value={role.id}>
              {role.displayName ?? role.value}
            </option>
          ))}
        </SelectField>
        {error && <Alert tone="error">{error}</Alert>}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} data-testid="assign-submit">
            Assign
          </Button>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
