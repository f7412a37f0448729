import { defineErrors } from '../errors.ts';

/**
 * Every error the OData query layer raises. Malformed input is `badRequest` (Graph's
 * Request_BadRequest); well-formed queries that this directory (like Graph) does not support are
 * `unsupportedQuery` (Request_UnsupportedQuery). Messages follow Graph's wording where Graph has one.
 */
export const ODataErrors = defineErrors('odata', {
  /** `hint`, when given, is a whole sentence saying how to fix the text */
  syntax: {
    kind: 'badRequest',
    message: (problem: string, position: number, text: string, hint?: string) =>
      `Syntax error: ${problem} at position ${position} in '${text}'.${hint ? ` ${hint}` : ''}`,
  },
  emptyFilter: { kind: 'badRequest', message: () => 'The $filter query option is empty.' },
  /** the limits of ODATA_LIMITS (limits.ts); each message names the limit it enforces */
  tooLong: {
    kind: 'badRequest',
    message: (option: string, max: number, length: number) => `The ${option} query option is longer than the limit of ${max} characters (it has ${length}).`,
  },
  tooDeep: {
    kind: 'badRequest',
    message: (max: number, position: number) =>
      `The $filter query option exceeds the maximum nesting depth of ${max} (parentheses, 'not' and lambdas) at position ${position}.`,
  },
  tooManyNodes: {
    kind: 'badRequest',
    message: (max: number) => `The $filter query option has more than ${max} expressions, the limit on its node count.`,
  },
  tooManyInValues: { kind: 'badRequest', message: (max: number) => `An 'in' list in $filter exceeds the limit of ${max} values.` },
  tooManyItems: {
    kind: 'badRequest',
    message: (option: string, max: number, unit: string) => `The ${option} query option has more than ${max} ${unit}, its limit.`,
  },
  unsupportedSyntax: {
    kind: 'unsupportedQuery',
    message: (problem: string, position: number, text: string, hint?: string) =>
      `Unsupported query: ${problem} at position ${position} in '${text}'.${hint ? ` ${hint}` : ''}`,
  },
  invalidTop: {
    kind: 'badRequest',
    message: (raw: string) => `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`,
  },
  invalidSelect: { kind: 'badRequest', message: (problem: string, text: string) => `Invalid $select '${text}': ${problem}.` },
  invalidOrderBy: { kind: 'badRequest', message: (problem: string, text: string) => `Invalid $orderby '${text}': ${problem}.` },
  invalidSearch: { kind: 'badRequest', message: (problem: string, text: string) => `Invalid $search syntax: ${problem} in '${text}'.` },
  invalidSkipToken: { kind: 'badRequest', message: () => 'Invalid $skiptoken.' },
  invalidGuid: { kind: 'badRequest', message: (value: string) => `Invalid object identifier '${value}'.` },
  incompatibleTypes: {
    kind: 'badRequest',
    message: (property: string, expected: string, found: string, operator: string) =>
      `A binary operator with incompatible types was detected. Found operand types '${expected}' and '${found}' for operator kind '${operator}' on property '${property}'.`,
  },
  unknownProperty: {
    kind: 'unsupportedQuery',
    message: (name: string) => `Property '${name}' does not exist as a declared property or extension property.`,
  },
  unsupportedFilterClause: {
    kind: 'unsupportedQuery',
    message: (property: string, resource: string) => `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
  },
  unsupportedFilter: { kind: 'unsupportedQuery', message: (problem: string) => `Unsupported filter: ${problem}.` },
  unsupportedOrderBy: {
    kind: 'unsupportedQuery',
    message: (property: string, resource: string) => `Sorting by property '${property}' of resource '${resource}' is not supported.`,
  },
  unsupportedSearch: {
    kind: 'unsupportedQuery',
    message: (property: string, resource: string) => `Property '${property}' of resource '${resource}' does not support $search.`,
  },
  searchNeedsConsistencyLevel: {
    kind: 'unsupportedQuery',
    message: () => "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
  },
  advancedQueryRequired: {
    kind: 'unsupportedQuery',
    message: (reasons: readonly string[]) =>
      `This is an advanced query (${reasons.join('; ')}): it needs the 'ConsistencyLevel: eventual' request header and $count=true.`,
  },
});
