import { isGuid } from '../ids.ts';
import type { FilterExpr, Literal, OrderByItem, SearchExpr, SubjectOperand } from './ast.ts';
import { type EntityCatalog, type FilterOp, type ResolvedProperty, isCollection, resolveField, resolveProperty } from './catalog.ts';
import { callParts, comparisonParts, edmType, inSubject, operandText } from './clauses.ts';
import { ODATA_LIMITS } from './limits.ts';
import { ODataErrors } from './odata.errors.ts';
import { resolveSortKeys } from './sort-keys.ts';

/** The parsed query options of one collection request. */
export interface QueryOptions {
  readonly filter?: FilterExpr | undefined;
  readonly orderBy?: readonly OrderByItem[] | undefined;
  readonly search?: SearchExpr | undefined;
  /** $count=true; it never makes a query advanced by itself (Graph ignores it without the header) */
  readonly count?: boolean | undefined;
}

export interface QueryAnalysis {
  /** the query needs Graph's advanced query mode */
  readonly advanced: boolean;
  /** $search is present (needs the ConsistencyLevel header, but not $count) */
  readonly search: boolean;
  /** what in $filter/$orderby makes the query advanced, for the error message; empty when only $search does */
  readonly reasons: readonly string[];
}

/** Operations Graph only ever runs as advanced queries, whatever a catalog says. */
const ALWAYS_ADVANCED: ReadonlySet<FilterOp> = new Set<FilterOp>(['ne', 'not', 'endswith', 'count']);

const OP_LABELS: Record<FilterOp, string> = {
  eq: "'eq'",
  ne: "'ne'",
  not: "'not'",
  in: "'in'",
  startswith: "'startsWith'",
  endswith: "'endsWith'",
  ge: "'ge'",
  le: "'le'",
  gt: "'gt'",
  lt: "'lt'",
  any: "'any'",
  all: "'all'",
  count: "'/$count'",
  null: 'a null comparison',
};

type ScalarType = 'string' | 'enum' | 'guid' | 'boolean' | 'datetime';

const EDM: Record<ScalarType, string> = {
  string: 'Edm.String',
  enum: 'Edm.String',
  guid: 'Edm.Guid',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTimeOffset',
};

/** Where a clause sits: under how many `not`s (any counts), inside which lambda. */
interface Scope {
  readonly negated: boolean;
  readonly lambda: { readonly variable: string; readonly collection: ResolvedProperty } | null;
}

/**
 * Checks parsed query options against an entity catalog: every property must exist and support
 * what the query does with it (unsupportedQuery otherwise; badRequest for ill-typed literals), and
 * reports whether the query is an advanced one (ne, not, endsWith, /$count, advanced-only
 * operators or sorts, $filter with $orderby, $search). `requireAdvanced` turns that into errors.
 */
export function analyzeQuery(catalog: EntityCatalog, options: QueryOptions): QueryAnalysis {
  // Trees may come from elsewhere than the parsers (which enforce the same limits as they go):
  // held to the limits before anything recurses over them.
  if (options.filter) checkFilterSize(options.filter);
  if (options.search) checkSearchSize(options.search);
  const reasons = new Set<string>();
  if (options.filter) new FilterCheck(catalog, reasons).check(options.filter, { negated: false, lambda: null });
  if (options.orderBy && options.orderBy.length > 0) {
    for (const key of resolveSortKeys(catalog, options.orderBy)) {
      if (key.advanced) reasons.add(`$orderby on '${key.property}'`);
    }
    if (options.filter) reasons.add('$filter combined with $orderby');
  }
  if (options.search) checkSearch(catalog, options.search);
  return { advanced: reasons.size > 0 || options.search !== undefined, search: options.search !== undefined, reasons: [...reasons] };
}

/**
 * Applies Graph's advanced-query rules to a request: $search needs `ConsistencyLevel: eventual`;
 * anything else advanced needs that header and $count=true. `consistencyLevel` is the header value,
 * or a boolean when the caller has already compared it with 'eventual'.
 */
