import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph, type GraphResponse } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';

/**
 * Issue 13 item 4: `__proto__`, `constructor` and `prototype` are refused in every Graph body, at
 * any depth (400, nothing changed), and services never see inherited fields. Before, the body
 * reader copied `__proto__` into its result with `out[name] = value`, which set the result's
 * prototype: `{"__proto__":{"accountEnabled":false}}` disabled an account (and revoked its
 * sessions) past every type and limit check.
 */
const KEYS = ['__proto__', 'constructor', 'prototype'];

for (const dialect of testDialects) {
  describe(`Graph bodies are prototype-safe (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let userId: string;
    let groupId: string;

    const refused = async (call: () => Promise<GraphResponse>, key: string) => {
      const before = await isolationTablesSnapshot(h.db, h.tenant.id);
      const response = await call();
      assert.equal(response.status, 400, response.text);
      assert.equal(response.body.error.code, 'Request_BadRequest');
      assert.match(response.body.error.message, new RegExp(`'${key}' is not allowed in the request body`));
      assert.deepEqual(await isolationTablesSnapshot(h.db, h.tenant.id), before, 'a refused request changed data');
    };

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      const user = await graph('POST', '/users', {
        accountEnabled: true,
        displayName: 'Target',
        mailNickname: 'target',
        userPrincipalName: `target@${h.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
      });
      userId = user.body.id;
      groupId = (await graph('POST', '/groups', { displayName: 'G', mailNickname: 'g', mailEnabled: false, securityEnabled: true })).body.id;
    });
    after(() => h.close());

    test('{"__proto__":{"accountEnabled":false}} does not disable the account', async () => {
      await refused(() => graph('PATCH', `/users/${userId}`, '{"__proto__":{"accountEnabled":false}}'), '__proto__');
      await refused(() => graph('PATCH', `/users/${userId}`, `{"displayName":"ok","__proto__":{"jobTitle":"${'x'.repeat(10_000)}"}}`), '__proto__');
      const user = await graph('GET', `/users/${userId}?$select=accountEnabled,jobTitle,displayName`);
      assert.deepEqual([user.body.accountEnabled, user.body.jobTitle, user.body.displayName], [true, null, 'Target']);
    });

    for (const key of KEYS) {
      test(`'${key}' is refused at every depth of users, groups, organization, branding and $batch bodies`, async () => {
        const bodies: [string, string, string][] = [
          ['PATCH', `/users/${userId}`, `{"${key}":{"accountEnabled":false}}`],
          ['PATCH', `/users/${userId}`, `{"passwordProfile":{"password":"Str0ng!Passw0rd2","${key}":{"forceChangePasswordNextSignIn":false}}}`],
          ['POST', '/users', `{"accountEnabled":true,"displayName":"N","mailNickname":"n","userPrincipalName":"n@${h.tenant.domain}","passwordProfile":{"password":"Str0ng!Passw0rd"},"${key}":{"userType":"Guest"}}`],
          ['PATCH', `/groups/${groupId}`, `{"description":"d","${key}":{"isAssignableToRole":true}}`],
          ['POST', `/groups/${groupId}/members/$ref`, `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/${userId}","${key}":{}}`],
          ['POST', '/directoryObjects/getByIds', `{"${key}":{"ids":["${userId}"]}}`],
          ['PATCH', `/organization/${h.tenant.id}`, `{"privacyProfile":{"${key}":{"contactEmail":"a@b.example"}}}`],
          ['PATCH', `/beta/organization/${h.tenant.id}/branding`, `{"${key}":{"logoUrl":"https://evil.example/x.png"}}`],
          ['POST', '/$batch', `{"requests":[{"id":"1","method":"PATCH","url":"/users/${userId}","headers":{"content-type":"application/json"},"body":{"${key}":{"accountEnabled":false}}}]}`],
          ['POST', '/$batch', `{"requests":[{"id":"1","method":"GET","url":"/me","${key}":{}}]}`],
        ];
        for (const [method, url, body] of bodies) await refused(() => graph(method, url, body), key);
      });
    }

    test('a name only inherited by the field table (toString, hasOwnProperty) is an unknown property, not a field', async () => {
      for (const name of ['toString', 'hasOwnProperty', 'valueOf']) {
        const response = await graph('PATCH', `/users/${userId}`, { [name]: 'x' });
        assert.equal(response.status, 400, response.text);
        assert.match(response.body.error.message, new RegExp(`Property '${name}' does not exist`));
      }
    });

    test('the same names as values, and look-alike names, are ordinary data', async () => {
      assert.equal((await graph('PATCH', `/users/${userId}`, { jobTitle: '__proto__', department: 'constructor' })).status, 204);
      const read = await graph('GET', `/users/${userId}?$select=jobTitle,department`);
      assert.deepEqual([read.body.jobTitle, read.body.department], ['__proto__', 'constructor']);
      const unknown = await graph('PATCH', `/users/${userId}`, { __proto: 'x' });
      assert.match(unknown.body.error.message, /Property '__proto' does not exist/);
    });
  });
}
