import { type FilterExpr, type OrderByItem, type SearchExpr } from '../../kernel/odata/index.ts';
import { keysetPage } from '../../storage/keyset-page.ts';
import type { TenantDb } from '../../storage/scoped.ts';
import type { GroupRow, UserRow } from '../../storage/schema.ts';
import { toGroup } from './groups.repo.ts';
import type { Group } from './group.types.ts';
import type { User } from './user.types.ts';
import { toPartialUser, toUser, userColumnsFor } from './users.repo.ts';
import { userCatalog, groupCatalog } from './catalogs.ts';

/** A module-level list request: what the OData options of a collection GET mean, already validated. */
export interface ListQuery {
  filter?: FilterExpr | undefined;
  orderBy?: OrderByItem[] | undefined;
  search?: SearchExpr | undefined;
  top: number;
  /** keyset cursor: the sort values and id of the last row of the previous page */
  after?: { readonly sort: readonly (string | null)[]; readonly id: string } | undefined;
  /** whether to count all matching rows (`@odata.count`) */
  count: boolean;
  /**
   * The Graph properties the caller will return ($select, or the entity's defaults): a page reads
   * only their columns. Absent: whole objects.
   */
  properties?: readonly string[] | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: { sort: (string | null)[]; id: string } | null;
  count: number | null;
}

/** A page of users; with `query.properties`, each user holds just those properties (read from just their columns). */
export async function listUsers(tdb: TenantDb, query: ListQuery): Promise<Page<Partial<User>>> {
  const columns = query.properties ? userColumnsFor(query.properties) : null;
  const { rows, nextCursor, count } = await keysetPage<UserRow>(tdb, 'users', userCatalog, query, columns);
  return { items: rows.map(columns ? toPartialUser : toUser), nextCursor, count };
}

export async function listGroups(tdb: TenantDb, query: ListQuery): Promise<Page<Group>> {
  const { rows, nextCursor, count } = await keysetPage<GroupRow>(tdb, 'groups', groupCatalog, query);
  return { items: rows.map(toGroup), nextCursor, count };
}
