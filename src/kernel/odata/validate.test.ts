import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EntityCatalog } from './catalog.ts';
import { parseFilter } from './parse-filter.ts';
import { parseOrderBy } from './parse-orderby.ts';
import { parseSearch } from './parse-search.ts';
import { resolveSortKeys } from './sort-keys.ts';
import { analyzeQuery, requireAdvanced } from './validate.ts';

const catalog: EntityCatalog = {
  resource: 'User',
  properties: {
    id: { column: 'id', type: 'guid', filter: { default: ['eq', 'in'], advanced: ['ne', 'not'] } },
    displayName: {
      column: 'display_name',
      type: 'string',
      filter: { default: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'endswith', 'null'] },
      orderBy: 'default',
      search: true,
    },
    mail: {
      column: 'mail',
      type: 'string',
      filter: { default: ['eq', 'in', 'startswith'], advanced: ['ne', 'not', 'endswith', 'null'] },
      orderBy: 'advanced',
      search: true,
    },
    jobTitle: { column: 'job_title', type: 'string', filter: { default: ['eq'] } },
    secret: { column: 'secret', type: 'string' },
    accountEnabled: { column: 'account_enabled', type: 'boolean', filter: { default: ['eq'], advanced: ['ne', 'not'] }, orderBy: 'default' },
    userType: { column: 'user_type', type: 'enum', filter: { default: ['eq', 'in', 'null'], advanced: ['ne', 'not'] } },
    createdDateTime: { column: 'created_at', type: 'datetime', filter: { default: ['eq', 'ge', 'le', 'gt', 'lt'] }, orderBy: 'advanced' },
    otherMails: { column: 'other_mails', type: 'stringCollection', filter: { default: ['any', 'eq', 'startswith'], advanced: ['all', 'endswith', 'count', 'not', 'ne'] } },
    identities: {
      column: 'identities',
      type: 'objectCollection',
      fields: { issuer: { key: 'issuer', type: 'string' }, issuerAssignedId: { key: 'issuerAssignedId', type: 'string' } },
      filter: { default: ['any', 'eq'] },
    },
    assignedLicenses: {
      column: 'assigned_licenses',
      type: 'objectCollection',
      fields: { skuId: { key: 'skuId', type: 'guid' } },
      filter: { default: ['any', 'eq'], advanced: ['count', 'not'] },
    },
  },
};

const GUID = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const analyze = (filter?: string, orderBy?: string, search?: string) =>
  analyzeQuery(catalog, {
    filter: filter === undefined ? undefined : parseFilter(filter),
    orderBy: orderBy === undefined ? undefined : parseOrderBy(orderBy),
    search: search === undefined ? undefined : parseSearch(search),
  });
const fails = (kind: 'badRequest' | 'unsupportedQuery', message: string | RegExp, filter?: string, orderBy?: string, search?: string) =>
  assert.throws(() => analyze(filter, orderBy, search), { kind, message });
const unsupportedClause = (property: string) => `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`;

describe('analyzeQuery: standard queries', () => {
  for (const filter of [
    "displayName eq 'x'",
    "displayName ge 'a' and displayName le 'm'",
    "startswith(displayName,'a') or startsWith(mail,'b')",
    "userType in ('Member', 'Guest')",
    'userType eq null',
    `id eq ${GUID}`,
    `id eq '${GUID}'`,
    `id in ('${GUID}', ${GUID})`,
    'accountEnabled eq true',
    'createdDateTime ge 2021-01-01T00:00:00Z and createdDateTime lt 2022-01-01T00:00:00+01:00',
    "otherMails/any(x:x eq 'a@b.com')",
    "otherMails/any(x:startswith(x,'a'))",
    "identities/any(c:c/issuerAssignedId eq 'j@x.com' and c/issuer eq 'contoso.com')",
    `assignedLicenses/any(x:x/skuId eq ${GUID})`,
    `assignedLicenses/any(x:x/skuId eq '${GUID}')`,
  ]) {
    test(filter, () => assert.deepEqual(analyze(filter), { advanced: false, search: false, reasons: [] }));
  }

  test('property and field names match in any case', () => {
    assert.equal(analyze("DISPLAYNAME eq 'x'").advanced, false);
    assert.equal(analyze("identities/any(c:c/ISSUER eq 'x')").advanced, false);
  });

  test('$orderby on a default property, and no options at all', () => {
    assert.deepEqual(analyze(undefined, 'displayName desc'), { advanced: false, search: false, reasons: [] });
    assert.deepEqual(analyzeQuery(catalog, {}), { advanced: false, search: false, reasons: [] });
    assert.deepEqual(analyzeQuery(catalog, { count: true }), { advanced: false, search: false, reasons: [] });
  });
});

