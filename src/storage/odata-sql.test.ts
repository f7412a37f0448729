import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase, testDialects } from '../../test/helpers/databases.ts';
import {
  decodeSkipToken,
  type EntityCatalog,
  encodeSkipToken,
  type FilterOp,
  type KeysetCursor,
  parseFilter,
  parseOrderBy,
  parseSearch,
  resolveSortKeys,
} from '../kernel/odata/index.ts';
import { cursorAfter, filterToSql, keysetAfter, orderByToSql, searchToSql } from './odata-sql.ts';
import { toJson } from './values.ts';

const ALL: FilterOp[] = ['eq', 'ne', 'not', 'in', 'startswith', 'endswith', 'ge', 'le', 'gt', 'lt', 'any', 'all', 'count', 'null'];
const filter = { default: ALL };

/** Every operation allowed, so these tests exercise SQL translation rather than catalog rules. */
const catalog: EntityCatalog = {
  resource: 'User',
  properties: {
    id: { column: 'id', type: 'guid', filter, orderBy: 'default' },
    displayName: { column: 'display_name', type: 'string', filter, orderBy: 'default', search: true },
    userPrincipalName: { column: 'user_principal_name', type: 'string', filter, orderBy: 'default' },
    mail: { column: 'mail', type: 'string', filter, orderBy: 'advanced', search: true },
    jobTitle: { column: 'job_title', type: 'string', filter },
    accountEnabled: { column: 'account_enabled', type: 'boolean', filter },
    userType: { column: 'user_type', type: 'enum', filter },
    externalUserState: { column: 'external_user_state', type: 'enum', filter },
    createdDateTime: { column: 'created_at', type: 'datetime', filter, orderBy: 'advanced' },
    externalUserStateChangeDateTime: { column: 'external_user_state_change_at', type: 'datetime', filter, orderBy: 'advanced' },
    otherMails: { column: 'other_mails', type: 'stringCollection', filter },
    proxyAddresses: { column: 'proxy_addresses', type: 'stringCollection', filter },
    identities: {
      column: 'identities',
      type: 'objectCollection',
      fields: {
        signInType: { key: 'signInType', type: 'string' },
        issuer: { key: 'issuer', type: 'string' },
        issuerAssignedId: { key: 'issuerAssignedId', type: 'string' },
      },
      filter,
    },
  },
};

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Identity = { signInType: string; issuer: string; issuerAssignedId: string | null };
interface Seed {
  n: number;
  displayName: string;
  mail?: string;
  otherMails?: string[];
  proxyAddresses?: string[];
  identities?: Identity[];
  accountEnabled?: boolean;
  userType?: 'Member' | 'Guest';
  externalUserState?: string;
  externalUserStateChangeAt?: string;
  jobTitle?: string;
  createdAt: string;
}

const upnIdentity = (upn: string): Identity => ({ signInType: 'userPrincipalName', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: upn });

