/**
 * The OData query layer of the Graph API: parsers for $filter, $orderby, $select, $search and
 * $top, validation against an entity catalog (with Graph's advanced-query rules), and keyset
 * $skiptoken handling. Pure: storage/odata-sql.ts turns checked trees into SQL.
 */
export type {
  AndExpr,
  CallExpr,
  CompareExpr,
  ComparisonOperator,
  CountOperand,
  FilterExpr,
  FunctionName,
  InExpr,
  LambdaExpr,
  Literal,
  LiteralOperand,
  NotExpr,
  Operand,
  OrderByItem,
  OrExpr,
  PropertyOperand,
  SearchExpr,
  SearchTerm,
  SubjectOperand,
  VariableOperand,
} from './ast.ts';
export {
  type EntityCatalog,
  type FieldSpec,
  type FilterOp,
  type PropertySpec,
  type PropertyType,
  type ResolvedProperty,
  resolveField,
  resolveProperty,
} from './catalog.ts';
export { callParts, comparisonParts, inSubject } from './clauses.ts';
export { ODataErrors } from './odata.errors.ts';
export { parseFilter } from './parse-filter.ts';
export { parseOrderBy } from './parse-orderby.ts';
export { parseSearch } from './parse-search.ts';
export { parseSelect } from './parse-select.ts';
export { parseTop } from './parse-top.ts';
export { SEARCH_SEPARATORS, searchWords } from './search-words.ts';
export { type KeysetCursor, type Sealer, decodeSkipToken, encodeSkipToken, queryFingerprint, SkipTokenSeal } from './skiptoken.ts';
export { type SortableType, type SortKey, resolveSortKeys } from './sort-keys.ts';
export { type QueryAnalysis, type QueryOptions, analyzeQuery, requireAdvanced } from './validate.ts';
