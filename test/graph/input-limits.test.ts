import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRAPH_BODY_LIMIT, GRAPH_JSON_MAX_DEPTH } from '../../src/http/graph/graph-limits.ts';
import { ODATA_LIMITS } from '../../src/kernel/odata/limits.ts';
import { GROUP_LIMITS } from '../../src/modules/directory/group.schemas.ts';
import { ORGANIZATION_LIMITS } from '../../src/modules/directory/organization.schemas.ts';
import { USER_LIMITS, userBodySpec } from '../../src/modules/directory/user.schemas.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph, type GraphResponse } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';

/**
 * Issue 13 item 3: every writable property has Graph's limits, bodies are capped far below 4 MB,
 * query options have length/depth/node/count limits. Over a limit is a 4xx naming the limit,
 * and nothing changes.
 */

/** A value of exactly `length` characters that the property's own format rule accepts. */
function valueOf(property: string, length: number): string {
  if (property === 'mail') return `${'m'.repeat(length - '@contoso.example'.length)}@contoso.example`;
  if (property === 'usageLocation') return 'NLD'.slice(0, length);
  if (property === 'preferredLanguage') return length <= 5 ? 'en-US'.slice(0, length) : `en-US${'x'.repeat(length - 5)}`;
  return 'x'.repeat(length);
}

const email = (length: number, n = 0) => `${String(n).padStart(4, '0')}${'e'.repeat(length - 4 - '@partner.example'.length)}@partner.example`;

