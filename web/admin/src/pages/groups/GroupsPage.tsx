import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { groupsPageUrl, groupsQueryHeaders } from '../../graph/groups.ts';
import type { Group } from '../../graph/types.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link, useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pager } from '../../ui/Pager.tsx';

export function GroupsPage() {
  const access = useAccess();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search.trim(), 300);
  const list = usePagedCollection<Group>(groupsPageUrl(term), groupsQueryHeaders);

  return (
    <>
      <PageHeader
        title="Groups"
        actions={
          access.can(Actions.createGroups) && (
            <Button variant="primary" onClick={() => navigate(paths.newGroup)} data-testid="new-group">
              New group
            </Button>
          )
        }
      />
      <div className="toolbar" role="search">
        <div className="field field-inline">
          <label htmlFor="groups-search">Search groups</label>
          <input
            id="groups-search"
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Group name"
            autoComplete="off"
            data-testid="groups-search"
          />
        </div>
      </div>
      {list.error !== null && <LoadError error={list.error} doing="view groups" onRetry={list.reload} />}
      {list.loading && list.items.length === 0 && <Loading />}
      {!list.loading && list.error === null && list.items.length === 0 && (
        <p className="empty">{term ? `No groups match “${term}”.` : 'There are no groups yet.'}</p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="groups-table" aria-busy={list.loading || undefined}>
            <caption className="visually-hidden">Groups</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-narrow">
                  Mail nickname
                </th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((group) => (
                <tr key={group.id}>
                  <td>
                    <Link to={paths.group(group.id)}>{group.displayName}</Link>
                  </td>
                  <td className="hide-narrow">{group.mailNickname}</td>
                  <td className="cell-muted">{group.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} noun="groups" />
    </>
  );
}