describe('analyzeQuery: advanced queries, with the reason', () => {
  const cases: [string | undefined, string | undefined, string[]][] = [
    ["displayName ne 'x'", undefined, ["'ne' on 'displayName'"]],
    ["not(displayName eq 'x')", undefined, ["'not' on 'displayName'"]],
    ["not(startswith(displayName,'a'))", undefined, ["'not' on 'displayName'"]],
    ["endswith(mail,'@contoso.com')", undefined, ["'endsWith' on 'mail'"]],
    ['mail eq null', undefined, ["a null comparison on 'mail'"]],
    ['mail ne null', undefined, ["a null comparison on 'mail'", "'ne' on 'mail'"]],
    ['otherMails/$count eq 0', undefined, ["'/$count' on 'otherMails'"]],
    ['assignedLicenses/$count ne 0', undefined, ["'/$count' on 'assignedLicenses'"]],
    ["otherMails/any(x:endswith(x,'.com'))", undefined, ["'endsWith' on 'otherMails'"]],
    ["otherMails/all(x:x ne 'a')", undefined, ["'all' on 'otherMails'", "'ne' on 'otherMails'"]],
    ["not(otherMails/any(x:x eq 'a'))", undefined, ["'not' on 'otherMails'"]],
    ["displayName ne 'a' and displayName ne 'b'", undefined, ["'ne' on 'displayName'"]],
    [undefined, 'mail', ["$orderby on 'mail'"]],
    [undefined, 'displayName, createdDateTime desc', ["$orderby on 'createdDateTime'"]],
    ["displayName eq 'x'", 'displayName', ['$filter combined with $orderby']],
    ["userType ne 'Guest'", 'mail', ["'ne' on 'userType'", "$orderby on 'mail'", '$filter combined with $orderby']],
  ];
  for (const [filter, orderBy, reasons] of cases) {
    test(`${filter ?? ''} ${orderBy ? `$orderby=${orderBy}` : ''}`, () => {
      assert.deepEqual(analyze(filter, orderBy), { advanced: true, search: false, reasons });
    });
  }

  test('$search is advanced but only needs the header', () => {
    assert.deepEqual(analyze(undefined, undefined, '"displayName:jo" OR "mail:jo"'), { advanced: true, search: true, reasons: [] });
    assert.deepEqual(analyze(undefined, undefined, '"jo"'), { advanced: true, search: true, reasons: [] });
    assert.deepEqual(analyze("displayName ne 'x'", undefined, '"jo"'), { advanced: true, search: true, reasons: ["'ne' on 'displayName'"] });
  });
});

