import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Where only an object id is valid (groups, directory roles, directory objects, and the member or
 * owner in a `$ref` path), a value that is not a GUID is Graph's 400 `Request_BadRequest`
 * "Invalid object identifier '{value}'.", not a 404. Users are addressed by id or userPrincipalName,
 * so they keep answering 404 for an unknown name.
 */
const GLOBAL_ADMIN_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';
const UNKNOWN = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

for (const dialect of testDialects) {
  describe(`non-GUID object ids (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let groupId: string;
    let roleId: string;
    const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      const group = await graph('POST', '/groups', { displayName: 'Ids', mailNickname: 'ids', mailEnabled: false, securityEnabled: true });
      groupId = group.body.id;
      roleId = (await graph('GET', `/directoryRoles(roleTemplateId='${GLOBAL_ADMIN_TEMPLATE}')`)).body.id;
    });
    after(() => h.close());

    const invalidId = async (method: string, url: string, value: string, body?: unknown) => {
      const response = await graph(method, url, body);
      assert.equal(response.status, 400, `${method} ${url}: ${response.status} ${response.text.slice(0, 200)}`);
      assert.equal(response.body.error.code, 'Request_BadRequest', `${method} ${url}`);
      assert.equal(response.body.error.message, `Invalid object identifier '${value}'.`, `${method} ${url}`);
    };

    for (const bad of ['not-a-guid', 'admin@contoso.example', '3f2504e0-4f89-11d3-9a0c-0305e82c330', "x' or '1'='1"]) {
      test(`'${bad}' where a group, role or directory object id belongs`, async () => {
        const v = encodeURIComponent(bad);
        await invalidId('GET', `/groups/${v}`, bad);
        await invalidId('PATCH', `/groups/${v}`, bad, { description: 'x' });
        await invalidId('DELETE', `/groups/${v}`, bad);
        for (const relation of ['members', 'owners']) {
          await invalidId('GET', `/groups/${v}/${relation}`, bad);
          await invalidId('POST', `/groups/${v}/${relation}/$ref`, bad, ref(h.tenant.adminId));
          await invalidId('DELETE', `/groups/${v}/${relation}/${h.tenant.adminId}/$ref`, bad);
          await invalidId('DELETE', `/groups/${groupId}/${relation}/${v}/$ref`, bad);
        }
        await invalidId('GET', `/groups/${v}/transitiveMembers`, bad);
        await invalidId('GET', `/groups/${v}/memberOf`, bad);
        await invalidId('GET', `/groups/${v}/transitiveMemberOf`, bad);
        await invalidId('GET', `/directoryRoles/${v}`, bad);
        await invalidId('GET', `/directoryRoles/${v}/members`, bad);
        await invalidId('POST', `/directoryRoles/${v}/members/$ref`, bad, ref(h.tenant.adminId));
        await invalidId('DELETE', `/directoryRoles/${v}/members/${h.tenant.adminId}/$ref`, bad);
        await invalidId('DELETE', `/directoryRoles/${roleId}/members/${v}/$ref`, bad);
        await invalidId('GET', `/directoryObjects/${v}`, bad);
        await invalidId('GET', `/beta/groups/${v}`, bad);
      });
    }

    test('the check comes after authentication: no token is still 401', async () => {
      const anonymous = await h.app.inject({ method: 'GET', url: '/v1.0/groups/not-a-guid' });
      assert.equal(anonymous.statusCode, 401);
    });

    test('well-formed ids keep their meaning: unknown is 404, known works, in any letter case', async () => {
      assert.equal((await graph('GET', `/groups/${UNKNOWN}`)).status, 404);
      assert.equal((await graph('GET', `/directoryRoles/${UNKNOWN}`)).status, 404);
      assert.equal((await graph('GET', `/directoryObjects/${UNKNOWN}`)).status, 404);
      assert.equal((await graph('DELETE', `/groups/${groupId}/members/${UNKNOWN}/$ref`)).status, 404);
      assert.equal((await graph('GET', `/groups/${groupId}`)).body.id, groupId);
      assert.equal((await graph('GET', `/groups/${groupId.toUpperCase()}`)).status, 200);
      assert.equal((await graph('GET', `/directoryRoles/${roleId}`)).body.id, roleId);
      assert.equal((await graph('GET', `/directoryObjects/${groupId}`)).body.id, groupId);
    });

    test("the alternate key /directoryRoles(roleTemplateId='...') still works", async () => {
      const byTemplate = await graph('GET', `/directoryRoles(roleTemplateId='${GLOBAL_ADMIN_TEMPLATE}')`);
      assert.equal(byTemplate.status, 200);
      assert.equal(byTemplate.body.id, roleId);
      assert.equal((await graph('GET', `/directoryRoles(roleTemplateId=%27${GLOBAL_ADMIN_TEMPLATE}%27)`)).body.id, roleId);
      // and so do its members, as the admin center reads them
      const members = await graph('GET', `/directoryRoles(roleTemplateId='${GLOBAL_ADMIN_TEMPLATE}')/members`);
      assert.equal(members.status, 200);
      assert.deepEqual(members.body.value.map((m: { id: string }) => m.id), [h.tenant.adminId]);
      assert.equal((await graph('GET', "/directoryRoles(roleTemplateId='nope')/members")).status, 404);
    });

    test('users take an id or a userPrincipalName: an unknown name is still 404', async () => {
      assert.equal((await graph('GET', '/users/not-a-guid')).status, 404);
      assert.equal((await graph('GET', `/users/admin@${h.tenant.domain}`)).body.id, h.tenant.adminId);
    });

    test('inside $batch the item gets the same 400', async () => {
      const response = await graph('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/groups/nope' }] });
      assert.equal(response.body.responses[0].status, 400);
      assert.equal(response.body.responses[0].body.error.message, "Invalid object identifier 'nope'.");
    });
  });
}