// Timestamps are written in several ISO forms (with and without milliseconds, with an offset)
// to check that datetime comparison and ordering do not depend on the text form on SQLite.
const seeds: Seed[] = [
  {
    n: 1,
    displayName: 'Adele Vance',
    mail: 'AdeleV@contoso.com',
    otherMails: ['adele@gmail.com'],
    proxyAddresses: ['SMTP:AdeleV@contoso.com'],
    identities: [upnIdentity('adelev@contoso.com')],
    jobTitle: 'Retail Manager',
    createdAt: '2021-01-01T00:00:00.000Z',
  },
  {
    n: 2,
    displayName: 'Alex Wilber',
    mail: 'AlexW@contoso.com',
    proxyAddresses: ['SMTP:AlexW@contoso.com', 'smtp:alex@contoso.net'],
    jobTitle: 'Marketing Assistant',
    createdAt: '2021-06-15T12:30:00.000Z',
  },
  { n: 3, displayName: 'alex wilber', accountEnabled: false, createdAt: '2022-01-01T00:00:00Z' },
  { n: 4, displayName: '100% Pure', createdAt: '2021-03-01T00:00:00.000Z' },
  { n: 5, displayName: '1000 Club', createdAt: '2021-03-01T00:00:00.000Z' },
  { n: 6, displayName: 'under_score', createdAt: '2021-03-02T00:00:00.000Z' },
  { n: 7, displayName: 'underXscore', createdAt: '2021-03-03T00:00:00.000Z' },
  {
    n: 8,
    displayName: "O'Brien, Pat",
    mail: 'pat.obrien@fabrikam.com',
    otherMails: ['pat@fabrikam.com'],
    identities: [upnIdentity('pat.obrien_fabrikam.com#EXT#@contoso.onmicrosoft.com'), { signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: null }],
    userType: 'Guest',
    externalUserState: 'PendingAcceptance',
    externalUserStateChangeAt: '2023-05-01T10:00:00.000Z',
    createdAt: '2023-05-01T10:00:00.000Z',
  },
  { n: 9, displayName: 'Back\\slash', createdAt: '2021-03-04T00:00:00.000Z' },
  {
    n: 10,
    displayName: 'Guest Gina',
    mail: 'gina@fabrikam.com',
    otherMails: ['gina@fabrikam.com', 'GINA@outlook.com'],
    identities: [{ signInType: 'emailAddress', issuer: 'contoso.com', issuerAssignedId: 'gina@fabrikam.com' }],
    userType: 'Guest',
    externalUserState: 'Accepted',
    externalUserStateChangeAt: '2023-06-01T00:00:00Z',
    createdAt: '2023-01-01T00:00:00.000Z',
  },
  { n: 11, displayName: 'Zed', jobTitle: 'retail manager', createdAt: '2021-06-15T14:30:00.000+02:00' },
  {
    n: 12,
    displayName: 'Megan Bowen',
    mail: 'MeganB@contoso.com',
    otherMails: ['megan.bowen@gmail.com', 'mb@contoso.net'],
    createdAt: '2021-02-01T08:00:00.000Z',
  },
];
const everyone = seeds.map((seed) => seed.n);
const except = (...excluded: number[]) => everyone.filter((n) => !excluded.includes(n));

