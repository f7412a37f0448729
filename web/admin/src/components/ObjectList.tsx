import { useState } from 'react';
import { describeError } from '../graph/errors.ts';
import type { DirectoryObject } from '../graph/types.ts';
import type { PagedCollection } from '../hooks/usePagedCollection.ts';
import { Link } from '../router/Router.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { PagedTable } from '../ui/PagedTable.tsx';
import { objectDetail, objectKind, objectName, objectPath } from './directoryObjects.ts';

interface ObjectListProps {
  list: PagedCollection<DirectoryObject>;
  /** plural, for "No members yet", the pager and the table caption */
  noun: string;
  /** what loading it means, for errors: "view the members" */
  doing: string;
  empty: string;
  /** when given, each row gets a Remove button; for errors: "remove members" */
  remove?: { run(object: DirectoryObject): Promise<void>; doing: string };
  testId: string;
}

/** A page of directory objects (members, owners, memberships) as a table, optionally with Remove. */
export function ObjectList({ list, noun, doing, empty, remove, testId }: ObjectListProps) {
  const [removing, setRemoving] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const removeObject = async (object: DirectoryObject) => {
    if (!remove) return;
    setRemoving(object.id);
    setOutcome(null);
    try {
      await remove.run(object);
      setOutcome({ tone: 'success', text: `Removed ${objectName(object)}.` });
      list.reload();
    } catch (error) {
      setOutcome({ tone: 'error', text: describeError(error, remove.doing) });
    } finally {
      setRemoving(null);
    }
  };

  return (
    <div data-testid={testId}>
      {outcome && <Alert tone={outcome.tone}>{outcome.text}</Alert>}
      <PagedTable
        list={list}
        noun={noun}
        caption={noun}
        doing={doing}
        empty={empty}
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            {remove && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </>
        }
        row={(object) => {
          const to = objectPath(object);
          const name = objectName(object);
          return (
            <>
              <td>
                {to ? <Link to={to}>{name}</Link> : name}
                <span className="cell-detail">{objectDetail(object)}</span>
              </td>
              <td>{objectKind(object)}</td>
              {remove && (
                <td className="cell-actions">
                  <Button variant="ghost" busy={removing === object.id} disabled={removing !== null} aria-label={`Remove ${name}`} onClick={() => void removeObject(object)}>
                    Remove
                  </Button>
                </td>
              )}
            </>
          );
        }}
      />
    </div>
  );
}