export function requireAdvanced(analysis: QueryAnalysis, request: { consistencyLevel: string | boolean | undefined; count: boolean }): void {
  const { consistencyLevel } = request;
  const eventual = typeof consistencyLevel === 'string' ? consistencyLevel.trim().toLowerCase() === 'eventual' : consistencyLevel === true;
  if (analysis.search && !eventual) throw ODataErrors.searchNeedsConsistencyLevel();
  if (analysis.reasons.length > 0 && !(eventual && request.count)) throw ODataErrors.advancedQueryRequired(analysis.reasons);
}

class FilterCheck {
  readonly #catalog: EntityCatalog;
  readonly #reasons: Set<string>;

  constructor(catalog: EntityCatalog, reasons: Set<string>) {
    this.#catalog = catalog;
    this.#reasons = reasons;
  }

  check(expr: FilterExpr, scope: Scope): void {
    switch (expr.kind) {
      case 'and':
      case 'or':
        this.check(expr.left, scope);
        this.check(expr.right, scope);
        return;
      case 'not':
        this.check(expr.operand, { ...scope, negated: true });
        return;
      case 'compare': {
        const { subject, literal } = comparisonParts(expr);
        if (subject.kind === 'count') {
          this.#count(subject.property, literal, expr.operator, scope);
          return;
        }
        const { property, type } = this.#subject(subject, scope);
        if (literal.kind === 'null') {
          if (expr.operator !== 'eq' && expr.operator !== 'ne') {
            throw ODataErrors.unsupportedFilter(`'${operandText(subject)} ${expr.operator} null' is not supported; only eq null and ne null are`);
          }
          this.#require(property, 'null', scope);
        } else {
          checkLiteral(operandText(subject), type, literal, expr.operator);
        }
        this.#require(property, expr.operator, scope);
        return;
      }
      case 'in': {
        const subject = inSubject(expr);
        const { property, type } = this.#subject(subject, scope);
        for (const literal of expr.values) checkLiteral(operandText(subject), type, literal, 'in');
        this.#require(property, 'in', scope);
        if (expr.values.length > ODATA_LIMITS.filter.inValuesWithoutAdvanced) {
          this.#reasons.add(`more than ${ODATA_LIMITS.filter.inValuesWithoutAdvanced} values in 'in' on '${property.name}'`);
        }
        return;
      }
      case 'call': {
        const { subject } = callParts(expr);
        const { property, type } = this.#subject(subject, scope);
        if (type !== 'string' && type !== 'enum') throw ODataErrors.unsupportedFilterClause(property.name, this.#catalog.resource);
        this.#require(property, expr.function, scope);
        return;
      }
      case 'lambda': {
        if (scope.lambda) throw ODataErrors.unsupportedFilter(`a lambda inside another lambda ('${expr.collection}/${expr.quantifier}') is not supported`);
        const collection = this.#topLevel(expr.collection, scope);
        if (!isCollection(collection.spec.type)) throw ODataErrors.unsupportedFilterClause(collection.name, this.#catalog.resource);
        this.#require(collection, expr.quantifier, scope);
        this.check(expr.predicate, { negated: scope.negated, lambda: { variable: expr.variable, collection } });
        return;
      }
    }
  }

  /** `coll/$count op n`: n is a whole number. */
  #count(name: string, literal: Literal, operator: string, scope: Scope): void {
    const property = this.#topLevel(name, scope);
    if (!isCollection(property.spec.type)) throw ODataErrors.unsupportedFilterClause(property.name, this.#catalog.resource);
    if (literal.kind !== 'number' || !Number.isInteger(literal.value) || literal.value < 0) {
      throw ODataErrors.incompatibleTypes(`${property.name}/$count`, 'Edm.Int32', edmType(literal), operator);
    }
    this.#require(property, 'count', scope);
  }

  /** The property whose operations govern a clause, and the type of the value compared. */
  #subject(subject: Exclude<SubjectOperand, { kind: 'count' }>, scope: Scope): { property: ResolvedProperty; type: ScalarType } {
    if (subject.kind === 'property') {
      const property = this.#topLevel(subject.name, scope);
      const { type } = property.spec;
      if (isCollection(type)) throw ODataErrors.unsupportedFilterClause(property.name, this.#catalog.resource);
      return { property, type };
    }
    // The parser only makes variables of names bound by an enclosing lambda, and lambdas do not nest.
    const collection = scope.lambda!.collection;
    if (collection.spec.type === 'stringCollection') {
      if (subject.field !== null) throw ODataErrors.unknownProperty(`${collection.name}/${subject.field}`);
      return { property: collection, type: 'string' };
    }
    if (subject.field === null) {
      throw ODataErrors.unsupportedFilter(`'${collection.name}' holds objects: compare one of their fields, e.g. ${subject.name}/<field> eq '...'`);
    }
    return { property: collection, type: resolveField(collection, subject.field).type };
  }

  /** A property of the resource itself; inside a lambda only the lambda variable may be used. */
  #topLevel(name: string, scope: Scope): ResolvedProperty {
    if (scope.lambda) {
      throw ODataErrors.unsupportedFilter(`inside '${scope.lambda.collection.name}/any' or '/all' only the variable '${scope.lambda.variable}' can be used, not '${name}'`);
    }
    return resolveProperty(this.#catalog, name);
  }

  /** Checks that the property supports `op` (and `not` when negated) and records what needs advanced mode. */
  #require(property: ResolvedProperty, op: FilterOp, scope: Scope): void {
    for (const needed of scope.negated ? [op, 'not' as const] : [op]) {
      const filter = property.spec.filter;
      const byDefault = filter?.default.includes(needed) ?? false;
      const advanced = filter?.advanced?.includes(needed) ?? false;
      if (!byDefault && !advanced) throw ODataErrors.unsupportedFilterClause(property.name, this.#catalog.resource);
      if (!byDefault || ALWAYS_ADVANCED.has(needed)) this.#reasons.add(`${OP_LABELS[needed]} on '${property.name}'`);
    }
  }
}

/** The node count of a $filter tree, counted without recursion and only up to the limit. */
function checkFilterSize(root: FilterExpr): void {
  const { maxNodes, maxInValues } = ODATA_LIMITS.filter;
  const pending: FilterExpr[] = [root];
  let nodes = 0;
  while (pending.length > 0) {
    const expr = pending.pop()!;
    if (++nodes > maxNodes) throw ODataErrors.tooManyNodes(maxNodes);
    if (expr.kind === 'and' || expr.kind === 'or') pending.push(expr.left, expr.right);
    else if (expr.kind === 'not') pending.push(expr.operand);
    else if (expr.kind === 'lambda') pending.push(expr.predicate);
    else if (expr.kind === 'in' && expr.values.length > maxInValues) throw ODataErrors.tooManyInValues(maxInValues);
  }
}

/** The clause count of a $search tree, likewise. */
function checkSearchSize(root: SearchExpr): void {
  const { maxClauses } = ODATA_LIMITS.search;
  const pending: SearchExpr[] = [root];
  let clauses = 0;
  while (pending.length > 0) {
    const expr = pending.pop()!;
    if (expr.kind === 'term') {
      if (++clauses > maxClauses) throw ODataErrors.tooManyItems('$search', maxClauses, 'clauses');
    } else {
      pending.push(expr.left, expr.right);
    }
  }
}

/** A literal must have the property's type; GUID properties also take GUIDs in quotes, as Graph does. */
function checkLiteral(subject: string, type: ScalarType, literal: Literal, operator: string): void {
  if (type === 'guid' && literal.kind === 'string') {
    if (!isGuid(literal.value)) throw ODataErrors.invalidGuid(literal.value);
    return;
  }
  const expected = EDM[type];
  if (expected !== edmType(literal)) throw ODataErrors.incompatibleTypes(subject, expected, edmType(literal), operator);
}

/** Every named property must be searchable; a bare term needs at least one searchable property. */
function checkSearch(catalog: EntityCatalog, expr: SearchExpr): void {
  if (expr.kind !== 'term') {
    checkSearch(catalog, expr.left);
    checkSearch(catalog, expr.right);
    return;
  }
  if (expr.property === null) {
    if (!Object.values(catalog.properties).some((spec) => spec.search)) throw ODataErrors.unsupportedSearch('*', catalog.resource);
    return;
  }
  const { name, spec } = resolveProperty(catalog, expr.property);
  if (!spec.search || !(spec.type === 'string' || spec.type === 'enum' || spec.type === 'guid')) throw ODataErrors.unsupportedSearch(name, catalog.resource);
}
