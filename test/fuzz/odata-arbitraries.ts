import fc from 'fast-check';

/**
 * Generators of OData query text: near-valid $filter expressions built from a grammar over the
 * user and group properties (plus unknown names, wrong cases and wrong types), then sometimes
 * mutated by a character, so the tests reach the validator and the SQL translation as well as
 * the lexer's error paths.
 */
const PROPERTIES = [
  'id', 'displayName', 'userPrincipalName', 'mail', 'givenName', 'jobTitle', 'accountEnabled', 'userType', 'createdDateTime',
  'otherMails', 'proxyAddresses', 'identities', 'usageLocation', 'externalUserState', 'mailEnabled', 'groupTypes', 'description',
  'DisplayName', 'unknownProp', 'passwordProfile', 'x',
];
const COLLECTIONS = ['otherMails', 'proxyAddresses', 'identities', 'groupTypes', 'displayName', 'assignedLicenses'];
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'EQ', 'has', 'in'];
const FUNCTIONS = ['startswith', 'endsWith', 'startsWith', 'contains', 'substringof'];

const quoted = fc.string({ maxLength: 12 }).map((s) => `'${s.replaceAll("'", "''")}'`);
export const literal = fc.oneof(
  quoted,
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
  fc.constantFrom('true', 'false', 'null', 'True', 'NULL'),
  fc.uuid().map(String),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2021-13-01T00:00:00Z', '2021-01-01', "'6fd2c87f-b296-42f0-b197-1e91e994b900'", '-', "'%_\\'"),
);
const property = fc.constantFrom(...PROPERTIES);

const leaf = fc.oneof(
  fc.tuple(property, fc.constantFrom(...OPERATORS), literal).map(([p, op, l]) => `${p} ${op} ${l}`),
  fc.tuple(fc.constantFrom(...FUNCTIONS), property, literal).map(([f, p, l]) => `${f}(${p}, ${l})`),
  fc.tuple(property, fc.array(literal, { minLength: 1, maxLength: 5 })).map(([p, ls]) => `${p} in (${ls.join(', ')})`),
  fc.tuple(fc.constantFrom(...COLLECTIONS), fc.constantFrom('any', 'all'), fc.constantFrom('x', 'i'), fc.constantFrom('', '/issuer', '/signInType', '/nope'), fc.constantFrom(...OPERATORS.slice(0, 3)), literal).map(
    ([c, q, v, f, op, l]) => `${c}/${q}(${v}: ${v}${f} ${op} ${l})`,
  ),
  fc.tuple(fc.constantFrom(...COLLECTIONS), fc.constantFrom('eq', 'ne', 'gt'), literal).map(([c, op, l]) => `${c}/$count ${op} ${l}`),
);

/** Clauses the user catalog accepts (every type, operator, null, lambdas, /$count), so SQL gets built. */
const STRING_PROPERTIES = ['displayName', 'userPrincipalName', 'mail', 'givenName', 'jobTitle', 'city', 'usageLocation'];
const text = fc.string({ maxLength: 10 }).map((s) => `'${s.replaceAll("'", "''")}'`);
const typedLeaf = fc.oneof(
  fc.tuple(fc.constantFrom(...STRING_PROPERTIES), fc.constantFrom('eq', 'ne', 'ge', 'le'), text).map(([p, op, l]) => `${p} ${op} ${l}`),
  fc.tuple(fc.constantFrom('startswith', 'endswith'), fc.constantFrom(...STRING_PROPERTIES), text).map(([f, p, l]) => `${f}(${p}, ${l})`),
  fc.tuple(fc.constantFrom(...STRING_PROPERTIES), fc.array(text, { minLength: 1, maxLength: 20 })).map(([p, ls]) => `${p} in (${ls.join(',')})`),
  fc.tuple(fc.constantFrom('mail', 'jobTitle', 'userType', 'accountEnabled'), fc.constantFrom('eq', 'ne')).map(([p, op]) => `${p} ${op} null`),
  fc.tuple(fc.constantFrom('eq', 'ne'), fc.boolean()).map(([op, b]) => `accountEnabled ${op} ${b}`),
  fc.constantFrom("userType eq 'Guest'", "userType in ('Member', 'Guest')", "externalUserState ne 'Accepted'"),
  fc.tuple(fc.constantFrom('eq', 'ne', 'in'), fc.uuid()).map(([op, id]) => (op === 'in' ? `id in (${id}, '${id}')` : `id ${op} ${id}`)),
  fc.tuple(fc.constantFrom('ge', 'le', 'gt', 'lt', 'eq', 'ne'), fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })).map(
    ([op, d]) => `createdDateTime ${op} ${d.toISOString()}`,
  ),
  fc.tuple(fc.constantFrom('otherMails', 'proxyAddresses'), fc.constantFrom('any', 'all'), fc.constantFrom('eq', 'ne'), text).map(([c, q, op, l]) => `${c}/${q}(x: x ${op} ${l})`),
  fc.tuple(fc.constantFrom('otherMails', 'proxyAddresses'), text).map(([c, l]) => `${c}/any(x: startswith(x, ${l}))`),
  fc.tuple(fc.constantFrom('issuer', 'issuerAssignedId', 'signInType'), text).map(([f, l]) => `identities/any(i: i/${f} eq ${l})`),
  fc.tuple(fc.constantFrom('otherMails', 'proxyAddresses'), fc.constantFrom('eq', 'ne', 'gt'), fc.nat(3)).map(([c, op, n]) => `${c}/$count ${op} ${n}`),
);

export const filterText: fc.Arbitrary<string> = fc
  .letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: typedLeaf, weight: 4 },
      leaf,
      tie('expr').map((e) => `not(${e})`),
      tie('expr').map((e) => `(${e})`),
      fc.tuple(tie('expr'), fc.constantFrom('and', 'or', 'AND'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    ),
  }))
  .expr.chain((text) =>
    fc.oneof(
      { arbitrary: fc.constant(text), weight: 3 },
      // one character inserted, deleted or replaced somewhere
      fc.tuple(fc.nat(text.length), fc.constantFrom('(', ')', "'", ',', '/', ':', '$', ' ', 'é', '\u0000', '"')).map(([at, c]) => text.slice(0, at) + c + text.slice(at)),
      fc.nat(Math.max(0, text.length - 1)).map((at) => text.slice(0, at) + text.slice(at + 1)),
    ),
  );

/** Any text at all, biased towards the characters OData gives a meaning to. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: fc.constantFrom('(', ')', "'", '"', ',', '/', ':', ' ', 'a', 'eq', 'not', 'and', 'or', 'AND', 'OR', '$count', '1', '-', '\\'), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

export const searchText = fc.oneof(
  anyText,
  fc.array(fc.tuple(fc.constantFrom('', 'displayName:', 'mail:', 'nope:', 'DISPLAYNAME:'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 4 }).chain((clauses) =>
    fc.constantFrom(' AND ', ' OR ', ' and ', ' ').map((joiner) => clauses.map(([p, t]) => `"${p}${t.replaceAll('"', '\\"')}"`).join(joiner)),
  ),
);

export const selectText = fc.oneof(anyText, fc.array(property, { maxLength: 6 }).map((names) => names.join(',')));
export const orderByText = fc.oneof(
  anyText,
  fc.array(fc.tuple(property, fc.constantFrom('', ' asc', ' desc', ' DESC', ' sideways')), { maxLength: 3 }).map((items) => items.map(([p, d]) => p + d).join(',')),
);
