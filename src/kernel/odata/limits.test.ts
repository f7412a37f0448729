import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FilterExpr } from './ast.ts';
import type { EntityCatalog } from './catalog.ts';
import { ODATA_LIMITS } from './limits.ts';
import { parseFilter } from './parse-filter.ts';
import { parseOrderBy } from './parse-orderby.ts';
import { parseSearch } from './parse-search.ts';
import { parseSelect } from './parse-select.ts';
import { analyzeQuery } from './validate.ts';

/**
 * Every OData limit: just under it parses, over it is a badRequest whose message names the limit;
 * adversarial shapes (deep nesting, `not not not ...`) never overflow the stack.
 */
const { filter, search, select, orderBy } = ODATA_LIMITS;
const refused = (run: () => unknown, limit: RegExp) => assert.throws(run, (error: any) => error.kind === 'badRequest' && limit.test(error.message));
const clauses = (n: number, joiner = ' or ') => Array.from({ length: n }, (_, i) => `displayName eq 'u${i}'`).join(joiner);

describe('$filter limits', () => {
  test('length: the limit is accepted, one character more is refused before tokenizing', () => {
    const padded = (length: number) => `displayName eq '${'x'.repeat(length - "displayName eq ''".length)}'`;
    assert.equal(parseFilter(padded(filter.maxLength)).kind, 'compare');
    refused(() => parseFilter(padded(filter.maxLength + 1)), new RegExp(`\\$filter.*limit of ${filter.maxLength} characters`));
    refused(() => parseFilter(`displayName eq '${'x'.repeat(1_000_000)}'`), /limit of \d+ characters/);
  });

  test('nesting depth: parentheses', () => {
    const nested = (depth: number) => `${'('.repeat(depth)}displayName eq 'a'${')'.repeat(depth)}`;
    assert.equal(parseFilter(nested(filter.maxDepth)).kind, 'compare');
    refused(() => parseFilter(nested(filter.maxDepth + 1)), new RegExp(`nesting depth of ${filter.maxDepth}`));
  });

  test('nesting depth: not not not ...', () => {
    const nots = (depth: number) => `${'not '.repeat(depth)}startswith(displayName, 'a')`;
    assert.equal(parseFilter(nots(filter.maxDepth)).kind, 'not');
    refused(() => parseFilter(nots(filter.maxDepth + 1)), new RegExp(`nesting depth of ${filter.maxDepth}`));
  });

  test('adversarial nesting far past the limit is a 400, never a stack overflow', () => {
    // Fits the length limit, so the depth limit must be what stops it.
    const depth = Math.floor((filter.maxLength - 20) / 2);
    refused(() => parseFilter(`${'('.repeat(depth)}a eq 1${')'.repeat(depth)}`), /nesting depth/);
    refused(() => parseFilter(`${'not('.repeat(Math.floor((filter.maxLength - 20) / 5))}`), /nesting depth/);
    refused(() => parseFilter('('.repeat(filter.maxLength)), /nesting depth/);
    // Longer than the length limit: refused for its length, whatever it holds.
    refused(() => parseFilter(`${'('.repeat(100_000)}a eq 1${')'.repeat(100_000)}`), /limit of \d+ characters/);
    refused(() => parseFilter('not '.repeat(100_000) + "startswith(a, 'b')"), /limit of \d+ characters/);
  });

  test('node count: flat and/or chains', () => {
    // n comparisons joined by n-1 operators make 2n-1 nodes
    const fits = Math.floor((filter.maxNodes + 1) / 2);
    assert.equal(parseFilter(clauses(fits)).kind, 'or');
    refused(() => parseFilter(clauses(fits + 1)), new RegExp(`more than ${filter.maxNodes} expressions`));
    refused(() => parseFilter(clauses(fits + 1, ' and ')), new RegExp(`more than ${filter.maxNodes} expressions`));
  });

  test("'in' list size", () => {
    const list = (n: number) => `displayName in (${Array.from({ length: n }, (_, i) => `'${i}'`).join(',')})`;
    assert.equal(parseFilter(list(filter.maxInValues)).kind, 'in');
    refused(() => parseFilter(list(filter.maxInValues + 1)), new RegExp(`'in' list.*limit of ${filter.maxInValues} values`));
  });

  test('trees built without the parser are held to the node limit too (analyzeQuery, SQL translation)', () => {
    const catalog: EntityCatalog = { resource: 'User', properties: { displayName: { column: 'display_name', type: 'string', filter: { default: ['eq', 'not'] } } } };
    let expr: FilterExpr = { kind: 'compare', operator: 'eq', left: { kind: 'property', name: 'displayName' }, right: { kind: 'literal', value: { kind: 'string', value: 'a' } } };
    for (let i = 0; i < 200_000; i++) expr = { kind: 'not', operand: expr };
    refused(() => analyzeQuery(catalog, { filter: expr }), new RegExp(`more than ${filter.maxNodes} expressions`));
  });
});

describe('$search limits', () => {
  const terms = (n: number) => Array.from({ length: n }, (_, i) => `"displayName:t${i}"`).join(' OR ');

  test('length', () => {
    assert.equal(parseSearch(`"${'x'.repeat(search.maxLength - 2)}"`).kind, 'term');
    refused(() => parseSearch(`"${'x'.repeat(search.maxLength - 1)}"`), new RegExp(`\\$search.*limit of ${search.maxLength} characters`));
  });

  test('clause count', () => {
    assert.equal(parseSearch(terms(search.maxClauses)).kind, 'or');
    refused(() => parseSearch(terms(search.maxClauses + 1)), new RegExp(`more than ${search.maxClauses} clauses`));
  });
});

describe('$select and $orderby limits', () => {
  test('$select item count and length', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join(',');
    assert.equal(parseSelect(names(select.maxItems)).length, select.maxItems);
    refused(() => parseSelect(names(select.maxItems + 1)), new RegExp(`more than ${select.maxItems} items`));
    refused(() => parseSelect('a'.repeat(select.maxLength + 1)), new RegExp(`\\$select.*limit of ${select.maxLength} characters`));
  });

  test('$orderby item count and length', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => `p${i} desc`).join(',');
    assert.equal(parseOrderBy(items(orderBy.maxItems)).length, orderBy.maxItems);
    refused(() => parseOrderBy(items(orderBy.maxItems + 1)), new RegExp(`more than ${orderBy.maxItems} items`));
    refused(() => parseOrderBy('a'.repeat(orderBy.maxLength + 1)), new RegExp(`\\$orderby.*limit of ${orderBy.maxLength} characters`));
  });
});