describe('analyzeQuery: unsupported queries', () => {
  test('unknown properties and fields, in Graph wording', () => {
    fails('unsupportedQuery', "Property 'foo' does not exist as a declared property or extension property.", "foo eq 'x'");
    fails('unsupportedQuery', "Property 'identities/foo' does not exist as a declared property or extension property.", "identities/any(c:c/foo eq 'x')");
    fails('unsupportedQuery', "Property 'otherMails/foo' does not exist as a declared property or extension property.", "otherMails/any(x:x/foo eq 'x')");
    fails('unsupportedQuery', /Property 'nope' does not exist/, 'nope/$count eq 0');
    fails('unsupportedQuery', /Property 'nope' does not exist/, "nope/any(x:x eq 'a')");
  });

  test('operations the property does not support', () => {
    fails('unsupportedQuery', unsupportedClause('jobTitle'), "jobTitle ne 'x'");
    fails('unsupportedQuery', unsupportedClause('jobTitle'), "startswith(jobTitle,'a')");
    fails('unsupportedQuery', unsupportedClause('jobTitle'), "not(jobTitle eq 'a')");
    fails('unsupportedQuery', unsupportedClause('jobTitle'), "jobTitle in ('a')");
    fails('unsupportedQuery', unsupportedClause('jobTitle'), 'jobTitle eq null');
    fails('unsupportedQuery', unsupportedClause('secret'), "secret eq 'x'");
    fails('unsupportedQuery', unsupportedClause('displayName'), "displayName gt 'x'");
    fails('unsupportedQuery', unsupportedClause('accountEnabled'), 'accountEnabled in (true)');
    fails('unsupportedQuery', unsupportedClause('identities'), "identities/all(c:c/issuer eq 'x')");
    fails('unsupportedQuery', unsupportedClause('identities'), "identities/any(c:startswith(c/issuer,'x'))");
    fails('unsupportedQuery', unsupportedClause('identities'), 'identities/$count eq 0');
    fails('unsupportedQuery', unsupportedClause('accountEnabled'), "startswith(accountEnabled,'t')");
  });

  test('collections used as scalars and scalars as collections', () => {
    fails('unsupportedQuery', unsupportedClause('otherMails'), "otherMails eq 'x'");
    fails('unsupportedQuery', unsupportedClause('displayName'), "displayName/any(x:x eq 'a')");
    fails('unsupportedQuery', unsupportedClause('displayName'), 'displayName/$count eq 0');
    fails('unsupportedQuery', /'identities' holds objects: compare one of their fields/, "identities/any(x:x eq 'a')");
  });

  test('lambda bodies may only use their variable, and lambdas do not nest', () => {
    fails('unsupportedQuery', /only the variable 'x' can be used, not 'displayName'/, "otherMails/any(x:displayName eq 'a')");
    fails('unsupportedQuery', /a lambda inside another lambda/, "otherMails/any(x:identities/any(y:y/issuer eq 'a'))");
  });

  test('comparisons need a property on the left and a literal on the right', () => {
    fails('unsupportedQuery', /comparing two properties \('displayName' eq 'mail'\) is not supported/, 'displayName eq mail');
    fails('unsupportedQuery', /write the property on the left of 'eq'/, "'x' eq displayName");
    fails('unsupportedQuery', /has no property, only literals/, "'a' eq 'b'");
    fails('unsupportedQuery', /the left side of 'in' must be a property/, "'a' in ('a')");
    fails('unsupportedQuery', /the first argument of startsWith must be a property/, "startswith('a', displayName)");
    fails('unsupportedQuery', /the second argument of endsWith must be a string literal, not 'mail'/, 'endswith(displayName, mail)');
    fails('unsupportedQuery', /'mail gt null' is not supported/, 'mail gt null');
  });

  test('$orderby on unknown, unsortable or unsortable-typed properties', () => {
    fails('unsupportedQuery', /Property 'foo' does not exist/, undefined, 'foo');
    fails('unsupportedQuery', "Sorting by property 'jobTitle' of resource 'User' is not supported.", undefined, 'jobTitle');
    fails('unsupportedQuery', "Sorting by property 'accountEnabled' of resource 'User' is not supported.", undefined, 'accountEnabled');
  });

  test('$search on unknown or unsearchable properties', () => {
    fails('unsupportedQuery', /Property 'foo' does not exist/, undefined, undefined, '"foo:x"');
    fails('unsupportedQuery', "Property 'jobTitle' of resource 'User' does not support $search.", undefined, undefined, '"displayName:a" OR "jobTitle:x"');
    const unsearchable: EntityCatalog = { resource: 'Thing', properties: { name: { column: 'name', type: 'string' } } };
    assert.throws(() => analyzeQuery(unsearchable, { search: parseSearch('"x"') }), { kind: 'unsupportedQuery', message: /does not support \$search/ });
  });
});

