import type { Expression, SqlBool } from 'kysely';
import type { EntityCatalog, FilterExpr, OrderByItem, SearchExpr } from '../kernel/odata/index.ts';
import { cursorAfter, filterToSql, keysetAfter, orderByToSql, pageLimit, pageSortKeys, searchToSql } from './odata-sql.ts';
import type { TenantDb } from './scoped.ts';
import type { DB } from './schema.ts';

/** What one collection page asks for: the OData options of a Graph collection GET, already validated. */
export interface KeysetQuery {
  filter?: FilterExpr | undefined;
  orderBy?: OrderByItem[] | undefined;
  search?: SearchExpr | undefined;
  top: number;
  after?: { readonly sort: readonly (string | null)[]; readonly id: string } | undefined;
  count: boolean;
}

export interface KeysetPage<Row> {
  rows: Row[];
  nextCursor: { sort: (string | null)[]; id: string } | null;
  count: number | null;
}

/**
 * One page of a filtered, searched, sorted directory collection with keyset paging (odata-sql.ts
 * builds the SQL): a page never repeats or skips a row however rows change between requests.
 * `columns` limits the read to what the page returns (its sort keys are always added).
 */
export async function keysetPage<Row>(tdb: TenantDb, table: keyof DB & string, catalog: EntityCatalog, query: KeysetQuery, columns: readonly string[] | null = null): Promise<KeysetPage<Row>> {
  const target = { dialect: tdb.dialect, table };
  const conditions: Expression<SqlBool>[] = [];
  if (query.filter) conditions.push(filterToSql(query.filter, catalog, target));
  if (query.search) conditions.push(searchToSql(query.search, catalog, target));
  // the client's $orderby; else an order the filter's index serves, or the id (odata-sql.ts)
  const keys = pageSortKeys(catalog, target, query);
  const base = () => {
    let q = tdb.selectFrom(table as 'users');
    for (const condition of conditions) q = q.where(condition);
    return q;
  };
  let page = columns ? base().select([...new Set([...columns, ...keys.map((key) => key.column)])] as never[]) : base().selectAll();
  if (query.after) page = page.where(keysetAfter(keys, query.after, target));
  for (const { expression, direction } of orderByToSql(keys, target)) page = page.orderBy(expression as never, direction);
  const rows = (await page.limit(pageLimit(query.top + 1, target)).execute()) as unknown as Record<string, unknown>[];
  let nextCursor: KeysetPage<Row>['nextCursor'] = null;
  if (rows.length > query.top) {
    rows.length = query.top;
    const last = cursorAfter(keys, rows[rows.length - 1]!);
    nextCursor = { id: last.id, sort: [...last.sort] };
  }
  let count: number | null = null;
  if (query.count) {
    const row = await base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    count = Number(row.n);
  }
  return { rows: rows as Row[], nextCursor, count };
}
