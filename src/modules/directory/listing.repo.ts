import type { Expression, SqlBool } from 'kysely';
import { type EntityCatalog, type FilterExpr, type OrderByItem, type SearchExpr } from '../../kernel/odata/index.ts';
import { cursorAfter, filterToSql, keysetAfter, orderByToSql, pageLimit, pageSortKeys, searchToSql } from '../../storage/odata-sql.ts';
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

type Table = 'users' | 'groups';

/**
 * One page of a filtered, searched, sorted collection with keyset paging (storage/odata-sql.ts
 * builds the SQL): a page never repeats or skips a row however rows change between requests.
 */
async function listPage<Row extends { id: string }>(tdb: TenantDb, table: Table, catalog: EntityCatalog, query: ListQuery, columns: readonly string[] | null = null): Promise<{ rows: Row[]; nextCursor: Page<unknown>['nextCursor']; count: number | null }> {
  const target = { dialect: tdb.dialect, table };
  const conditions: Expression<SqlBool>[] = [];
  if (query.filter) conditions.push(filterToSql(query.filter, catalog, target));
  if (query.search) conditions.push(searchToSql(query.search, catalog, target));
  // the client's $orderby; else an order the filter's index serves, or the id (storage/odata-sql.ts)
  const keys = pageSortKeys(catalog, target, query);
  const base = () => {
    let q = tdb.selectFrom(table as 'users');
    for (const condition of conditions) q = q.where(condition);
    return q;
  };
  // the page's own columns (the properties returned, and the sort keys its cursor is made of)
  let page = columns ? base().select([...new Set([...columns, ...keys.map((key) => key.column)])] as never[]) : base().selectAll();
  if (query.after) page = page.where(keysetAfter(keys, query.after, target));
  for (const { expression, direction } of orderByToSql(keys, target)) page = page.orderBy(expression as never, direction);
  const rows = (await page.limit(pageLimit(query.top + 1, target)).execute()) as unknown as Row[];
  let nextCursor: Page<unknown>['nextCursor'] = null;
  if (rows.length > query.top) {
    rows.length = query.top;
    const last = cursorAfter(keys, rows[rows.length - 1] as unknown as Record<string, unknown>);
    nextCursor = { id: last.id, sort: [...last.sort] };
  }
  let count: number | null = null;
  if (query.count) {
    const row = await base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    count = Number(row.n);
  }
  return { rows, nextCursor, count };
}

/** A page of users; with `query.properties`, each user holds just those properties (read from just their columns). */
export async function listUsers(tdb: TenantDb, query: ListQuery): Promise<Page<Partial<User>>> {
  const columns = query.properties ? userColumnsFor(query.properties) : null;
  const { rows, nextCursor, count } = await listPage<UserRow>(tdb, 'users', userCatalog, query, columns);
  return { items: rows.map(columns ? toPartialUser : toUser), nextCursor, count };
}

export async function listGroups(tdb: TenantDb, query: ListQuery): Promise<Page<Group>> {
  const { rows, nextCursor, count } = await listPage<GroupRow>(tdb, 'groups', groupCatalog, query);
  return { items: rows.map(toGroup), nextCursor, count };
}
