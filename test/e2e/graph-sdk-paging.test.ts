import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * Acceptance: 250 users created through the Graph API with the real Graph SDK, then paged with its
 * PageIterator ($top=50, $filter, $select) over HTTPS: every user exactly once.
 */
const tls = testTls();

for (const dialect of testDialects) {
  describe(`Graph SDK end to end (${dialect})`, { skip: tls ? false : 'no test TLS certificate (run through npm test)' }, () => {
    let h: Harness;
    let client: Client;
    before(async () => {
      h = await createHarness(dialect, { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key } } });
      const base = h.container.config.baseUrl;
      client = Client.init({
        authProvider: (done) => done(null, h.tenant.adminToken),
        baseUrl: `${base}/`,
        defaultVersion: 'v1.0',
        customHosts: new Set(['127.0.0.1']),
      });
    });
    after(() => h.close());

    test('creates 250 users and pages through them exactly once each', async () => {
      const created = new Set<string>();
      for (let i = 0; i < 250; i++) {
        const alias = `pager${String(i).padStart(3, '0')}`;
        const user = await client.api('/users').post({
          accountEnabled: true,
          displayName: `Pager ${String(i).padStart(3, '0')}`,
          mailNickname: alias,
          userPrincipalName: `${alias}@${h.tenant.domain}`,
          passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
        });
        created.add(user.id);
      }
      const seen: string[] = [];
      const first = await client.api('/users').top(50).filter("startswith(displayName,'Pager')").select('id,displayName').get();
      const iterator = new PageIterator(client, first, (user: { id: string; displayName: string }) => {
        assert.deepEqual(Object.keys(user).sort(), ['displayName', 'id']);
        seen.push(user.id);
        return true;
      });
      assert.equal(first.value.length, 50);
      assert.match(first['@odata.nextLink'], /\$skiptoken=/);
      await iterator.iterate();
      assert.equal(seen.length, 250);
      assert.equal(new Set(seen).size, 250);
      assert.deepEqual([...seen].sort(), [...created].sort());
    });

    test('errors come back as GraphError with Graph codes', async () => {
      await assert.rejects(client.api('/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301').get(), (error: { statusCode: number; code: string }) => {
        assert.equal(error.statusCode, 404);
        assert.equal(error.code, 'Request_ResourceNotFound');
        return true;
      });
    });
  });
}
