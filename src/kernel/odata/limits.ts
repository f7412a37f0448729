/**
 * The limits of the OData query options, as data: the parsers and the validator read them from
 * here, and a query over one is a badRequest naming the limit (never a 500 or a stack overflow).
 * Lengths are counted on the URL-decoded text, in UTF-16 code units.
 *
 * - `$filter` length 4096: twice Graph's 2048-character URL limit, so any query Graph takes fits.
 * - `$filter` depth 16: nesting of parentheses, `not` and lambdas; Graph itself refuses filters
 *   "of excessive height" far sooner, and the parser's recursion stays shallow.
 * - `$filter` nodes 100: Microsoft.OData's default MaxNodeCount (and/or/not/comparisons/calls/lambdas).
 * - `in` values 100 at most; more than Graph's 15 makes the query an advanced one, as in Graph
 *   ("Too many child clauses ... Max allowed: 15" without ConsistencyLevel).
 * - `$search` 1024 characters, 16 quoted clauses; `$select` 64 items; `$orderby` 4 items (Graph sorts
 *   directory objects by one or two properties): our choices, far above what Graph's clients send.
 */
export const ODATA_LIMITS = {
  filter: { maxLength: 4096, maxDepth: 16, maxNodes: 100, maxInValues: 100, inValuesWithoutAdvanced: 15 },
  search: { maxLength: 1024, maxClauses: 16 },
  select: { maxLength: 2048, maxItems: 64 },
  orderBy: { maxLength: 512, maxItems: 4 },
} as const;
