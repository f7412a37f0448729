import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { groupsPageUrl, groupsQueryHeaders } from '../../graph/groups.ts';
import type { Group } from '../../graph/types.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { NewObjectButton } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PagedTable } from '../../ui/PagedTable.tsx';
import { SearchField, useSearchTerm } from '../../ui/SearchField.tsx';

export function GroupsPage() {
  const access = useAccess();
  const { search, setSearch, term } = useSearchTerm();
  const list = usePagedCollection<Group>(groupsPageUrl(term), groupsQueryHeaders);

  return (
    <>
      <PageHeader
        title="Groups"
        actions={
          <NewObjectButton allowed={access.can(Actions.createGroups)} to={paths.newGroup} testId="new-group">
            New group
          </NewObjectButton>
        }
      />
      <div className="toolbar" role="search">
        <SearchField id="groups-search" label="Search groups" placeholder="Group name" value={search} onChange={setSearch} />
      </div>
      <PagedTable
        list={list}
        noun="groups"
        caption="Groups"
        doing="view groups"
        testId="groups-table"
        empty={term ? `No groups match “${term}”.` : 'There are no groups yet.'}
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col" className="hide-narrow">
              Mail nickname
            </th>
            <th scope="col">Description</th>
          </>
        }
        row={(group) => (
          <>
            <td>
              <Link to={paths.group(group.id)}>{group.displayName}</Link>
            </td>
            <td className="hide-narrow">{group.mailNickname}</td>
            <td className="cell-muted">{group.description}</td>
          </>
        )}
      />
    </>
  );
}
