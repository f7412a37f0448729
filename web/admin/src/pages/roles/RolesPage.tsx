import { useAccess } from '../../access/AccessContext.tsx';
import { directoryRolesUrl } from '../../graph/roles.ts';
import type { DirectoryRole } from '../../graph/types.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Badge } from '../../ui/Badge.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Pager } from '../../ui/Pager.tsx';

export function RolesPage() {
  const access = useAccess();
  const list = usePagedCollection<DirectoryRole>(directoryRolesUrl);
  const held = new Set(access.roles.map((role) => role.id));

  return (
    <>
      <PageHeader title="Roles" subtitle="Directory roles that are in use in this tenant." />
      {list.error !== null && <LoadError error={list.error} doing="view directory roles" onRetry={list.reload} />}
      {list.loading && list.items.length === 0 && <Loading />}
      {!list.loading && list.error === null && list.items.length === 0 && <p className="empty">No directory roles are in use yet.</p>}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="roles-table">
            <caption className="visually-hidden">Directory roles</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((role) => (
                <tr key={role.id}>
                  <td>
                    <Link to={paths.role(role.id)}>{role.displayName}</Link> {held.has(role.id) && <Badge tone="info">Yours</Badge>}
                  </td>
                  <td className="cell-muted">{role.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} noun="roles" />
    </>
  );
}
