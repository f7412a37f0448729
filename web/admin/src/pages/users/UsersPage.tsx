import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import type { User } from '../../graph/types.ts';
import { type UserTypeFilter, usersPageUrl, usersQueryHeaders } from '../../graph/users.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { NewObjectButton } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PagedTable } from '../../ui/PagedTable.tsx';
import { SearchField, useSearchTerm } from '../../ui/SearchField.tsx';
import { UserStatusBadges } from './UserStatusBadges.tsx';

export function UsersPage() {
  const access = useAccess();
  const { search, setSearch, term } = useSearchTerm();
  const [userType, setUserType] = useState<UserTypeFilter>('all');
  const list = usePagedCollection<User>(usersPageUrl(term, userType), usersQueryHeaders);

  return (
    <>
      <PageHeader
        title="Users"
        actions={
          <NewObjectButton allowed={access.can(Actions.createUsers)} to={paths.newUser} testId="new-user">
            New user
          </NewObjectButton>
        }
      />
      <div className="toolbar" role="search">
        <SearchField id="users-search" label="Search users" placeholder="Name or user principal name" value={search} onChange={setSearch} />
        <div className="field field-inline">
          <label htmlFor="users-type">User type</label>
          <select id="users-type" value={userType} onChange={(event) => setUserType(event.target.value as UserTypeFilter)} data-testid="users-type">
            <option value="all">All users</option>
            <option value="Member">Members</option>
            <option value="Guest">Guests</option>
          </select>
        </div>
      </div>
      <PagedTable
        list={list}
        noun="users"
        caption="Users"
        doing="view users"
        testId="users-table"
        empty={term || userType !== 'all' ? 'No users match these filters.' : 'There are no users yet.'}
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col" className="hide-narrow">
              User principal name
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="hide-narrow">
              Job title
            </th>
          </>
        }
        row={(user) => (
          <>
            <td>
              <Link to={paths.user(user.id)}>{user.displayName || user.userPrincipalName}</Link>
              <span className="cell-detail show-narrow">{user.userPrincipalName}</span>
            </td>
            <td className="hide-narrow">{user.userPrincipalName}</td>
            <td>
              <UserStatusBadges user={user} />
            </td>
            <td className="hide-narrow">{user.jobTitle}</td>
          </>
        )}
      />
    </>
  );
}
