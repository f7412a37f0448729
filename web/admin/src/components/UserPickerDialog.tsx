import { useId, useState } from 'react';
import { describeError } from '../graph/errors.ts';
import { useGraph } from '../graph/GraphContext.tsx';
import type { Collection, User } from '../graph/types.ts';
import { usersPageUrl, usersQueryHeaders } from '../graph/users.ts';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';
import { useResource } from '../hooks/useResource.ts';
import { Alert } from '../ui/Alert.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { Loading } from '../ui/Loading.tsx';
import { Modal } from '../ui/Modal.tsx';

const RESULTS = 10;

interface UserPickerDialogProps {
  title: string;
  /** for errors: "add members" */
  doing: string;
  /** does the work for the chosen user; the dialog closes when it succeeds */
  onPick(user: User): Promise<void>;
  onClose(): void;
}

/** Search users by name or sign-in name and pick one; used to add members and owners and to assign roles. */
export function UserPickerDialog({ title, doing, onPick, onClose }: UserPickerDialogProps) {
  const graph = useGraph();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [picking, setPicking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const term = useDebouncedValue(search.trim(), 250);
  const results = useResource(
    (signal) => graph.get<Collection<User>>(usersPageUrl(term, 'all', RESULTS), { headers: usersQueryHeaders, signal }),
    [graph, term],
  );

  const pick = async (user: User) => {
    setPicking(user.id);
    setError(null);
    try {
      await onPick(user);
      onClose();
    } catch (failure) {
      setError(describeError(failure, doing));
      setPicking(null);
    }
  };

  return (
    <Modal title={title} onClose={onClose} testId="user-picker">
      <div className="field">
        <label htmlFor={searchId}>Search users</label>
        <input
          id={searchId}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Name or user principal name"
          autoComplete="off"
          data-autofocus
          data-testid="user-picker-search"
        />
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      {results.state.status === 'loading' && <Loading label="Searching…" />}
      {results.state.status === 'error' && <LoadError error={results.state.error} doing="search users" onRetry={results.reload} />}
      {results.state.status === 'ready' &&
        (results.state.data.value.length === 0 ? (
          <p className="empty">No users match “{term}”.</p>
        ) : (
          <ul className="picker-results" aria-label="Matching users">
            {results.state.data.value.map((user) => (
              <li key={user.id}>
                <button
                  type="button"
                  className="picker-result"
                  disabled={picking !== null}
                  aria-busy={picking === user.id || undefined}
                  onClick={() => void pick(user)}
                  data-testid="user-picker-result"
                >
                  <span className="picker-name">{user.displayName || user.userPrincipalName}</span>
                  <span className="picker-upn">{user.userPrincipalName}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
    </Modal>
  );
}
