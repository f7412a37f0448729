import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/** OData query options on /users and /groups as Graph clients use them, including Graph's advanced-query rules. */
for (const dialect of testDialects) {
  describe(`Graph query options (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    const eventual = { consistencylevel: 'eventual' };
    const ids = (response: { body: any }) => response.body.value.map((u: any) => u.displayName).sort();

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      const people: [string, Record<string, unknown>][] = [
        ['Adele Vance', { givenName: 'Adele', jobTitle: 'Retail Manager', otherMails: ['adele@partner.example'], usageLocation: 'US' }],
        ['Alex Wilber', { givenName: 'Alex', jobTitle: 'Marketing', otherMails: [], usageLocation: 'NL' }],
        ['Megan Bowen', { givenName: 'Megan', jobTitle: 'Marketing', otherMails: ['megan@else.example', 'mb@partner.example'] }],
        ['Nestor Wilke', { givenName: 'Nestor', department: 'Operations', accountEnabled: false }],
      ];
      for (const [name, extra] of people) {
        const alias = name.split(' ')[0]!.toLowerCase();
        const response = await graph('POST', '/users', {
          accountEnabled: true,
          displayName: name,
          mailNickname: alias,
          userPrincipalName: `${alias}@${h.tenant.domain}`,
          mail: `${alias}@contoso.example`,
          passwordProfile: { password: 'Str0ng!Passw0rd' },
          ...extra,
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
      }
    });
    after(() => h.close());

    test('$filter eq, startswith, in, any(), boolean, and/or', async () => {
      assert.deepEqual(ids(await graph('GET', "/users?$filter=displayName eq 'adele vance'")), ['Adele Vance']);
      assert.deepEqual(ids(await graph('GET', "/users?$filter=startswith(displayName,'ad')")), ['Adele Vance', 'Administrator']);
      assert.deepEqual(ids(await graph('GET', "/users?$filter=givenName in ('Megan','Nestor')")), ['Megan Bowen', 'Nestor Wilke']);
      assert.deepEqual(ids(await graph('GET', "/users?$filter=otherMails/any(x:x eq 'mb@partner.example')")), ['Megan Bowen']);
      assert.deepEqual(ids(await graph('GET', "/users?$filter=proxyAddresses/any(p:startswith(p,'SMTP:alex'))")), ['Alex Wilber']);
      assert.deepEqual(ids(await graph('GET', '/users?$filter=accountEnabled eq false')), ['Nestor Wilke']);
      assert.deepEqual(ids(await graph('GET', "/users?$filter=jobTitle eq 'Marketing' and usageLocation eq 'NL'")), ['Alex Wilber']);
      assert.deepEqual(ids(await graph('GET', "/users?$filter=givenName eq 'Adele' or givenName eq 'Nestor'")), ['Adele Vance', 'Nestor Wilke']);
      const identities = await graph('GET', `/users?$filter=identities/any(c:c/issuerAssignedId eq 'x@y.example' and c/issuer eq '${h.tenant.domain}')`);
      assert.equal(identities.status, 200);
    });

    test('advanced queries need ConsistencyLevel: eventual and $count=true', async () => {
      const ne = await graph('GET', "/users?$filter=jobTitle ne 'Marketing'");
      assert.equal(ne.status, 400);
      assert.equal(ne.body.error.code, 'Request_UnsupportedQuery');
      const withHeader = await graph('GET', "/users?$filter=jobTitle ne 'Marketing'&$count=true", undefined, eventual);
      assert.equal(withHeader.status, 200);
      assert.ok(!ids(withHeader).includes('Alex Wilber'));
      assert.equal(withHeader.body['@odata.count'], withHeader.body.value.length);
      const ends = await graph('GET', "/users?$filter=endswith(mail,'@contoso.example')&$count=true", undefined, eventual);
      assert.equal(ends.body['@odata.count'], 4);
      const none = await graph('GET', '/users?$filter=otherMails/$count eq 0&$count=true', undefined, eventual);
      assert.ok(ids(none).includes('Alex Wilber') && !ids(none).includes('Megan Bowen'));
    });

    test('$count: the /$count segment needs the header; $count=true without it is ignored', async () => {
      const plain = await graph('GET', '/users/$count');
      assert.equal(plain.status, 400);
      assert.equal(plain.body.error.code, 'Request_BadRequest');
      const counted = await graph('GET', '/users/$count', undefined, eventual);
      assert.equal(counted.status, 200);
      assert.equal(counted.text, '5');
      assert.match(String(counted.headers['content-type']), /text\/plain/);
      const filtered = await graph('GET', "/users/$count?$filter=jobTitle eq 'Marketing'", undefined, eventual);
      assert.equal(filtered.text, '2');
      const ignored = await graph('GET', '/users?$count=true');
      assert.equal(ignored.status, 200);
      assert.equal(ignored.body['@odata.count'], undefined);
    });

    test('$search needs the header and matches word prefixes', async () => {
      const without = await graph('GET', '/users?$search="displayName:wil"');
      assert.equal(without.status, 400);
      assert.equal(without.body.error.code, 'Request_UnsupportedQuery');
      assert.match(without.body.error.message, /ConsistencyLevel/);
      const found = await graph('GET', '/users?$search="displayName:wil"&$count=true', undefined, eventual);
      assert.deepEqual(ids(found), ['Alex Wilber', 'Nestor Wilke']);
      const either = await graph('GET', '/users?$search="displayName:megan" OR "displayName:adele"', undefined, eventual);
      assert.deepEqual(ids(either), ['Adele Vance', 'Megan Bowen']);
    });

    test('$orderby displayName desc, and paging keeps the order', async () => {
      const all = await graph('GET', '/users?$orderby=displayName desc&$select=displayName');
      assert.deepEqual(all.body.value.map((u: any) => u.displayName), ['Nestor Wilke', 'Megan Bowen', 'Alex Wilber', 'Administrator', 'Adele Vance']);
      const seen: string[] = [];
      let url: string | undefined = '/users?$orderby=displayName desc&$select=displayName&$top=2';
      while (url) {
        const page = await graph('GET', url);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.match(page.body['@odata.context'], /#users\(displayName\)$/);
        seen.push(...page.body.value.map((u: any) => u.displayName));
        const next: string | undefined = page.body['@odata.nextLink'];
        url = next ? next.slice(next.indexOf('/v1.0')) : undefined;
      }
      assert.deepEqual(seen, all.body.value.map((u: any) => u.displayName));
      const advanced = await graph('GET', '/users?$orderby=givenName');
      assert.equal(advanced.status, 400);
    });

    test('a $skiptoken only works for the query that issued it', async () => {
      const first = await graph('GET', '/users?$top=1');
      const token = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken');
      const reused = await graph('GET', `/users?$top=1&$filter=accountEnabled eq true&$skiptoken=${token}`);
      assert.equal(reused.status, 400);
      assert.match(reused.body.error.message, /skiptoken/i);
      assert.equal((await graph('GET', '/users?$skiptoken=garbage')).status, 400);
    });

    test('bad query options get Graph errors', async () => {
      const cases: [string, number, string, RegExp][] = [
        ["/users?$filter=displayName eq 'x' and", 400, 'Request_BadRequest', /filter|Syntax/i],
        ["/users?$filter=displayName like 'x'", 400, 'Request_BadRequest', /like|Syntax/i],
        ["/users?$filter=shoeSize eq 'x'", 400, 'Request_UnsupportedQuery', /shoeSize/],
        ['/users?$filter=accountEnabled ge true', 400, 'Request_UnsupportedQuery', /accountEnabled/],
        ['/users?$top=0', 400, 'Request_BadRequest', /page size|\$top/i],
        ['/users?$top=1000', 400, 'Request_BadRequest', /999/],
        ['/users?$top=abc', 400, 'Request_BadRequest', /abc|page size/i],
        ['/users?$skip=5', 400, 'Request_BadRequest', /\$skip/],
        ['/users?$count=maybe', 400, 'Request_BadRequest', /\$count/],
        ['/users?$search="displayName:x', 400, 'Request_BadRequest', /search/i],
      ];
      for (const [url, status, code, message] of cases) {
        const response = await graph('GET', url, undefined, url.includes('$search') ? eventual : {});
        assert.equal(response.status, status, `${url}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, code, url);
        assert.match(response.body.error.message, message, url);
      }
    });

    test('groups: $filter, $search and $count', async () => {
      for (const [name, nick] of [['Sales Team', 'sales'], ['Support Team', 'support'], ['Finance', 'finance']]) {
        await graph('POST', '/groups', { displayName: name, mailNickname: nick, mailEnabled: false, securityEnabled: true });
      }
      assert.deepEqual(ids(await graph('GET', "/groups?$filter=startswith(displayName,'S')")), ['Sales Team', 'Support Team']);
      assert.deepEqual(ids(await graph('GET', '/groups?$search="displayName:team"', undefined, eventual)), ['Sales Team', 'Support Team']);
      assert.equal((await graph('GET', '/groups/$count', undefined, eventual)).text, '3');
    });
  });
}
