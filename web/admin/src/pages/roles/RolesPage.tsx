import { useAccess } from '../../access/AccessContext.tsx';
import { directoryRolesUrl } from '../../graph/roles.ts';
import type { DirectoryRole } from '../../graph/types.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Badge } from '../../ui/Badge.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { PagedTable } from '../../ui/PagedTable.tsx';

export function RolesPage() {
  const access = useAccess();
  const list = usePagedCollection<DirectoryRole>(directoryRolesUrl);
  const held = new Set(access.roles.map((role) => role.id));

  return (
    <>
      <PageHeader title="Roles" subtitle="Directory roles that are in use in this tenant." />
      <PagedTable
        list={list}
        noun="roles"
        caption="Directory roles"
        doing="view directory roles"
        testId="roles-table"
        empty="No directory roles are in use yet."
        head={
          <>
            <th scope="col">Role</th>
            <th scope="col">Description</th>
          </>
        }
        row={(role) => (
          <>
            <td>
              <Link to={paths.role(role.id)}>{role.displayName}</Link> {held.has(role.id) && <Badge tone="info">Yours</Badge>}
            </td>
            <td className="cell-muted">{role.description}</td>
          </>
        )}
      />
    </>
  );
}