for (const dialect of testDialects) {
  describe(`Graph input limits (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let userId: string;
    let groupId: string;

    /** asserts a Graph error naming the limit, and that the tenant's data did not change */
    const refused = async (call: () => Promise<GraphResponse>, status: number, message: RegExp) => {
      const before = await isolationTablesSnapshot(h.db, h.tenant.id);
      const response = await call();
      assert.equal(response.status, status, response.text.slice(0, 500));
      assert.equal(response.body.error.code.startsWith('Request_'), true, response.text.slice(0, 500));
      assert.match(response.body.error.message, message);
      assert.deepEqual(await isolationTablesSnapshot(h.db, h.tenant.id), before, 'a refused request changed data');
    };

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      const user = await graph('POST', '/users', {
        accountEnabled: true,
        displayName: 'Limits',
        mailNickname: 'limits',
        userPrincipalName: `limits@${h.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
      });
      userId = user.body.id;
      const group = await graph('POST', '/groups', { displayName: 'Limits', mailNickname: 'limits', mailEnabled: false, securityEnabled: true });
      groupId = group.body.id;
    });
    after(() => h.close());

    test('every string property of the user table: its limit is accepted, one character more is refused', async () => {
      const limited = Object.entries(userBodySpec).filter(([, spec]) => spec.type === 'string' && spec.writable !== false && spec.maxLength !== undefined);
      assert.ok(limited.length >= 18, 'the user table declares its string limits');
      for (const [property, spec] of limited) {
        const max = spec.maxLength!;
        if (property !== 'preferredLanguage') {
          const ok = await graph('PATCH', `/users/${userId}`, { [property]: valueOf(property, max) });
          assert.equal(ok.status, 204, `${property} at its limit of ${max}: ${ok.text}`);
        }
        await refused(() => graph('PATCH', `/users/${userId}`, { [property]: valueOf(property, max + 1) }), 400, new RegExp(`'${property}': longer than the limit of ${max} characters`));
      }
    });

    test('properties Graph limits but today took without limit: password policies, UPN parts, password', async () => {
      await refused(() => graph('PATCH', `/users/${userId}`, { passwordPolicies: 'x'.repeat(100_000) }), 400, /'passwordPolicies': longer than the limit of 256/);
      const upn = (local: number, domain = h.tenant.domain) => `${'u'.repeat(local)}@${domain}`;
      await refused(() => graph('PATCH', `/users/${userId}`, { userPrincipalName: upn(USER_LIMITS.userPrincipalName.local + 1) }), 400, /before '@' is longer than the limit of 64/);
      await refused(() => graph('PATCH', `/users/${userId}`, { userPrincipalName: upn(10, `${'d'.repeat(45)}.example`) }), 400, /after '@' is longer than the limit of 48/);
      await refused(() => graph('PATCH', `/users/${userId}`, { passwordProfile: { password: `Aa1!${'x'.repeat(60_000)}` } }), 400, /'passwordProfile\.password': longer than the limit of 256/);
      await refused(() => graph('PATCH', `/users/${userId}`, { mailNickname: 'café' }), 400, /'mailNickname': may only contain ASCII/);
    });

    test('businessPhones holds one number; otherMails at most 250 addresses of 250 characters', async () => {
      assert.equal((await graph('PATCH', `/users/${userId}`, { businessPhones: ['+31 20 123 4567'] })).status, 204);
      await refused(() => graph('PATCH', `/users/${userId}`, { businessPhones: ['+31 20 123 4567', '+31 20 765 4321'] }), 400, /'businessPhones': it has 2 entries; the limit is 1 entry/);
      await refused(() => graph('PATCH', `/users/${userId}`, { businessPhones: ['1'.repeat(65)] }), 400, /'businessPhones': an entry is longer than the limit of 64/);
      const { maxItems, itemMaxLength } = USER_LIMITS.otherMails;
      const many = (n: number) => Array.from({ length: n }, (_, i) => email(40, i));
      assert.equal((await graph('PATCH', `/users/${userId}`, { otherMails: many(maxItems) })).status, 204);
      assert.equal((await graph('PATCH', `/users/${userId}`, { otherMails: [email(itemMaxLength)] })).status, 204);
      await refused(() => graph('PATCH', `/users/${userId}`, { otherMails: many(maxItems + 1) }), 400, /'otherMails': it has 251 entries; the limit is 250 entries/);
      await refused(() => graph('PATCH', `/users/${userId}`, { otherMails: [email(itemMaxLength + 1)] }), 400, /'otherMails': an entry is longer than the limit of 250/);
    });

    test('a maximal user (every property at its limit) fits the Graph body limit and is created', async () => {
      const strings = Object.fromEntries(
        Object.entries(userBodySpec)
          .filter(([name, spec]) => spec.type === 'string' && spec.writable !== false && spec.maxLength !== undefined && !['preferredLanguage', 'mailNickname'].includes(name))
          .map(([name, spec]) => [name, valueOf(name, spec.maxLength!)]),
      );
      const body = {
        ...strings,
        accountEnabled: true,
        usageLocation: 'NL',
        preferredLanguage: 'en-US',
        mailNickname: 'n'.repeat(USER_LIMITS.mailNickname),
        userPrincipalName: `${'m'.repeat(USER_LIMITS.userPrincipalName.local)}@${h.tenant.domain}`,
        passwordProfile: { password: `Aa1!${'p'.repeat(USER_LIMITS.password - 4)}`, forceChangePasswordNextSignIn: true },
        businessPhones: ['1'.repeat(USER_LIMITS.businessPhones.itemMaxLength)],
        otherMails: Array.from({ length: USER_LIMITS.otherMails.maxItems }, (_, i) => email(USER_LIMITS.otherMails.itemMaxLength, i)),
      };
      const size = Buffer.byteLength(JSON.stringify(body));
      assert.ok(size < GRAPH_BODY_LIMIT, `a maximal user is ${size} bytes`);
      const created = await graph('POST', '/users', body);
      assert.equal(created.status, 201, created.text.slice(0, 300));
      assert.equal(created.body.otherMails, undefined); // not a default property; read it back
      assert.equal((await graph('GET', `/users/${created.body.id}?$select=otherMails`)).body.otherMails.length, USER_LIMITS.otherMails.maxItems);
    });

    test('group and organization limits', async () => {
      await refused(() => graph('PATCH', `/groups/${groupId}`, { description: 'd'.repeat(GROUP_LIMITS.description + 1) }), 400, /'description': longer than the limit of 1024/);
      await refused(() => graph('PATCH', `/groups/${groupId}`, { displayName: 'd'.repeat(GROUP_LIMITS.displayName + 1) }), 400, /'displayName': longer than the limit of 256/);
      await refused(() => graph('PATCH', `/groups/${groupId}`, { groupTypes: ['Unified', 'Unified', 'Unified'] }), 400, /'groupTypes': it has 3 entries; the limit is 2/);
      const org = `/organization/${h.tenant.id}`;
      const mails = Array.from({ length: ORGANIZATION_LIMITS.technicalNotificationMails.maxItems + 1 }, (_, i) => email(30, i));
      await refused(() => graph('PATCH', org, { technicalNotificationMails: mails }), 400, /'technicalNotificationMails': it has 21 entries; the limit is 20/);
      const longUrl = `https://contoso.example/${'p'.repeat(ORGANIZATION_LIMITS.privacyProfile.statementUrl)}`;
      await refused(() => graph('PATCH', org, { privacyProfile: { statementUrl: longUrl } }), 400, /statementUrl is longer than the limit of 2048/);
      await refused(() => graph('PATCH', `/beta${org}/branding`, { logoUrl: longUrl }), 400, /'logoUrl': longer than the limit of 2048/);
    });

    test(`a body over ${GRAPH_BODY_LIMIT} bytes is refused with 413 naming the limit, before it is parsed`, async () => {
      // Valid in every other way: 700 addresses of 200 characters (each under the per-entry limit).
      const otherMails = Array.from({ length: 700 }, (_, i) => email(200, i));
      await refused(() => graph('PATCH', `/users/${userId}`, { otherMails }), 413, new RegExp(`larger than the limit of ${GRAPH_BODY_LIMIT} bytes`));
      await refused(() => graph('POST', '/groups', JSON.stringify({ displayName: 'x', pad: 'y'.repeat(3_000_000) })), 413, /larger than the limit/);
      // just under the limit it is parsed and judged on its content
      const justUnder = JSON.stringify({ displayName: 'z'.repeat(GRAPH_BODY_LIMIT - 100) });
      await refused(() => graph('PATCH', `/users/${userId}`, justUnder), 400, /'displayName': longer than the limit of 256/);
    });

    test(`JSON nested deeper than ${GRAPH_JSON_MAX_DEPTH} levels is refused naming the limit`, async () => {
      const nested = (depth: number) => `{"free":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
      await refused(() => graph('PATCH', `/users/${userId}`, nested(GRAPH_JSON_MAX_DEPTH + 1)), 400, new RegExp(`nested deeper than the limit of ${GRAPH_JSON_MAX_DEPTH} levels`));
      await refused(() => graph('PATCH', `/users/${userId}`, nested(50_000)), 400, /nested deeper than the limit/);
      // inside a $batch item, the deep body used to reach JSON.stringify and end in a 500
      const batch = `{"requests":[{"id":"1","method":"PATCH","url":"/users/${userId}","headers":{"content-type":"application/json"},"body":{"displayName":${'['.repeat(20_000)}${']'.repeat(20_000)}}}]}`;
      await refused(() => graph('POST', '/$batch', batch), 400, /nested deeper than the limit/);
    });

    test('$filter: length, nesting depth, node count and in-list limits are 400s naming the limit', async () => {
      const { filter } = ODATA_LIMITS;
      const list = (query: string) => graph('GET', `/users?${query}`);
      await refused(() => list(`$filter=displayName eq '${'x'.repeat(filter.maxLength)}'`), 400, /\$filter query option is longer than the limit of 4096/);
      await refused(() => list(`$filter=${'('.repeat(2000)}displayName eq 'a'${')'.repeat(2000)}`), 400, /maximum nesting depth of 16/);
      await refused(() => list(`$filter=${'('.repeat(100_000)}displayName eq 'a'${')'.repeat(100_000)}`), 400, /longer than the limit/);
      await refused(() => list(`$filter=${'not '.repeat(500)}startswith(displayName,'a')`), 400, /maximum nesting depth of 16/);
      const clauses = Array.from({ length: 51 }, (_, i) => `displayName eq '${i}'`).join(' or ');
      await refused(() => list(`$filter=${encodeURIComponent(clauses)}`), 400, /more than 100 expressions/);
      const values = (n: number) => Array.from({ length: n }, (_, i) => `'v${i}'`).join(',');
      await refused(() => list(`$filter=displayName in (${values(filter.maxInValues + 1)})&$count=true`), 400, /'in' list in \$filter exceeds the limit of 100 values/);
      // Graph: more than 15 values make an advanced query
      await refused(() => list(`$filter=displayName in (${values(16)})`), 400, /more than 15 values in 'in'/);
      assert.equal((await graph('GET', `/users?$filter=displayName in (${values(16)})&$count=true`, undefined, { consistencylevel: 'eventual' })).status, 200);
      assert.equal((await list(`$filter=displayName in (${values(15)})`)).status, 200);
    });

    test('$search, $select and $orderby limits', async () => {
      const eventual = { consistencylevel: 'eventual' };
      const terms = Array.from({ length: ODATA_LIMITS.search.maxClauses + 1 }, (_, i) => `"displayName:t${i}"`).join(' OR ');
      await refused(() => graph('GET', `/users?$search=${encodeURIComponent(terms)}`, undefined, eventual), 400, /\$search query option has more than 16 clauses/);
      await refused(() => graph('GET', `/users?$search="${'s'.repeat(ODATA_LIMITS.search.maxLength)}"`, undefined, eventual), 400, /\$search query option is longer than the limit of 1024/);
      await refused(() => graph('GET', `/users?$select=${Array(ODATA_LIMITS.select.maxItems + 1).fill('id').join(',')}`), 400, /\$select query option has more than 64 items/);
      await refused(() => graph('GET', `/groups?$orderby=${Array(ODATA_LIMITS.orderBy.maxItems + 1).fill('displayName').join(',')}`), 400, /\$orderby query option has more than 4 items/);
    });
  });
}