async function seed(database: TestDatabase): Promise<void> {
  const now = '2024-01-01T00:00:00.000Z';
  for (const tenant of [TENANT, OTHER_TENANT]) {
    await database.db
      .insertInto('tenants')
      .values({ id: tenant, display_name: 'Contoso', initial_domain: `${tenant}.example`, cloud_type: 'commercial', technical_notification_mails: '[]', branding: '{}', settings: '{}', created_at: now })
      .execute();
  }
  for (const s of seeds) {
    await database.db.insertInto('directory_objects').values({ tenant_id: TENANT, id: id(s.n), object_type: 'user', created_at: s.createdAt }).execute();
    await database.db
      .insertInto('users')
      .values({
        tenant_id: TENANT,
        id: id(s.n),
        user_principal_name: `user${s.n}@contoso.com`,
        display_name: s.displayName,
        mail: s.mail ?? null,
        mail_nickname: `user${s.n}`,
        other_mails: toJson(s.otherMails ?? []),
        proxy_addresses: toJson(s.proxyAddresses ?? []),
        identities: toJson(s.identities ?? []),
        business_phones: '[]',
        account_enabled: s.accountEnabled ?? true,
        user_type: s.userType ?? 'Member',
        external_user_state: s.externalUserState ?? null,
        external_user_state_change_at: s.externalUserStateChangeAt ?? null,
        job_title: s.jobTitle ?? null,
        created_at: s.createdAt,
        updated_at: now,
      })
      .execute();
  }
  // A user in another tenant that matches everything: the queries below must never see it.
  await database.db.insertInto('directory_objects').values({ tenant_id: OTHER_TENANT, id: id(99), object_type: 'user', created_at: now }).execute();
  await database.db
    .insertInto('users')
    .values({
      tenant_id: OTHER_TENANT,
      id: id(99),
      user_principal_name: 'alex@other.example',
      display_name: 'Alex Wilber',
      mail_nickname: 'alex',
      other_mails: '[]',
      proxy_addresses: '[]',
      identities: '[]',
      business_phones: '[]',
      account_enabled: true,
      user_type: 'Member',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

for (const dialect of testDialects) {
  describe(`odata-sql on ${dialect}`, () => {
    let database: TestDatabase;
    const target = { dialect, table: 'users' };

    before(async () => {
      database = await createTestDatabase(dialect);
      await seed(database);
    });
    after(async () => {
      await database?.close();
    });

    const users = () => database.db.selectFrom('users').where('users.tenant_id', '=', TENANT);

    /** The seed numbers of the users a $filter selects, in id order. */
    const filtered = async (text: string): Promise<number[]> => {
      const rows = await users().select('users.id').where(filterToSql(parseFilter(text), catalog, target)).orderBy('users.id').execute();
      return rows.map((row) => Number(row.id.slice(-12)));
    };
    const searched = async (text: string): Promise<number[]> => {
      const rows = await users().select('users.id').where(searchToSql(parseSearch(text), catalog, target)).orderBy('users.id').execute();
      return rows.map((row) => Number(row.id.slice(-12)));
    };
    const expectFilter = async (text: string, expected: number[]) => assert.deepEqual(await filtered(text), expected, text);
    const expectSearch = async (text: string, expected: number[]) => assert.deepEqual(await searched(text), expected, text);

    describe('comparisons', () => {
      test('eq on strings ignores case', async () => {
        await expectFilter("displayName eq 'alex wilber'", [2, 3]);
        await expectFilter("displayName eq 'ADELE VANCE'", [1]);
        await expectFilter("DisplayName eq 'Zed'", [11]);
        await expectFilter("mail eq 'adelev@CONTOSO.com'", [1]);
        await expectFilter("jobTitle eq 'Retail Manager'", [1, 11]);
      });

      test('quotes, backslashes and SQL in literals are plain text', async () => {
        await expectFilter("displayName eq 'O''Brien, Pat'", [8]);
        await expectFilter("displayName eq 'Back\\slash'", [9]);
        await expectFilter("displayName eq 'x'' or 1=1 --'", []);
        await expectFilter("displayName eq 'x\" or \"1\"=\"1'", []);
      });

      test('ne is true for null values too (OData semantics)', async () => {
        await expectFilter("displayName ne 'alex wilber'", except(2, 3));
        await expectFilter("externalUserState ne 'Accepted'", except(10));
        await expectFilter("jobTitle ne 'retail manager'", except(1, 11));
      });

      test('ordering comparisons on strings', async () => {
        await expectFilter("displayName ge 'm' and displayName lt 'p'", [8, 12]);
        await expectFilter("displayName gt 'zed'", []);
        await expectFilter("displayName le 'Adele Vance'", [1, 4, 5]);
      });

      test('enums compare like strings', async () => {
        await expectFilter("userType eq 'guest'", [8, 10]);
        await expectFilter("externalUserState eq 'PendingAcceptance'", [8]);
      });

      test('booleans', async () => {
        await expectFilter('accountEnabled eq false', [3]);
        await expectFilter('accountEnabled eq true', except(3));
        await expectFilter('accountEnabled ne true', [3]);
      });

      test('GUIDs, bare or quoted, in any case', async () => {
        await expectFilter(`id eq ${id(5).toUpperCase()}`, [5]);
        await expectFilter(`id eq '${id(7).toUpperCase()}'`, [7]);
        await expectFilter(`id ne ${id(7)}`, except(7));
      });

      test('datetimes compare as instants, whatever their text form', async () => {
        await expectFilter('createdDateTime eq 2021-06-15T12:30:00Z', [2, 11]);
        await expectFilter('createdDateTime eq 2021-06-15T14:30:00.000+02:00', [2, 11]);
        await expectFilter('createdDateTime ge 2022-01-01T00:00:00Z', [3, 8, 10]);
        await expectFilter('createdDateTime gt 2022-01-01T00:00:00Z', [8, 10]);
        await expectFilter('createdDateTime le 2021-02-01T08:00:00Z', [1, 12]);
        await expectFilter('createdDateTime lt 2021-02-01T09:00+01:00', [1]);
        await expectFilter('createdDateTime ge 2021-03-01T00:00:00Z and createdDateTime le 2021-03-03T00:00:00Z', [4, 5, 6, 7]);
        await expectFilter('externalUserStateChangeDateTime ge 2023-05-15T00:00:00Z', [10]);
      });

      test('eq null and ne null', async () => {
        await expectFilter('mail eq null', [3, 4, 5, 6, 7, 9, 11]);
        await expectFilter('mail ne null', [1, 2, 8, 10, 12]);
        await expectFilter('externalUserStateChangeDateTime eq null', except(8, 10));
        await expectFilter('externalUserState ne null', [8, 10]);
      });

      test('in, ignoring case', async () => {
        await expectFilter("displayName in ('zed', 'MEGAN BOWEN', 'nobody')", [11, 12]);
        await expectFilter("userType in ('Guest')", [8, 10]);
        await expectFilter(`id in (${id(1)}, '${id(3)}')`, [1, 3]);
        await expectFilter('createdDateTime in (2021-03-01T00:00:00Z, 2023-01-01T00:00:00Z)', [4, 5, 10]);
      });
    });

    describe('functions', () => {
      test('startswith ignores case', async () => {
        await expectFilter("startswith(displayName,'al')", [2, 3]);
        await expectFilter("startsWith(displayName,'ALEX W')", [2, 3]);
        await expectFilter("startswith(mail,'pat.')", [8]);
        await expectFilter("startswith(displayName,'')", everyone);
      });

      test('% and _ and \\ in the term match only themselves', async () => {
        await expectFilter("startswith(displayName,'100%')", [4]);
        await expectFilter("startswith(displayName,'100')", [4, 5]);
        await expectFilter("startswith(displayName,'under_')", [6]);
        await expectFilter("startswith(displayName,'under')", [6, 7]);
        await expectFilter("startswith(displayName,'back\\')", [9]);
        await expectFilter("startswith(displayName,'%')", []);
        await expectFilter("startswith(displayName,'_')", []);
      });

      test('endswith', async () => {
        await expectFilter("endswith(mail,'@CONTOSO.COM')", [1, 2, 12]);
        await expectFilter("endswith(displayName,'score')", [6, 7]);
        await expectFilter("endswith(displayName,'_score')", [6]);
        await expectFilter("endswith(displayName,'% Pure')", [4]);
      });

      test('null values never start or end with anything', async () => {
        await expectFilter("not(startswith(mail,'a'))", [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      });
    });

    describe('not, and, or', () => {
      test('not of a comparison includes null values', async () => {
        await expectFilter("not(userType eq 'Guest')", except(8, 10));
        await expectFilter("not(externalUserState eq 'Accepted')", except(10));
        await expectFilter("not(jobTitle eq 'retail manager')", except(1, 11));
        await expectFilter("not(not(jobTitle eq 'retail manager'))", [1, 11]);
      });

      test('precedence and grouping', async () => {
        await expectFilter("(userType eq 'Guest' or accountEnabled eq false) and not(startswith(displayName,'guest'))", [3, 8]);
        await expectFilter("userType eq 'Guest' or accountEnabled eq false and startswith(displayName,'guest')", [8, 10]);
        await expectFilter("not(userType eq 'Guest' or mail eq null)", [1, 2, 12]);
        await expectFilter("not(mail eq 'x@y.z' or jobTitle eq 'retail manager')", except(1, 11));
      });
    });

    describe('lambdas and /$count', () => {
      test('any over a string collection, ignoring case', async () => {
        await expectFilter("otherMails/any(x:x eq 'gina@OUTLOOK.com')", [10]);
        await expectFilter("otherMails/any(x:startswith(x,'MEGAN'))", [12]);
        await expectFilter("otherMails/any(x:endswith(x,'@gmail.com'))", [1, 12]);
        await expectFilter("otherMails/any(x:x in ('pat@fabrikam.com', 'adele@gmail.com'))", [1, 8]);
        await expectFilter("otherMails/any(x:x ne 'gina@fabrikam.com')", [1, 8, 10, 12]);
      });

      test('any over proxyAddresses', async () => {
        await expectFilter("proxyAddresses/any(p:p eq 'smtp:adelev@contoso.com')", [1]);
        await expectFilter("proxyAddresses/any(p:endswith(p,'contoso.net'))", [2]);
        await expectFilter("proxyAddresses/any(p:startswith(p,'SMTP:'))", [1, 2]);
      });

      test('any over identities: both fields must hold on the same element', async () => {
        await expectFilter("identities/any(c:c/issuerAssignedId eq 'adelev@contoso.com' and c/issuer eq 'contoso.onmicrosoft.com')", [1]);
        await expectFilter("identities/any(c:c/signInType eq 'federated' and c/issuer eq 'ExternalAzureAD')", [8]);
        await expectFilter("identities/any(c:c/issuer eq 'contoso.onmicrosoft.com' and c/signInType eq 'federated')", []);
        await expectFilter("identities/any(c:c/issuerAssignedId eq null)", [8]);
        await expectFilter("identities/any(c:c/signInType eq 'userPrincipalName' or c/issuer eq 'contoso.com')", [1, 8, 10]);
      });

      test('not(any(...)) and all(...), which holds for empty collections', async () => {
        await expectFilter("not(otherMails/any(x:endswith(x,'@fabrikam.com')))", except(8, 10));
        await expectFilter("otherMails/all(x:endswith(x,'@fabrikam.com'))", except(1, 10, 12));
        await expectFilter("identities/all(c:c/issuerAssignedId ne null)", except(8));
        await expectFilter("identities/all(c:c/issuer eq 'contoso.onmicrosoft.com')", except(8, 10));
      });

      test('/$count', async () => {
        await expectFilter('otherMails/$count eq 0', except(1, 8, 10, 12));
        await expectFilter('otherMails/$count ne 0', [1, 8, 10, 12]);
        await expectFilter('otherMails/$count gt 1', [10, 12]);
        await expectFilter('identities/$count eq 2', [8]);
        await expectFilter("otherMails/$count eq 0 and not(proxyAddresses/$count eq 0)", [2]);
      });
    });

    test('filterToSql refuses unchecked trees with the validation errors', () => {
      assert.throws(() => filterToSql(parseFilter("nope eq 'x'"), catalog, target), { kind: 'unsupportedQuery', message: /Property 'nope' does not exist/ });
      assert.throws(() => filterToSql(parseFilter('displayName eq 1'), catalog, target), { kind: 'badRequest' });
      assert.throws(() => filterToSql(parseFilter('displayName eq mail'), catalog, target), { kind: 'unsupportedQuery' });
    });

    describe('$search', () => {
      test('a term matches the start of the value or of any word in it', async () => {
        await expectSearch('"displayName:al"', [2, 3]);
        await expectSearch('"displayName:WIL"', [2, 3]);
        await expectSearch('"displayName:lex"', []);
        await expectSearch('"displayName:alex wil"', [2, 3]);
      });

      test('punctuation separates words', async () => {
        await expectSearch('"mail:contoso"', [1, 2, 12]);
        await expectSearch('"mail:obrien"', [8]);
        await expectSearch('"displayName:brien"', [8]);
        await expectSearch('"displayName:score"', [6]);
        await expectSearch('"displayName:slash"', [9]);
      });

      test('LIKE wildcards in the term are literal', async () => {
        await expectSearch('"displayName:100%"', [4]);
        await expectSearch('"displayName:100"', [4, 5]);
        await expectSearch('"displayName:under_s"', [6]);
      });

      test('AND, OR, and a bare term over every searchable property', async () => {
        await expectSearch('"displayName:pat" AND "mail:fabrikam"', [8]);
        await expectSearch('"displayName:zed" OR "displayName:gina"', [10, 11]);
        await expectSearch('"gina"', [10]);
        await expectSearch('"contoso"', [1, 2, 12]);
        await expectSearch('"displayName:alex" AND "mail:alexw" OR "displayName:zed"', [2, 11]);
      });
    });

    describe('keyset paging', () => {
      /** Pages through the users with `orderBy` and `top`, returning the ids in visiting order. */
      const pageThrough = async (orderBy: string, top: number, filter?: string): Promise<string[]> => {
        const keys = resolveSortKeys(catalog, parseOrderBy(orderBy));
        const fingerprint = 'test';
        const seen: string[] = [];
        let token: string | null = null;
        for (let pages = 0; pages < 50; pages++) {
          let query = users().selectAll('users');
          if (filter) query = query.where(filterToSql(parseFilter(filter), catalog, target));
          if (token) query = query.where(keysetAfter(keys, decodeSkipToken(token, fingerprint), target));
          for (const { expression, direction } of orderByToSql(keys, target)) query = query.orderBy(expression, direction);
          const rows = await query.limit(top + 1).execute();
          seen.push(...rows.slice(0, top).map((row) => row.id));
          if (rows.length <= top) return seen;
          token = encodeSkipToken({ ...cursorAfter(keys, rows[top - 1]!), fingerprint });
        }
        throw new Error('paging did not end');
      };

      const unpaged = async (orderBy: string, filter?: string): Promise<string[]> => {
        const keys = resolveSortKeys(catalog, parseOrderBy(orderBy));
        let query = users().select('users.id');
        if (filter) query = query.where(filterToSql(parseFilter(filter), catalog, target));
        for (const { expression, direction } of orderByToSql(keys, target)) query = query.orderBy(expression, direction);
        return (await query.execute()).map((row) => row.id);
      };

      const orders = [
        'displayName',
        'displayName desc',
        'createdDateTime',
        'createdDateTime desc',
        'mail',
        'mail desc',
        'mail desc, displayName',
        'mail, displayName desc',
        'displayName, createdDateTime desc',
        'id desc',
      ];
      for (const orderBy of orders) {
        test(`$orderby=${orderBy}: every row exactly once, in order, for any page size`, async () => {
          const expected = await unpaged(orderBy);
          assert.equal(expected.length, seeds.length);
          assert.equal(new Set(expected).size, seeds.length);
          for (const top of [1, 2, 3, 5, 11, 12, 13]) {
            assert.deepEqual(await pageThrough(orderBy, top), expected, `top=${top}`);
          }
        });
      }

      test('the order is the one asked for: case-insensitive names, ties broken by id', async () => {
        const ascending = await unpaged('displayName');
        assert.deepEqual(ascending.slice(0, 4), [id(4), id(5), id(1), id(2)]);
        assert.deepEqual(ascending.slice(4, 5), [id(3)], 'Alex Wilber and alex wilber tie; the id decides');
        const descending = await unpaged('displayName desc');
        assert.deepEqual(descending.slice(0, 2), [id(11), id(7)]);
        assert.deepEqual(descending.slice(-5), [id(3), id(2), id(1), id(5), id(4)], 'descending ties are broken by descending id');
        const byTime = await unpaged('createdDateTime');
        assert.deepEqual(byTime.slice(0, 5), [id(1), id(12), id(4), id(5), id(6)]);
        assert.deepEqual(byTime.slice(-3), [id(3), id(10), id(8)]);
        const byMail = await unpaged('mail');
        const nullMails = [id(3), id(4), id(5), id(6), id(7), id(9), id(11)];
        const withMail = [id(1), id(2), id(10), id(12), id(8)];
        assert.deepEqual(byMail, dialect === 'sqlite' ? [...nullMails, ...withMail] : [...withMail, ...nullMails], 'nulls keep the dialect order');
      });

      test('paging combines with a filter', async () => {
        const filter = "mail ne null or startswith(displayName,'under')";
        const expected = await unpaged('displayName desc', filter);
        assert.equal(expected.length, 7);
        for (const top of [1, 2, 4]) assert.deepEqual(await pageThrough('displayName desc', top, filter), expected);
      });

      test('cursors that do not fit the sort are invalid skip tokens', () => {
        const keys = resolveSortKeys(catalog, parseOrderBy('createdDateTime'));
        const cursor = (sort: (string | null)[]): KeysetCursor => ({ sort, id: id(1) });
        assert.throws(() => keysetAfter(keys, cursor([]), target), { kind: 'badRequest', message: 'Invalid $skiptoken.' });
        assert.throws(() => keysetAfter(keys, cursor(['a', 'b']), target), { kind: 'badRequest', message: 'Invalid $skiptoken.' });
        assert.throws(() => keysetAfter(keys, cursor(['not a date']), target), { kind: 'badRequest', message: 'Invalid $skiptoken.' });
      });

      test('cursorAfter reads sort values from a row, datetimes in millisecond ISO form', async () => {
        const keys = resolveSortKeys(catalog, parseOrderBy('mail, createdDateTime desc'));
        const row = await users().selectAll('users').where('users.id', '=', id(3)).executeTakeFirstOrThrow();
        assert.deepEqual(cursorAfter(keys, row), { id: id(3), sort: [null, '2022-01-01T00:00:00.000Z'] });
        const eleven = await users().selectAll('users').where('users.id', '=', id(11)).executeTakeFirstOrThrow();
        assert.deepEqual(cursorAfter(keys, eleven).sort, [null, '2021-06-15T12:30:00.000Z']);
      });
    });
  });
}
