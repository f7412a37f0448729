import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const builtInTemplates = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'License Administrator': '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  'Guest Inviter': '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
};

for (const dialect of testDialects) {
  describe(`Graph /organization, /directoryRoles, /$batch (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
    });
    after(() => h.close());

    test('organization: list, get, update privacy profile; bad values rejected', async () => {
      const list = await graph('GET', '/organization');
      assert.equal(list.body.value.length, 1);
      const org = list.body.value[0];
      assert.equal(org.id, h.tenant.id);
      assert.equal(org.countryLetterCode, 'NL');
      assert.deepEqual(org.verifiedDomains, [{ name: h.tenant.domain, isInitial: true, isDefault: true, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' }]);
      const patch = await graph('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { contactEmail: 'privacy@contoso.example', statementUrl: 'https://contoso.example/privacy' }, technicalNotificationMails: ['it@contoso.example'] });
      assert.equal(patch.status, 204);
      const read = await graph('GET', `/organization/${h.tenant.id}`);
      assert.deepEqual(read.body.privacyProfile, { contactEmail: 'privacy@contoso.example', statementUrl: 'https://contoso.example/privacy' });
      assert.deepEqual(read.body.technicalNotificationMails, ['it@contoso.example']);
      const bad = await graph('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { statementUrl: 'javascript:alert(1)' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /statementUrl/);
      assert.equal((await graph('GET', `/organization/${h.tenant.id}`)).body.privacyProfile.statementUrl, 'https://contoso.example/privacy');
      const other = await graph('PATCH', '/organization/3f2504e0-4f89-11d3-9a0c-0305e82c3301', { displayName: 'x' });
      assert.equal(other.status, 404);
    });

    test('beta branding extension: read, update, validation', async () => {
      const url = `/beta/organization/${h.tenant.id}/branding`;
      assert.deepEqual((await graph('GET', url)).body.logoUrl, null);
      assert.equal((await graph('PATCH', url, { logoUrl: 'https://contoso.example/logo.png', backgroundColor: '#1f6feb' })).status, 204);
      const read = await graph('GET', url);
      assert.equal(read.body.backgroundColor, '#1f6feb');
      assert.equal(read.body.logoUrl, 'https://contoso.example/logo.png');
      const bad = await graph('PATCH', url, { backgroundColor: 'red; background: url(x)' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /backgroundColor/);
      assert.equal((await graph('GET', url)).body.backgroundColor, '#1f6feb');
      assert.equal((await graph('GET', '/beta/users?$top=1')).status, 200);
      assert.equal((await graph('GET', `/v1.0/organization/${h.tenant.id}/branding`)).status, 400);
    });

    test('directoryRoles: every built-in role with its template id; assign and remove', async () => {
      const roles = (await graph('GET', '/directoryRoles')).body.value as { id: string; displayName: string; roleTemplateId: string }[];
      for (const [name, template] of Object.entries(builtInTemplates)) {
        assert.ok(roles.some((r) => r.displayName === name && r.roleTemplateId === template), name);
      }
      const userAdmin = roles.find((r) => r.roleTemplateId === builtInTemplates['User Administrator'])!;
      const byTemplate = await graph('GET', `/directoryRoles(roleTemplateId='${builtInTemplates['User Administrator']}')`);
      assert.equal(byTemplate.body.id, userAdmin.id);
      const encoded = await graph('GET', `/directoryRoles(roleTemplateId=%27${builtInTemplates['User Administrator']}%27)`);
      assert.equal(encoded.body.id, userAdmin.id);
      assert.equal((await graph('GET', "/directoryRoles(roleTemplateId='00000000-0000-0000-0000-000000000000')")).status, 404);
      const { body: user } = await graph('POST', '/users', { accountEnabled: true, displayName: 'Helper', mailNickname: 'helper', userPrincipalName: `helper@${h.tenant.domain}`, passwordProfile: { password: 'Str0ng!Passw0rd' } });
      assert.equal((await graph('POST', `/directoryRoles/${userAdmin.id}/members/$ref`, ref(user.id))).status, 204);
      assert.equal((await graph('POST', `/directoryRoles/${userAdmin.id}/members/$ref`, ref(user.id))).status, 400);
      const members = await graph('GET', `/directoryRoles/${userAdmin.id}/members`);
      assert.deepEqual(members.body.value.map((m: any) => m.id), [user.id]);
      const memberOf = await graph('GET', `/users/${user.id}/memberOf`);
      assert.ok(memberOf.body.value.some((o: any) => o['@odata.type'] === '#microsoft.graph.directoryRole' && o.id === userAdmin.id));
      assert.equal((await graph('DELETE', `/directoryRoles/${userAdmin.id}/members/${user.id}/$ref`)).status, 204);
      assert.equal((await graph('DELETE', `/directoryRoles/${userAdmin.id}/members/${user.id}/$ref`)).status, 404);
      const globalAdmin = roles.find((r) => r.roleTemplateId === builtInTemplates['Global Administrator'])!;
      const last = await graph('DELETE', `/directoryRoles/${globalAdmin.id}/members/${h.tenant.adminId}/$ref`);
      assert.equal(last.status, 409);
    });

    test('$batch: independent requests, dependsOn, 424 on a failed dependency', async () => {
      const response = await graph('POST', '/$batch', {
        requests: [
          { id: '1', method: 'POST', url: '/groups', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'Batch', mailNickname: 'batch', mailEnabled: false, securityEnabled: true } },
          { id: '2', method: 'GET', url: '/organization', dependsOn: ['1'] },
          { id: '3', method: 'GET', url: '/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301' },
          { id: '4', method: 'GET', url: '/users?$top=1', dependsOn: ['3'] },
        ],
      });
      assert.equal(response.status, 200);
      const byId = Object.fromEntries(response.body.responses.map((r: any) => [r.id, r]));
      assert.equal(byId['1'].status, 201);
      assert.equal(byId['1'].body.displayName, 'Batch');
      assert.equal(byId['2'].status, 200);
      assert.equal(byId['3'].status, 404);
      assert.equal(byId['4'].status, 424);
    });

    test('$batch: more than 20 requests, missing Content-Type, bad dependsOn are rejected whole', async () => {
      const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' }));
      const tooMany = await graph('POST', '/$batch', { requests: many });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.error.message, /20/);
      const noType = await graph('POST', '/$batch', { requests: [{ id: '1', method: 'POST', url: '/groups', body: { displayName: 'x' } }] });
      assert.equal(noType.status, 400);
      assert.match(noType.body.error.message, /Content-Type/);
      const badDep = await graph('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users', dependsOn: ['9'] }] });
      assert.equal(badDep.status, 400);
      const groups = await graph('GET', `/groups?$filter=displayName eq 'x'`);
      assert.equal(groups.body.value.length, 0);
    });

    test('$batch items are authorized one by one', async () => {
      const reader = graphCaller(h.app, h.tokens.app(h.tenant.id, ['User.Read.All']));
      const response = await reader('POST', '/$batch', {
        requests: [
          { id: 'a', method: 'GET', url: '/users?$top=1' },
          { id: 'b', method: 'POST', url: '/groups', headers: { 'content-type': 'application/json' }, body: { displayName: 'No', mailNickname: 'no', mailEnabled: false, securityEnabled: true } },
        ],
      });
      const byId = Object.fromEntries(response.body.responses.map((r: any) => [r.id, r]));
      assert.equal(byId.a.status, 200);
      assert.equal(byId.b.status, 403);
      assert.equal(byId.b.body.error.code, 'Authorization_RequestDenied');
    });
  });
}

for (const dialect of testDialects) {
  describe(`Graph /directoryObjects (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
    });
    after(() => h.close());

    test('get any object by id, and several by getByIds in the order asked, filtered by type', async () => {
      const { body: group } = await graph('POST', '/groups', { displayName: 'Objects', mailNickname: 'objects', mailEnabled: false, securityEnabled: true });
      const one = await graph('GET', `/directoryObjects/${group.id}`);
      assert.equal(one.status, 200);
      assert.equal(one.body['@odata.type'], '#microsoft.graph.group');
      const unknown = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
      const both = await graph('POST', '/directoryObjects/getByIds', { ids: [group.id, unknown, h.tenant.adminId] });
      assert.deepEqual(both.body.value.map((o: any) => [o['@odata.type'], o.id]), [['#microsoft.graph.group', group.id], ['#microsoft.graph.user', h.tenant.adminId]]);
      const users = await graph('POST', '/directoryObjects/getByIds', { ids: [group.id, h.tenant.adminId], types: ['user'] });
      assert.deepEqual(users.body.value.map((o: any) => o.id), [h.tenant.adminId]);
      assert.equal((await graph('GET', `/directoryObjects/${unknown}`)).status, 404);
      assert.equal((await graph('POST', '/directoryObjects/getByIds', { ids: [] })).status, 400);
      assert.equal((await graph('POST', '/directoryObjects/getByIds', { ids: 'x' })).status, 400);
      assert.equal((await graph('POST', '/directoryObjects/getByIds', { ids: [group.id], types: 'user' })).status, 400);
    });
  });
}
