import type { OrderByItem } from './ast.ts';
import { type EntityCatalog, type PropertySpec, resolveProperty } from './catalog.ts';
import { ODataErrors } from './odata.errors.ts';

/** Types a sort (and so a keyset cursor) can use: each has a total order and a string form. */
export type SortableType = 'string' | 'enum' | 'guid' | 'datetime';

/** One $orderby item resolved against a catalog. A keyset cursor holds one value per key, in this order. */
export interface SortKey {
  /** canonical Graph property name */
  readonly property: string;
  readonly column: string;
  readonly type: SortableType;
  readonly direction: 'asc' | 'desc';
  /** whether Graph allows sorting on it only in advanced query mode */
  readonly advanced: boolean;
  /**
   * Sorted in binary (code point) order of the lower-cased value, the order of the prefix-range
   * indexes, rather than in the database's collation: set only on the order a startswith page is
   * read in when the client gives no $orderby (storage/odata-sql.ts pageSortKeys).
   */
  readonly binary?: boolean;
}

/** Resolves $orderby items; properties that are unknown, not sortable, or of an unsortable type are unsupported. */
export function resolveSortKeys(catalog: EntityCatalog, orderBy: readonly OrderByItem[]): SortKey[] {
  return orderBy.map(({ property, direction }) => {
    const { name, spec } = resolveProperty(catalog, property);
    if (spec.orderBy === undefined || !isSortable(spec)) throw ODataErrors.unsupportedOrderBy(name, catalog.resource);
    return { property: name, column: spec.column, type: spec.type, direction, advanced: spec.orderBy === 'advanced' };
  });
}

function isSortable(spec: PropertySpec): spec is PropertySpec & { type: SortableType } {
  return spec.type === 'string' || spec.type === 'enum' || spec.type === 'guid' || spec.type === 'datetime';
}
