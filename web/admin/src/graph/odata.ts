/** Query-string helpers that keep Graph's `$` option names readable and encode values strictly. */

export type QueryValue = string | number | boolean | undefined | null;

/** `/users` + `{ $top: 50, $filter: "userType eq 'Guest'" }` → `/users?$top=50&$filter=userType%20eq%20'Guest'` */
export function withQuery(path: string, options: Record<string, QueryValue>): string {
  const pairs = Object.entries(options)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

/** An OData string literal: quotes doubled, as the spec requires. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * `$search="displayName:foo" OR "userPrincipalName:foo"`. Double quotes and backslashes would end or
 * escape the quoted clause, so they are dropped from the term.
 */
export function searchExpression(properties: readonly string[], term: string): string | undefined {
  const cleaned = term.replace(/["\\]/g, ' ').trim();
  if (cleaned === '') return undefined;
  return properties.map((property) => `"${property}:${cleaned}"`).join(' OR ');
}

/** `$search`, `$count` and advanced `$filter`s need this header (Graph's "advanced queries"). */
export const EVENTUAL_CONSISTENCY = { ConsistencyLevel: 'eventual' } as const;
