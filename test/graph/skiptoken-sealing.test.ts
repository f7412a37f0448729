import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createContainer } from '../../src/container.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { encodeSkipToken, queryFingerprint } from '../../src/kernel/odata/index.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, testConfig, type Harness } from '../helpers/server.ts';

/**
 * `$skiptoken` is sealed with a key derived from TESSERA_SECRET: a client can neither read nor edit
 * it, and a token only works for the tenant and the query that issued it, on any node that shares
 * the secret.
 */
const tokenOf = (nextLink: string) => new URL(nextLink).searchParams.get('$skiptoken')!;
const pathOf = (nextLink: string) => {
  const url = new URL(nextLink);
  return `${url.pathname}${url.search}`;
};
const flip = (token: string, at: number) => `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;

for (const dialect of testDialects) {
  describe(`sealed $skiptoken (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let groupId: string;
    let otherGroupId: string;
    const userIds: string[] = [];

    const invalid = (response: { status: number; body: any }, label: string) => {
      assert.equal(response.status, 400, `${label}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      assert.equal(response.body.error.code, 'Request_BadRequest', label);
      assert.match(response.body.error.message, /skiptoken/i, label);
    };

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      for (const name of ['Ada', 'Bo', 'Cy', 'Di']) {
        const user = await graph('POST', '/users', { accountEnabled: true, displayName: `Pager ${name}`, mailNickname: name.toLowerCase(), userPrincipalName: `${name.toLowerCase()}@${h.tenant.domain}`, passwordProfile: { password: 'Str0ng!Passw0rd' } });
        userIds.push(user.body.id);
      }
      groupId = (await graph('POST', '/groups', { displayName: 'Paged', mailNickname: 'paged', mailEnabled: false, securityEnabled: true })).body.id;
      otherGroupId = (await graph('POST', '/groups', { displayName: 'Other', mailNickname: 'other', mailEnabled: false, securityEnabled: true })).body.id;
      for (const id of userIds) {
        for (const group of [groupId, otherGroupId]) {
          await graph('POST', `/groups/${group}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
        }
      }
    });
    after(() => h.close());

    test('a collection token is not readable: the cursor is not in it', async () => {
      const first = await graph('GET', '/users?$top=1&$orderby=displayName');
      const token = tokenOf(first.body['@odata.nextLink']);
      const text = Buffer.from(token, 'base64url').toString('latin1');
      assert.ok(!text.includes(first.body.value[0].id), 'the last id is readable in the token');
      assert.ok(!text.includes(first.body.value[0].displayName), 'the last sort value is readable in the token');
    });

    test('following nextLinks still pages through everything exactly once', async () => {
      const seen: string[] = [];
      let response = await graph('GET', "/users?$top=1&$filter=startswith(displayName,'Pager')");
      for (;;) {
        assert.equal(response.status, 200, JSON.stringify(response.body));
        seen.push(...response.body.value.map((u: any) => u.displayName));
        const next = response.body['@odata.nextLink'];
        if (!next) break;
        response = await graph('GET', pathOf(next));
      }
      assert.deepEqual(seen.sort(), ['Pager Ada', 'Pager Bo', 'Pager Cy', 'Pager Di']);
    });

    test('an edited collection token is refused', async () => {
      const first = await graph('GET', '/users?$top=1');
      const next = first.body['@odata.nextLink'];
      const token = tokenOf(next);
      for (const at of [0, Math.floor(token.length / 3), Math.floor(token.length / 2), token.length - 1]) {
        invalid(await graph('GET', `/users?$top=1&$skiptoken=${flip(token, at)}`), `flipped at ${at}`);
      }
      invalid(await graph('GET', `/users?$top=1&$skiptoken=${token.slice(0, -2)}`), 'truncated');
      invalid(await graph('GET', `/users?$top=1&$skiptoken=${token}${token}`), 'doubled');
    });

    test('a token forged in the readable format is refused', async () => {
      // what any client could build before: base64url JSON of [fingerprint of the query texts, id, sort values]
      const fingerprint = queryFingerprint(['', '', '', '', '/v1.0/users']);
      const forged = encodeSkipToken({ fingerprint, id: '00000000-0000-0000-0000-000000000000', sort: [] });
      invalid(await graph('GET', `/users?$top=1&$skiptoken=${forged}`), 'forged');
      const forgedTail = encodeSkipToken({ fingerprint, id: 'ffffffff-ffff-ffff-ffff-ffffffffffff', sort: [] });
      invalid(await graph('GET', `/users?$top=1&$skiptoken=${forgedTail}`), 'forged past the end');
    });

    test('a token from another query is refused', async () => {
      const first = await graph('GET', '/users?$top=1');
      const token = tokenOf(first.body['@odata.nextLink']);
      invalid(await graph('GET', `/users?$top=1&$filter=accountEnabled eq true&$skiptoken=${token}`), 'other filter');
      invalid(await graph('GET', `/users?$top=1&$select=id&$skiptoken=${token}`), 'other select');
      invalid(await graph('GET', `/groups?$top=1&$skiptoken=${token}`), 'other collection');
      invalid(await graph('GET', `/groups/${groupId}/members?$top=1&$skiptoken=${token}`), 'a collection token on a relationship');
    });

    test('a token from another tenant is refused, even for the same query', async () => {
      const domain = `fabrikam${process.pid}.example`;
      const { tenant, adminUserId } = await h.container.tenants.create({ displayName: 'Fabrikam', domain, countryLetterCode: 'NL', admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
      const other = graphCaller(h.app, h.tokens.user(tenant.id, adminUserId!, ['Directory.ReadWrite.All']));
      for (const name of ['Ed', 'Flo']) {
        await other('POST', '/users', { accountEnabled: true, displayName: name, mailNickname: name.toLowerCase(), userPrincipalName: `${name.toLowerCase()}@${domain}`, passwordProfile: { password: 'Str0ng!Passw0rd' } });
      }
      const first = await graph('GET', '/users?$top=1');
      const token = tokenOf(first.body['@odata.nextLink']);
      invalid(await other('GET', `/users?$top=1&$skiptoken=${token}`), 'collection token in another tenant');
      const members = await graph('GET', `/groups/${groupId}/members?$top=1`);
      invalid(await other('GET', `/users/${adminUserId}/memberOf?$top=1&$skiptoken=${tokenOf(members.body['@odata.nextLink'])}`), 'relationship token in another tenant');
    });

    test('relationship tokens are sealed too, and bound to the object they page', async () => {
      const first = await graph('GET', `/groups/${groupId}/members?$top=1`);
      const next = first.body['@odata.nextLink'];
      const token = tokenOf(next);
      assert.ok(!Buffer.from(token, 'base64url').toString('latin1').includes(first.body.value[0].id), 'the last id is readable in the token');
      const seen = [first.body.value[0].id];
      let response = await graph('GET', pathOf(next));
      for (;;) {
        assert.equal(response.status, 200);
        seen.push(...response.body.value.map((m: any) => m.id));
        if (!response.body['@odata.nextLink']) break;
        response = await graph('GET', pathOf(response.body['@odata.nextLink']));
      }
      assert.deepEqual([...seen].sort(), [...userIds].sort());
      invalid(await graph('GET', `/groups/${groupId}/members?$top=1&$skiptoken=${Buffer.from(userIds[0]!).toString('base64url')}`), 'forged id token');
      invalid(await graph('GET', `/groups/${groupId}/members?$top=1&$skiptoken=${flip(token, Math.floor(token.length / 2))}`), 'edited');
      invalid(await graph('GET', `/groups/${otherGroupId}/members?$top=1&$skiptoken=${token}`), 'another group');
      invalid(await graph('GET', `/groups/${groupId}/owners?$top=1&$skiptoken=${token}`), 'another relationship');
      invalid(await graph('GET', `/users?$top=1&$skiptoken=${token}`), 'a relationship token on a collection');
      // computed relationships (transitive, memberOf) use the same sealing
      const memberOf = await graph('GET', `/users/${userIds[0]}/memberOf?$top=1`);
      const memberOfToken = tokenOf(memberOf.body['@odata.nextLink']);
      assert.equal((await graph('GET', pathOf(memberOf.body['@odata.nextLink']))).status, 200);
      invalid(await graph('GET', `/users/${userIds[1]}/memberOf?$top=1&$skiptoken=${memberOfToken}`), 'another user');
      invalid(await graph('GET', `/users/${userIds[0]}/memberOf?$top=1&$skiptoken=${Buffer.from(groupId).toString('base64url')}`), 'forged memberOf token');
    });

    describe('across nodes and restarts', () => {
      const servers: FastifyInstance[] = [];
      const node = async (secret?: string) => {
        const container = await createContainer(testConfig(secret ? { secret } : {}), { database: h.db, logger: createLogger('silent'), migrate: false });
        container.tokenVerifier = h.container.tokenVerifier;
        const app = await buildServer(container);
        await app.ready();
        servers.push(app);
        return graphCaller(app, h.tenant.adminToken);
      };
      after(async () => {
        for (const app of servers) await app.close();
      });

      test('another node (or this one restarted) with the same secret continues the paging', async () => {
        const first = await graph('GET', '/users?$top=2&$orderby=displayName');
        const next = first.body['@odata.nextLink'];
        const here = await graph('GET', pathOf(next));
        const there = await (await node())('GET', pathOf(next));
        assert.equal(there.status, 200, JSON.stringify(there.body));
        assert.deepEqual(there.body.value.map((u: any) => u.id), here.body.value.map((u: any) => u.id));
        const members = await graph('GET', `/groups/${groupId}/members?$top=1`);
        assert.equal((await (await node())('GET', pathOf(members.body['@odata.nextLink']))).status, 200);
      });

      test('a node with another secret refuses the token', async () => {
        const first = await graph('GET', '/users?$top=1');
        invalid(await (await node('another-secret-0123456789abcdef'))('GET', pathOf(first.body['@odata.nextLink'])), 'other secret');
      });
    });
  });
}
