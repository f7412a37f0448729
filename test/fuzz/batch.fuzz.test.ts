import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { fuzzOptions } from './fuzz-runs.ts';
import { anyText, filterText } from './odata-arbitraries.ts';

/**
 * Issue 13 item 4: for any `$batch` body (random item lists, ids, methods, urls, headers, bodies,
 * dependencies), the batch answers a Graph error with a 4xx status, or 200 with every item's
 * status below 500: never a 500, for the batch or inside it.
 */
for (const dialect of testDialects) {
  describe(`$batch never answers 5xx (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let victimId: string;
    let groupId: string;

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      victimId = (await graph('POST', '/users', {
        accountEnabled: true,
        displayName: 'Victim',
        mailNickname: 'victim',
        userPrincipalName: `victim@${h.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
      })).body.id;
      groupId = (await graph('POST', '/groups', { displayName: 'Batch', mailNickname: 'batch', mailEnabled: false, securityEnabled: true })).body.id;
    });
    after(() => h.close());

    test('random batches', async () => {
      const url = fc.oneof(
        fc.constantFrom(
          () => '/users',
          () => `/users/${victimId}`,
          () => `users/${victimId}?$select=displayName,jobTitle`,
          () => '/me',
          () => '/groups',
          () => `/groups/${groupId}/members`,
          () => `/groups/${groupId}/members/$ref`,
          () => `/directoryObjects/${victimId}`,
          () => '/directoryObjects/getByIds',
          () => `/organization/${h.tenant.id}`,
          () => '/$batch',
          () => '/../dev/mail',
          () => '/users/%2e%2e/%2e%2e/healthz',
          () => 'https://graph.microsoft.com/v1.0/users',
          () => '\\users',
          () => '/users/not-a-guid',
        ).map((make) => make()),
        filterText.map((f) => `/users?$filter=${encodeURIComponent(f)}`),
        anyText,
      );
      const body = fc.oneof(
        fc.constant(undefined),
        fc.jsonValue(),
        fc.record({ displayName: fc.string({ maxLength: 10 }), jobTitle: fc.option(fc.string({ maxLength: 10 })) }, { requiredKeys: [] }),
        fc.constant({ '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/%E0%A4%A' }),
        fc.constant({ ids: ['x'], types: ['user'] }),
      );
      const item = fc.record(
        {
          id: fc.oneof(fc.nat(30).map(String), fc.string({ maxLength: 6 }), fc.constant(1 as unknown as string)),
          method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'get', 'TRACE', ''),
          url,
          headers: fc.oneof(fc.constant({ 'content-type': 'application/json' }), fc.dictionary(fc.constantFrom('content-type', 'ConsistencyLevel', 'x-forwarded-for', 'authorization', 'host', 'X'), fc.string({ maxLength: 12 }), { maxKeys: 3 }), fc.constant(undefined)),
          body,
          dependsOn: fc.option(fc.array(fc.oneof(fc.nat(30).map(String), fc.string({ maxLength: 3 })), { maxLength: 3 }), { nil: undefined }),
        },
        { requiredKeys: ['id', 'method', 'url'] },
      );
      const batch = fc.oneof(
        { arbitrary: fc.record({ requests: fc.array(item, { maxLength: 8 }) }), weight: 6 },
        fc.record({ requests: fc.array(item, { minLength: 19, maxLength: 22 }) }),
        fc.jsonValue(),
      );
      await fc.assert(
        fc.asyncProperty(batch, fc.constantFrom('/v1.0/$batch', '/beta/$batch'), async (payload, path) => {
          const response = await graph('POST', path, JSON.stringify(payload) ?? 'null');
          const summary = `${response.status}: ${response.text.slice(0, 400)}\nfor ${String(JSON.stringify(payload)).slice(0, 600)}`;
          assert.ok(response.status < 500, summary);
          if (response.status !== 200) {
            assert.match(response.body.error.code, /^Request_|^BadRequest$/, summary);
            return;
          }
          for (const answer of response.body.responses) assert.ok(answer.status < 500, `item ${answer.id} answered ${answer.status}: ${String(JSON.stringify(answer.body)).slice(0, 300)}`);
        }),
        fuzzOptions(60),
      );
    });
  });
}
