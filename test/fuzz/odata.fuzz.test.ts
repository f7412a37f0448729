import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { analyzeQuery, parseFilter, parseOrderBy, parseSearch, parseSelect, resolveSortKeys } from '../../src/kernel/odata/index.ts';
import { groupCatalog, userCatalog } from '../../src/modules/directory/catalogs.ts';
import { filterToSql, orderByToSql, searchToSql } from '../../src/storage/odata-sql.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { fuzzOptions, isClientError } from './fuzz-runs.ts';
import { anyText, filterText, orderByText, searchText, selectText } from './odata-arbitraries.ts';

/**
 * Issue 13 item 4: for any query text, the OData parsers, the validator and the SQL translation
 * give either a valid result or a client error (a Graph 4xx), never anything else; and through
 * the API, on each database, a collection request never answers 5xx.
 */

/** Kysely instances that only compile SQL, for each dialect. */
const compilers = {
  sqlite: new Kysely<any>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};

/** Runs `step`; a client error ends the case as a success, anything else thrown fails it. */
function clientErrorOr<T>(step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (!isClientError(error)) throw error;
    return undefined;
  }
}

describe('OData parsing, validation and SQL translation (property-based)', () => {
  test('$filter: a checked tree and SQL for both dialects, or a client error', () => {
    fc.assert(
      fc.property(fc.oneof(filterText, anyText), (text) => {
        const expr = clientErrorOr(() => parseFilter(text));
        if (!expr) return;
        for (const [catalog, table] of [
          [userCatalog, 'users'],
          [groupCatalog, 'groups'],
        ] as const) {
          clientErrorOr(() => {
            analyzeQuery(catalog, { filter: expr });
            for (const dialect of ['sqlite', 'postgres'] as const) {
              const where = filterToSql(expr, catalog, { dialect, table });
              const compiled = compilers[dialect].selectFrom(table).selectAll().where(where).compile();
              assert.ok(compiled.sql.includes('where'));
              // values are bound, never spliced: no parameter text appears in the SQL
              for (const parameter of compiled.parameters) if (typeof parameter === 'string' && parameter.length > 3) assert.ok(!compiled.sql.includes(parameter), compiled.sql);
            }
          });
        }
      }),
      fuzzOptions(1500),
    );
  });

  test('$search, $select and $orderby: a result or a client error', () => {
    fc.assert(
      fc.property(searchText, selectText, orderByText, (search, select, orderBy) => {
        const tree = clientErrorOr(() => parseSearch(search));
        if (tree) {
          clientErrorOr(() => {
            for (const dialect of ['sqlite', 'postgres'] as const) {
              compilers[dialect].selectFrom('users').selectAll().where(searchToSql(tree, userCatalog, { dialect, table: 'users' })).compile();
            }
          });
        }
        clientErrorOr(() => parseSelect(select));
        const items = clientErrorOr(() => parseOrderBy(orderBy));
        if (items) {
          clientErrorOr(() => {
            analyzeQuery(userCatalog, { orderBy: items });
            for (const dialect of ['sqlite', 'postgres'] as const) orderByToSql(resolveSortKeys(userCatalog, items), { dialect, table: 'users' });
          });
        }
      }),
      fuzzOptions(1500),
    );
  });
});

for (const dialect of testDialects) {
  describe(`OData through the API never answers 5xx (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      const user = (alias: string, extra: Record<string, unknown>) => ({
        accountEnabled: true,
        displayName: `User ${alias}`,
        mailNickname: alias,
        userPrincipalName: `${alias}@${h.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
        ...extra,
      });
      await graph('POST', '/users', user('adele', { mail: 'adele@contoso.example', otherMails: ['a@partner.example'], jobTitle: "O'Brien %_\\", usageLocation: 'NL' }));
      await graph('POST', '/users', user('megan', { givenName: 'Megan', otherMails: [], userType: 'Guest' }));
      await graph('POST', '/groups', { displayName: 'Sales', mailNickname: 'sales', mailEnabled: false, securityEnabled: true, groupTypes: ['Unified'] });
    });
    after(() => h.close());

    test('random $filter, $search, $select, $orderby, $top, $count and ConsistencyLevel', async () => {
      const option = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/users', '/groups', '/beta/users'),
          fc.record({
            $filter: option(fc.oneof(filterText, anyText)),
            $search: option(searchText),
            $select: option(selectText),
            $orderby: option(orderByText),
            $top: option(fc.oneof(fc.integer({ min: -5, max: 1200 }).map(String), anyText)),
            $count: option(fc.constantFrom('true', 'false', 'TRUE', 'x')),
          }),
          fc.boolean(),
          async (path, options, eventual) => {
            const query = new URLSearchParams(Object.entries(options).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
            const response = await graph('GET', `${path}?${query}`, undefined, eventual ? { consistencylevel: 'eventual' } : {});
            assert.ok(response.status === 200 || (response.status >= 400 && response.status < 500), `${response.status} for ${path}?${decodeURIComponent(query)}: ${response.text.slice(0, 300)}`);
            if (response.status !== 200) assert.match(response.body.error.code, /^Request_/);
          },
        ),
        fuzzOptions(120),
      );
    });
  });
}
