import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  type EntityCatalog,
  type FilterExpr,
  type KeysetCursor,
  type Literal,
  ODataErrors,
  type OrderByItem,
  type PropertyOperand,
  type ResolvedProperty,
  SEARCH_SEPARATORS,
  type SearchExpr,
  type SortKey,
  type VariableOperand,
  analyzeQuery,
  callParts,
  comparisonParts,
  inSubject,
  resolveField,
  resolveProperty,
  resolveSortKeys,
  searchWords,
} from '../kernel/odata/index.ts';
import type { DialectName } from './database.ts';

/**
 * OData query trees as Kysely SQL, on SQLite and PostgreSQL alike. Values are always bound as
 * parameters; the only identifiers spliced in are column names from the catalog.
 *
 * Semantics follow OData rather than SQL: strings compare case-insensitively; a comparison with a
 * null value is false except `ne`, which is true (so `not(x eq 'a')` and `x ne 'a'` both include
 * rows where x is null). Every negation therefore reads "unknown" as false before negating.
 */

/** The table a query reads and the dialect it runs on. */
export interface SqlTarget {
  readonly dialect: DialectName;
  readonly table: string;
}

type Bool = RawBuilder<SqlBool>;
type ScalarType = 'string' | 'enum' | 'guid' | 'boolean' | 'datetime';

/** A value a clause is about (a column, or a lambda element or its field) and its type. */
interface Subject {
  readonly ref: RawBuilder<unknown>;
  readonly type: ScalarType;
}

interface LambdaScope {
  readonly collection: ResolvedProperty;
}

/** Row alias of the JSON array elements inside a lambda (lambdas do not nest, so one alias serves). */
const ELEMENT = 'odata_el';

/** U+10FFFF, the greatest code point: in binary order every string that starts with p sorts before p + this. */
const LAST_CODE_POINT = String.fromCodePoint(0x10ffff);

const OPERATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * The WHERE condition for a $filter. The tree is checked against the catalog first (the same
 * checks as analyzeQuery), so unchecked input raises the same errors instead of building bad SQL.
 */
export function filterToSql(expr: FilterExpr, catalog: EntityCatalog, target: SqlTarget): Expression<SqlBool> {
  analyzeQuery(catalog, { filter: expr });
  return new FilterSql(catalog, target).build(expr, null);
}

class FilterSql {
  readonly #catalog: EntityCatalog;
  readonly #target: SqlTarget;

  constructor(catalog: EntityCatalog, target: SqlTarget) {
    this.#catalog = catalog;
    this.#target = target;
  }

