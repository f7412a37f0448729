import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import type { User } from '../../graph/types.ts';
import { type UserTypeFilter, usersPageUrl, usersQueryHeaders } from '../../graph/users.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link, useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { UserStatusBadges } from './UserStatusBadges.tsx';

export function UsersPage() {
  const access = useAccess();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [userType, setUserType] = useState<UserTypeFilter>('all');
  const term = useDebouncedValue(search.trim(), 300);
  const list = usePagedCollection<User>(usersPageUrl(term, userType), usersQueryHeaders);

  return (
    <>
      <PageHeader
        title="Users"
        actions={
          access.can(Actions.createUsers) && (
            <Button variant="primary" onClick={() => navigate(paths.newUser)} data-testid="new-user">
              New user
            </Button>
          )
        }
      />
      <div className="toolbar" role="search">
        <div className="field field-inline">
          <label htmlFor="users-search">Search users</label>
          <input
            id="users-search"
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Name or user principal name"
            autoComplete="off"
            data-testid="users-search"
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="users-type">User type</label>
          <select id="users-type" value={userType} onChange={(event) => setUserType(event.target.value as UserTypeFilter)} data-testid="users-type">
            <option value="all">All users</option>
            <option value="Member">Members</option>
            <option value="Guest">Guests</option>
          </select>
        </div>
      </div>
      {list.error !== null && <LoadError error={list.error} doing="view users" onRetry={list.reload} />}
      {list.loading && list.items.length === 0 && <Loading />}
      {!list.loading && list.error === null && list.items.length === 0 && (
        <p className="empty">{term || userType !== 'all' ? 'No users match these filters.' : 'There are no users yet.'}</p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="users-table" aria-busy={list.loading || undefined}>
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-narrow">
                  User principal name
                </th>
                <th scope="col">Status</th>
                <th scope="col" className="hide-narrow">
                  Job title
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((user) => (
                <tr key={user.id}>
                  <td>
                    <Link to={paths.user(user.id)}>{user.displayName || user.userPrincipalName}</Link>
                    <span className="cell-detail show-narrow">{user.userPrincipalName}</span>
                  </td>
                  <td className="hide-narrow">{user.userPrincipalName}</td>
                  <td>
                    <UserStatusBadges user={user} />
                  </td>
                  <td className="hide-narrow">{user.jobTitle}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} noun="users" />
    </>
  );
}
