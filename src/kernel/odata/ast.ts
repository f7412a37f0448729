/**
 * Syntax trees for the query options the Graph API accepts. The parsers build them without
 * looking at any entity; `analyzeQuery` checks them against an entity catalog, and storage
 * translates checked trees to SQL.
 */

/** The binary comparison operators of $filter. */
export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The string functions of $filter (Graph's subset). Names are stored lower-case. */
export type FunctionName = 'startswith' | 'endswith';

/** A literal value written in a $filter. */
export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** a bare GUID such as `6fd2c87f-b296-42f0-b197-1e91e994b900`, lower-cased */
  | { readonly kind: 'guid'; readonly value: string }
  /** a DateTimeOffset such as `2021-01-01T00:00:00Z`, exactly as written (it always carries a zone) */
  | { readonly kind: 'datetime'; readonly value: string };

/** A property of the resource, e.g. `displayName` (as written: catalogs match names case-insensitively). */
export interface PropertyOperand {
  readonly kind: 'property';
  readonly name: string;
}

/** A lambda variable (`x`) or a field of it (`x/issuer`) inside an `any`/`all` predicate. */
export interface VariableOperand {
  readonly kind: 'variable';
  readonly name: string;
  readonly field: string | null;
}

/** The element count of a collection property: `otherMails/$count`. */
export interface CountOperand {
  readonly kind: 'count';
  readonly property: string;
}

export interface LiteralOperand {
  readonly kind: 'literal';
  readonly value: Literal;
}

/** Something a comparison is about (everything but a literal). */
export type SubjectOperand = PropertyOperand | VariableOperand | CountOperand;

export type Operand = SubjectOperand | LiteralOperand;

/** `left and right` */
export interface AndExpr {
  readonly kind: 'and';
  readonly left: FilterExpr;
  readonly right: FilterExpr;
}

/** `left or right` */
export interface OrExpr {
  readonly kind: 'or';
  readonly left: FilterExpr;
  readonly right: FilterExpr;
}

/** `not operand` / `not(operand)` */
export interface NotExpr {
  readonly kind: 'not';
  readonly operand: FilterExpr;
}

/** `left <operator> right`; validation requires a subject on the left and a literal on the right. */
export interface CompareExpr {
  readonly kind: 'compare';
  readonly operator: ComparisonOperator;
  readonly left: Operand;
  readonly right: Operand;
}

/** `operand in ('a', 'b')` */
export interface InExpr {
  readonly kind: 'in';
  readonly operand: Operand;
  readonly values: readonly Literal[];
}

/** `startswith(target, value)` / `endswith(target, value)` */
export interface CallExpr {
  readonly kind: 'call';
  readonly function: FunctionName;
  readonly target: Operand;
  readonly value: Operand;
}

/** `collection/any(variable: predicate)` / `collection/all(variable: predicate)` */
export interface LambdaExpr {
  readonly kind: 'lambda';
  readonly quantifier: 'any' | 'all';
  readonly collection: string;
  readonly variable: string;
  readonly predicate: FilterExpr;
}

/** A parsed $filter. */
export type FilterExpr = AndExpr | OrExpr | NotExpr | CompareExpr | InExpr | CallExpr | LambdaExpr;

/** One item of $orderby. */
export interface OrderByItem {
  readonly property: string;
  readonly direction: 'asc' | 'desc';
}

/** One quoted clause of $search: `"displayName:jo"` (property set) or `"jo"` (every searchable property). */
export interface SearchTerm {
  readonly kind: 'term';
  readonly property: string | null;
  readonly term: string;
}

/** A parsed $search: clauses joined by AND (binds tighter) and OR. */
export type SearchExpr =
  | SearchTerm
  | { readonly kind: 'and'; readonly left: SearchExpr; readonly right: SearchExpr }
  | { readonly kind: 'or'; readonly left: SearchExpr; readonly right: SearchExpr };