  build(expr: FilterExpr, lambda: LambdaScope | null): Bool {
    switch (expr.kind) {
      case 'and':
        return sql<SqlBool>`(${this.build(expr.left, lambda)} and ${this.build(expr.right, lambda)})`;
      case 'or':
        return sql<SqlBool>`(${this.build(expr.left, lambda)} or ${this.build(expr.right, lambda)})`;
      case 'not':
        return not(this.build(expr.operand, lambda));
      case 'compare': {
        const { subject, literal } = comparisonParts(expr);
        if (subject.kind === 'count') {
          const length = sql.raw(this.#target.dialect === 'sqlite' ? 'json_array_length' : 'jsonb_array_length');
          return sql<SqlBool>`${length}(${this.#column(resolveProperty(this.#catalog, subject.property))}) ${sql.raw(OPERATORS[expr.operator])} ${literalValue(literal)}`;
        }
        const value = this.#subject(subject, lambda);
        if (literal.kind === 'null') {
          if (expr.operator === 'eq') return sql<SqlBool>`${value.ref} is null`;
          if (expr.operator === 'ne') return sql<SqlBool>`${value.ref} is not null`;
          throw ODataErrors.unsupportedFilter(`'${expr.operator} null' is not supported; only eq null and ne null are`);
        }
        const comparison = sql<SqlBool>`${this.#comparable(value)} ${sql.raw(OPERATORS[expr.operator])} ${this.#parameter(literal, value.type)}`;
        return expr.operator === 'ne' ? sql<SqlBool>`(${value.ref} is null or ${comparison})` : comparison;
      }
      case 'in': {
        const value = this.#subject(inSubject(expr), lambda);
        const list = sql.join(expr.values.map((literal) => this.#parameter(literal, value.type)));
        return sql<SqlBool>`${this.#comparable(value)} in (${list})`;
      }
      case 'call': {
        const { subject, value: text } = callParts(expr);
        if (expr.function === 'startswith' && subject.kind === 'property') {
          const property = resolveProperty(this.#catalog, subject.name);
          if (property.spec.type === 'string') return this.#prefixRange(property, text);
        }
        const pattern = expr.function === 'startswith' ? `${escapeLike(text)}%` : `%${escapeLike(text)}`;
        return sql<SqlBool>`lower(${this.#subject(subject, lambda).ref}) like lower(${pattern}) escape '\\'`;
      }
      case 'lambda': {
        const collection = resolveProperty(this.#catalog, expr.collection);
        const predicate = this.build(expr.predicate, { collection });
        const elements = this.#elements(collection);
        return expr.quantifier === 'any'
          ? sql<SqlBool>`exists (select 1 from ${elements} where ${predicate})`
          : sql<SqlBool>`not exists (select 1 from ${elements} where ${not(predicate)})`;
      }
    }
  }

  /** The rows of a JSON array column, aliased ELEMENT with one column `value`. */
  #elements(collection: ResolvedProperty): RawBuilder<unknown> {
    const column = this.#column(collection);
    const alias = sql.raw(ELEMENT);
    if (this.#target.dialect === 'sqlite') return sql`json_each(${column}) as ${alias}`;
    // Strings come out as text; objects stay jsonb so fields can be read with ->>.
    const unnest = sql.raw(collection.spec.type === 'stringCollection' ? 'jsonb_array_elements_text' : 'jsonb_array_elements');
    return sql`${unnest}(${column}) as ${alias}(value)`;
  }

  #subject(operand: PropertyOperand | VariableOperand, lambda: LambdaScope | null): Subject {
    if (operand.kind === 'property') {
      const property = resolveProperty(this.#catalog, operand.name);
      return { ref: this.#column(property), type: property.spec.type as ScalarType };
    }
    // analyzeQuery has checked that variables only occur inside a lambda.
    const { collection } = lambda!;
    const element = sql.ref(`${ELEMENT}.value`);
    if (operand.field === null) return { ref: element, type: 'string' };
    const field = resolveField(collection, operand.field);
    const ref =
      this.#target.dialect === 'sqlite' ? sql`json_extract(${element}, ${`$."${field.key}"`})` : sql`(${element} ->> cast(${field.key} as text))`;
    return { ref, type: field.type };
  }

  /**
   * startswith on a column, as a range an index on lower(column) can serve: lower(column) from
   * lower(prefix) (inclusive) to lower(prefix) followed by U+10FFFF, the last code point (exclusive).
   * The same as `lower(column) like lower(prefix) || '%'`, which no index serves once the pattern
   * is a bound value:
   * - Both sides are lowered by the database itself, so the folding is the one the database applies
   *   (SQLite folds ASCII only, PostgreSQL all of Unicode by its ctype) and is identical on both sides.
   * - The comparison is binary, where a string starts with p exactly when p <= s < p + U+10FFFF (only
   *   strings that continue p with U+10FFFF itself, a noncharacter, would be missed). SQLite compares
   *   text with memcmp (code point order); on PostgreSQL the database's collation may be linguistic, so
   *   the comparison is made in the "C" collation, which the matching indexes use too (migration
   *   2026_12_02_100000_prefix_indexes).
   * - The prefix is a bound value, so `%`, `_`, `\` and quotes in it are plain text. An empty prefix
   *   matches every non-null value, as the LIKE did.
   */
  #prefixRange(property: ResolvedProperty, prefix: string): Bool {
    const folded = sql`lower(${this.#column(property)})${sql.raw(this.#target.dialect === 'postgres' ? ' collate "C"' : '')}`;
    const low = sql`lower(${prefix})`;
    return sql<SqlBool>`(${folded} >= ${low} and ${folded} < (${low} || ${LAST_CODE_POINT}))`;
  }

  #column(property: ResolvedProperty): RawBuilder<unknown> {
    return sql.ref(`${this.#target.table}.${property.spec.column}`);
  }

  /** The subject as compared: lower-cased strings, normalised timestamps. */
  #comparable(subject: Subject): RawBuilder<unknown> {
    return comparable(subject.ref, subject.type, this.#target.dialect);
  }

  #parameter(literal: Literal, type: ScalarType): RawBuilder<unknown> {
    return parameter(literalValue(literal), type, this.#target.dialect);
  }
}

/**
 * The condition for a $search: each clause matches when a word of the property's value (words are
 * split at spaces and SEARCH_SEPARATORS) starts with the term; a bare term tries every searchable property.
 */
export function searchToSql(expr: SearchExpr, catalog: EntityCatalog, target: SqlTarget): Expression<SqlBool> {
  analyzeQuery(catalog, { search: expr });
  return search(expr, catalog, target);
}

function search(expr: SearchExpr, catalog: EntityCatalog, target: SqlTarget): Bool {
  if (expr.kind !== 'term') return sql<SqlBool>`(${search(expr.left, catalog, target)} ${sql.raw(expr.kind)} ${search(expr.right, catalog, target)})`;
  const properties =
    expr.property === null
      ? Object.values(catalog.properties).filter((spec) => spec.search)
      : [resolveProperty(catalog, expr.property).spec];
  // A leading space on the value makes "starts with the term" one case of "a word starts with it".
  const pattern = `% ${escapeLike(searchWords(expr.term))}%`;
  const matches = properties.map((spec) => {
    let words: RawBuilder<unknown> = sql`lower(${sql.ref(`${target.table}.${spec.column}`)})`;
    for (const separator of SEARCH_SEPARATORS) words = sql`replace(${words}, ${sql.lit(separator)}, ' ')`;
    return sql<SqlBool>`(' ' || ${words}) like lower(${pattern}) escape '\\'`;
  });
  return sql<SqlBool>`(${sql.join(matches, sql` or `)})`;
}

/**
 * Columns whose prefix-range index (on both dialects) holds each key once or is followed by the id
 * (`(tenant_id, lower(column), id)`, or unique), so reading the range in (lower(column), id) order
 * needs no sort: a startswith page on them stops after its rows. Not given/surname: their values
 * repeat thousands of times, and sorting each run of equal values by id would read all of them.
 */
const PREFIX_ORDERED: Readonly<Record<string, ReadonlySet<string>>> = {
  users: new Set(['display_name', 'user_principal_name']),
  groups: new Set(['display_name']),
};

/**
 * The sort keys of a list page: the client's $orderby; without one, when the whole filter is one
 * startswith on a PREFIX_ORDERED property, that property in binary order (then the id), which is the
 * order its index range is stored in, so the page reads only its own rows (in id order the database
 * would walk the primary key and test every row until the page is full: thousands of rows for a
 * prefix that 1 in 40 users has). Otherwise none: the id alone. Graph gives no default order, and a
 * $skiptoken is bound to its query (the filter text), so every page of one listing uses one order.
 */
export function pageSortKeys(catalog: EntityCatalog, target: SqlTarget, query: { readonly filter?: FilterExpr | undefined; readonly orderBy?: readonly OrderByItem[] | undefined }): SortKey[] {
  if (query.orderBy && query.orderBy.length > 0) return resolveSortKeys(catalog, query.orderBy);
  const filter = query.filter;
  if (filter?.kind !== 'call' || filter.function !== 'startswith') return [];
  const { subject } = callParts(filter);
  if (subject.kind !== 'property') return [];
  const { name, spec } = resolveProperty(catalog, subject.name);
  if (spec.type !== 'string' || !PREFIX_ORDERED[target.table]?.has(spec.column)) return [];
  return [{ property: name, column: spec.column, type: 'string', direction: 'asc', advanced: false, binary: true }];
}

/**
 * A page's LIMIT. On SQLite it is written into the statement: a bound LIMIT makes better-sqlite3's
 * SQLite several times slower on our one-row lookups (about 50 µs more per query at 1,000,000
 * users), and the statement cache keeps one text per page size clients use. PostgreSQL binds it.
 */
export function pageLimit(rows: number, target: SqlTarget): RawBuilder<number> {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`invalid page limit ${rows}`);
  return target.dialect === 'sqlite' ? sql<number>`${sql.lit(rows)}` : sql<number>`${rows}`;
}

/**
 * The ORDER BY items for resolved sort keys, then the id as tie-breaker so the order is total
 * (which keyset paging needs). Nulls keep each dialect's native place (first ascending on SQLite,
 * last on PostgreSQL) so the (tenant_id, lower(display_name), id) indexes still serve the sort;
 * keysetAfter follows the same rule. The id follows the last key's direction, so a one-key
 * descending sort can read its index backwards.
 */
export function orderByToSql(keys: readonly SortKey[], target: SqlTarget): { expression: RawBuilder<unknown>; direction: 'asc' | 'desc' }[] {
  return [
    ...keys.map((key) => ({ expression: sortExpression(key, target), direction: key.direction })),
    { expression: sql.ref(`${target.table}.id`), direction: idDirection(keys) },
  ];
}

/**
 * The condition "strictly after the cursor" in the order orderByToSql produces: the rows of the
 * next page, with no row repeated or skipped however the sort keys tie.
 */
export function keysetAfter(keys: readonly SortKey[], cursor: KeysetCursor, target: SqlTarget): Expression<SqlBool> {
  if (cursor.sort.length !== keys.length) throw ODataErrors.invalidSkipToken();
  const nullsSmallest = target.dialect === 'sqlite';
  // (k1 after c1) or (k1 = c1 and k2 after c2) or ... or (all keys equal and id after the cursor id)
  const branches: Bool[] = [];
  const equal: Bool[] = [];
  keys.forEach((key, index) => {
    const expression = sortExpression(key, target);
    const value = cursor.sort[index] ?? null;
    const bound = value === null ? null : cursorParameter(key, value, target.dialect);
    const nullsFirst = (key.direction === 'asc') === nullsSmallest;
    const beyond = sql.raw(key.direction === 'asc' ? '>' : '<');
    let after: Bool | null;
    if (bound === null) after = nullsFirst ? sql<SqlBool>`${expression} is not null` : null;
    else after = nullsFirst ? sql<SqlBool>`${expression} ${beyond} ${bound}` : sql<SqlBool>`(${expression} ${beyond} ${bound} or ${expression} is null)`;
    if (after) branches.push(conjunction([...equal, after]));
    equal.push(bound === null ? sql<SqlBool>`${expression} is null` : sql<SqlBool>`${expression} = ${bound}`);
  });
  const idBeyond = sql.raw(idDirection(keys) === 'asc' ? '>' : '<');
  branches.push(conjunction([...equal, sql<SqlBool>`${sql.ref(`${target.table}.id`)} ${idBeyond} ${cursor.id}`]));
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
}

/** The cursor that resumes after `row` (a row of the entity's table as the driver returns it). */
export function cursorAfter(keys: readonly SortKey[], row: Readonly<Record<string, unknown>>): KeysetCursor {
  return {
    id: String(row.id),
    sort: keys.map((key) => {
      const value = row[key.column];
      if (value === null || value === undefined) return null;
      // pg gives Date, SQLite the stored text; both become the millisecond ISO form the sort uses.
      if (key.type === 'datetime') return (value instanceof Date ? value : new Date(String(value))).toISOString();
      return String(value);
    }),
  };
}

function sortExpression(key: SortKey, target: SqlTarget): RawBuilder<unknown> {
  const column = sql.ref(`${target.table}.${key.column}`);
  // PostgreSQL keeps microseconds; cursors carry milliseconds, so sort on what a cursor can hold.
  if (key.type === 'datetime' && target.dialect === 'postgres') return sql`date_trunc('milliseconds', ${column})`;
  // SQLite compares text in binary order already; PostgreSQL in the "C" collation of the prefix indexes
  if (key.binary && target.dialect === 'postgres') return sql`${comparable(column, key.type, target.dialect)} collate "C"`;
  return comparable(column, key.type, target.dialect);
}

function cursorParameter(key: SortKey, value: string, dialect: DialectName): RawBuilder<unknown> {
  if (key.type === 'datetime' && Number.isNaN(Date.parse(value))) throw ODataErrors.invalidSkipToken();
  return parameter(value, key.type, dialect);
}

function idDirection(keys: readonly SortKey[]): 'asc' | 'desc' {
  return keys.at(-1)?.direction ?? 'asc';
}

/**
 * A value as compared: strings lower-cased; SQLite timestamps (ISO text, written with or without
 * milliseconds or an offset) rewritten to one UTC millisecond form so text order is time order.
 */
function comparable(ref: RawBuilder<unknown>, type: ScalarType, dialect: DialectName): RawBuilder<unknown> {
  if (type === 'boolean') return ref;
  if (type === 'datetime') return dialect === 'sqlite' ? sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ref})` : ref;
  return sql`lower(${ref})`;
}

/** A bound value in the form `comparable` produces for the same type. */
function parameter(value: string | number | boolean, type: ScalarType, dialect: DialectName): RawBuilder<unknown> {
  if (type === 'boolean') return sql`${value}`;
  if (type === 'datetime') {
    const iso = new Date(String(value)).toISOString();
    return dialect === 'sqlite' ? sql`${iso}` : sql`cast(${iso} as timestamptz)`;
  }
  return sql`lower(${value})`;
}

function literalValue(literal: Literal): string | number | boolean {
  if (literal.kind === 'null') throw ODataErrors.unsupportedFilter('null cannot be used here');
  return literal.value;
}

/** `not` in two-valued logic: an unknown (null) predicate counts as false before it is negated. */
function not(predicate: Bool): Bool {
  return sql<SqlBool>`not coalesce(${predicate}, false)`;
}

function conjunction(conditions: Bool[]): Bool {
  return conditions.length === 1 ? conditions[0]! : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/** Escapes LIKE's wildcards so user text matches literally (with `escape '\'`). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