describe('analyzeQuery: ill-typed literals are bad requests', () => {
  const incompatible = (filter: string, property: string, expected: string, found: string, operator: string) =>
    fails(
      'badRequest',
      `A binary operator with incompatible types was detected. Found operand types '${expected}' and '${found}' for operator kind '${operator}' on property '${property}'.`,
      filter,
    );

  test('type mismatches name both types', () => {
    incompatible('displayName eq 1', 'displayName', 'Edm.String', 'Edm.Int32', 'eq');
    incompatible('displayName eq 1.5', 'displayName', 'Edm.String', 'Edm.Double', 'eq');
    incompatible(`displayName eq ${GUID}`, 'displayName', 'Edm.String', 'Edm.Guid', 'eq');
    incompatible("accountEnabled eq 'true'", 'accountEnabled', 'Edm.Boolean', 'Edm.String', 'eq');
    incompatible("createdDateTime ge '2021-01-01T00:00:00Z'", 'createdDateTime', 'Edm.DateTimeOffset', 'Edm.String', 'ge');
    incompatible('id eq true', 'id', 'Edm.Guid', 'Edm.Boolean', 'eq');
    incompatible("userType in ('Member', 1)", 'userType', 'Edm.String', 'Edm.Int32', 'in');
    incompatible("userType in ('Member', null)", 'userType', 'Edm.String', 'null', 'in');
    incompatible('startswith(displayName, 1)', 'displayName', 'Edm.String', 'Edm.Int32', 'startsWith');
    incompatible("otherMails/any(x:x eq 1)", 'x', 'Edm.String', 'Edm.Int32', 'eq');
  });

  test('/$count takes a whole number', () => {
    incompatible("otherMails/$count eq 'a'", 'otherMails/$count', 'Edm.Int32', 'Edm.String', 'eq');
    incompatible('otherMails/$count eq -1', 'otherMails/$count', 'Edm.Int32', 'Edm.Int32', 'eq');
    incompatible('otherMails/$count eq 1.5', 'otherMails/$count', 'Edm.Int32', 'Edm.Double', 'eq');
  });

  test('GUIDs in quotes must be GUIDs', () => {
    fails('badRequest', "Invalid object identifier 'abc'.", "id eq 'abc'");
    fails('badRequest', "Invalid object identifier 'nope'.", "assignedLicenses/any(x:x/skuId eq 'nope')");
  });
});

describe('requireAdvanced', () => {
  const standard = analyze("displayName eq 'x'");
  const advanced = analyze("displayName ne 'x'", 'mail');
  const search = analyze(undefined, undefined, '"jo"');

  test('standard queries need nothing', () => {
    requireAdvanced(standard, { consistencyLevel: undefined, count: false });
    requireAdvanced(standard, { consistencyLevel: 'eventual', count: true });
  });

  test('$search needs ConsistencyLevel: eventual (any case), not $count', () => {
    assert.throws(() => requireAdvanced(search, { consistencyLevel: undefined, count: true }), {
      kind: 'unsupportedQuery',
      message: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    });
    assert.throws(() => requireAdvanced(search, { consistencyLevel: 'session', count: true }), { kind: 'unsupportedQuery' });
    assert.throws(() => requireAdvanced(search, { consistencyLevel: false, count: true }), { kind: 'unsupportedQuery' });
    requireAdvanced(search, { consistencyLevel: 'eventual', count: false });
    requireAdvanced(search, { consistencyLevel: ' Eventual ', count: false });
    requireAdvanced(search, { consistencyLevel: true, count: false });
  });

  test('other advanced queries need the header and $count=true, and say why', () => {
    const message = /advanced query \('ne' on 'displayName'; \$orderby on 'mail'; \$filter combined with \$orderby\).*'ConsistencyLevel: eventual'.*\$count=true/;
    assert.throws(() => requireAdvanced(advanced, { consistencyLevel: undefined, count: false }), { kind: 'unsupportedQuery', message });
    assert.throws(() => requireAdvanced(advanced, { consistencyLevel: undefined, count: true }), { kind: 'unsupportedQuery', message });
    assert.throws(() => requireAdvanced(advanced, { consistencyLevel: 'eventual', count: false }), { kind: 'unsupportedQuery', message });
    requireAdvanced(advanced, { consistencyLevel: 'eventual', count: true });
  });

  test('$search with an advanced filter needs $count too', () => {
    const both = analyze("displayName ne 'x'", undefined, '"jo"');
    assert.throws(() => requireAdvanced(both, { consistencyLevel: 'eventual', count: false }), { kind: 'unsupportedQuery', message: /'ne' on 'displayName'/ });
    requireAdvanced(both, { consistencyLevel: 'eventual', count: true });
  });
});

describe('resolveSortKeys', () => {
  test('canonical names, columns, types, directions, advanced flags', () => {
    assert.deepEqual(resolveSortKeys(catalog, parseOrderBy('DisplayName desc, createdDateTime')), [
      { property: 'displayName', column: 'display_name', type: 'string', direction: 'desc', advanced: false },
      { property: 'createdDateTime', column: 'created_at', type: 'datetime', direction: 'asc', advanced: true },
    ]);
  });
});
