import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { usersRepo } from '../../src/modules/directory/users.repo.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';

for (const dialect of testDialects) {
  describe(`Graph /users (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    const newUser = (alias: string, extra: Record<string, unknown> = {}) => ({
      accountEnabled: true,
      displayName: `User ${alias}`,
      mailNickname: alias,
      userPrincipalName: `${alias}@${h.tenant.domain}`,
      passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
      ...extra,
    });
    /** asserts a Graph error and that the tenant's data did not change */
    const rejects = async (call: () => ReturnType<Graph>, status: number, code: string, messagePart: RegExp) => {
      const before = await isolationTablesSnapshot(h.db, h.tenant.id);
      const response = await call();
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.equal(response.body.error.code, code);
      assert.match(response.body.error.message, messagePart);
      assert.ok(response.body.error.innerError['request-id']);
      assert.deepEqual(await isolationTablesSnapshot(h.db, h.tenant.id), before, 'a rejected request changed data');
    };

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
    });
    after(() => h.close());

    test('creates a user (201, Graph shape, Location) and reads it by id and by UPN', async () => {
      const created = await graph('POST', '/users', newUser('adele', { usageLocation: 'NL', jobTitle: 'Engineer', mail: 'adele@contoso.example' }));
      assert.equal(created.status, 201);
      assert.match(created.body['@odata.context'], /\/v1\.0\/\$metadata#users\/\$entity$/);
      assert.match(created.body.id, /^[0-9a-f-]{36}$/);
      assert.equal(created.body.userPrincipalName, `adele@${h.tenant.domain}`);
      assert.equal(created.body.passwordProfile, undefined);
      assert.equal(created.headers.location, `${h.container.config.baseUrl}/v1.0/users/${created.body.id}`);
      const byId = await graph('GET', `/users/${created.body.id}?$select=id,usageLocation,accountEnabled,proxyAddresses,userType`);
      assert.deepEqual(Object.keys(byId.body).sort(), ['@odata.context', 'accountEnabled', 'id', 'proxyAddresses', 'usageLocation', 'userType']);
      assert.equal(byId.body.usageLocation, 'NL');
      assert.deepEqual(byId.body.proxyAddresses, ['SMTP:adele@contoso.example']);
      assert.equal(byId.body.userType, 'Member');
      const byUpn = await graph('GET', `/users/${encodeURIComponent(`ADELE@${h.tenant.domain}`)}`);
      assert.equal(byUpn.status, 200);
      assert.equal(byUpn.body.id, created.body.id);
      assert.equal(byUpn.body.jobTitle, 'Engineer');
    });

    test('updates a user with PATCH (204) and deletes it (204, then 404)', async () => {
      const { body } = await graph('POST', '/users', newUser('patchme'));
      const patched = await graph('PATCH', `/users/${body.id}`, { displayName: 'Patched', usageLocation: 'BE', accountEnabled: false });
      assert.equal(patched.status, 204);
      const read = await graph('GET', `/users/${body.id}?$select=displayName,usageLocation,accountEnabled`);
      assert.deepEqual([read.body.displayName, read.body.usageLocation, read.body.accountEnabled], ['Patched', 'BE', false]);
      assert.equal((await graph('DELETE', `/users/${body.id}`)).status, 204);
      const gone = await graph('GET', `/users/${body.id}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'Request_ResourceNotFound');
    });

    test('passwordProfile.forceChangePasswordNextSignIn is stored with the credential (Graph default true), not returned', async () => {
      const credential = async (id: string) => (await usersRepo.credential(scoped(h.db, tenantScope(h.tenant.id)), id))!;
      const mustChange = async (id: string) => (await credential(id)).forceChangePasswordNextSignIn;
      const { body: byDefault } = await graph('POST', '/users', newUser('forcedefault', { passwordProfile: { password: 'Str0ng!Passw0rd' } }));
      assert.equal(await mustChange(byDefault.id), true, 'omitted: Graph defaults to true');
      const { body: explicit } = await graph('POST', '/users', newUser('forcetrue', { passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: true } }));
      assert.equal(await mustChange(explicit.id), true);
      const { body: relaxed } = await graph('POST', '/users', newUser('forcefalse'));
      assert.equal(await mustChange(relaxed.id), false);
      const read = await graph('GET', `/users/${relaxed.id}`);
      assert.equal(read.body.passwordProfile, undefined, 'Graph never returns passwordProfile');

      // an admin reset: a new password with the flag (and without it: Graph's default, true)
      const hashBefore = (await credential(relaxed.id)).passwordHash;
      assert.equal((await graph('PATCH', `/users/${relaxed.id}`, { passwordProfile: { password: 'An0ther!Passw0rd', forceChangePasswordNextSignIn: true } })).status, 204);
      assert.equal(await mustChange(relaxed.id), true);
      assert.notEqual((await credential(relaxed.id)).passwordHash, hashBefore);
      assert.equal((await graph('PATCH', `/users/${relaxed.id}`, { passwordProfile: { password: 'Th1rd!Passw0rd', forceChangePasswordNextSignIn: false } })).status, 204);
      assert.equal(await mustChange(relaxed.id), false);
      assert.equal((await graph('PATCH', `/users/${relaxed.id}`, { passwordProfile: { password: 'F0urth!Passw0rd' } })).status, 204);
      assert.equal(await mustChange(relaxed.id), true);

      // the flag alone, without a new password, keeps the password
      const hash = (await credential(relaxed.id)).passwordHash;
      assert.equal((await graph('PATCH', `/users/${relaxed.id}`, { passwordProfile: { forceChangePasswordNextSignIn: false } })).status, 204);
      assert.deepEqual([await mustChange(relaxed.id), (await credential(relaxed.id)).passwordHash], [false, hash]);
      assert.equal((await graph('PATCH', `/users/${relaxed.id}`, { passwordProfile: { forceChangePasswordNextSignIn: true } })).status, 204);
      assert.deepEqual([await mustChange(relaxed.id), (await credential(relaxed.id)).passwordHash], [true, hash]);
      // other changes leave it alone
      assert.equal((await graph('PATCH', `/users/${relaxed.id}`, { jobTitle: 'Tester' })).status, 204);
      assert.equal(await mustChange(relaxed.id), true);

      const audit = await auditRepo.list(scoped(h.db, tenantScope(h.tenant.id)), 1000);
      const updates = audit.filter((e) => e.targetId === relaxed.id && e.action === 'Update user').map((e) => e.details.forceChangePasswordNextSignIn);
      assert.deepEqual([...updates].sort(), [false, false, true, true, true, undefined], 'each change of the flag is audited');
      assert.ok(audit.some((e) => e.targetId === byDefault.id && e.action === 'Add user' && e.details.forceChangePasswordNextSignIn === true));
    });

    test('request-id and client-request-id headers', async () => {
      const response = await graph('GET', '/users?$top=1', undefined, { 'client-request-id': 'b8f6a1e2-0000-4000-8000-000000000001' });
      assert.match(String(response.headers['request-id']), /^[0-9a-f-]{36}$/);
      assert.equal(response.headers['client-request-id'], 'b8f6a1e2-0000-4000-8000-000000000001');
    });

    describe('bad input gets Graph errors and writes nothing', () => {
      test('malformed JSON', () => rejects(() => graph('POST', '/users', '{"displayName": '), 400, 'Request_BadRequest', /JSON/));
      test('unknown property', () => rejects(() => graph('POST', '/users', newUser('unk', { favouriteColour: 'blue' })), 400, 'Request_BadRequest', /favouriteColour/));
      test('read-only property', () => rejects(() => graph('POST', '/users', newUser('ro', { id: '11111111-1111-1111-1111-111111111111' })), 400, 'Request_BadRequest', /'id' is read-only/));
      test('read-only property on PATCH', async () => {
        await rejects(() => graph('PATCH', `/users/${h.tenant.adminId}`, { createdDateTime: '2020-01-01T00:00:00Z' }), 400, 'Request_BadRequest', /createdDateTime/);
      });
      test('wrong type', () => rejects(() => graph('POST', '/users', newUser('wt', { accountEnabled: 'yes' })), 400, 'Request_BadRequest', /accountEnabled/));
      test('missing required property', async () => {
        const body = newUser('missing');
        delete (body as Record<string, unknown>).mailNickname;
        await rejects(() => graph('POST', '/users', body), 400, 'Request_BadRequest', /mailNickname/);
      });
      test('malformed passwordProfile', async () => {
        await rejects(() => graph('POST', '/users', newUser('pp1', { passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: 'yes' } })), 400, 'Request_BadRequest', /forceChangePasswordNextSignIn/);
        await rejects(() => graph('POST', '/users', newUser('pp2', { passwordProfile: { password: 'Str0ng!Passw0rd', colour: 'blue' } })), 400, 'Request_BadRequest', /colour/);
        await rejects(() => graph('POST', '/users', newUser('pp3', { passwordProfile: { forceChangePasswordNextSignIn: true } })), 400, 'Request_BadRequest', /password/);
        await rejects(() => graph('PATCH', `/users/${h.tenant.adminId}`, { passwordProfile: { forceChangePasswordNextSignIn: 1 } }), 400, 'Request_BadRequest', /forceChangePasswordNextSignIn/);
        await rejects(() => graph('PATCH', `/users/${h.tenant.adminId}`, { passwordProfile: { password: 'weak', forceChangePasswordNextSignIn: true } }), 400, 'Request_BadRequest', /password/);
      });
      test('weak password', () => rejects(() => graph('POST', '/users', newUser('weak', { passwordProfile: { password: 'short' } })), 400, 'Request_BadRequest', /password/i));
      test('UPN on a domain the tenant does not own', () =>
        rejects(() => graph('POST', '/users', newUser('dom', { userPrincipalName: 'dom@elsewhere.example' })), 400, 'Request_BadRequest', /verified domain/));
      test('malformed UPN', () => rejects(() => graph('POST', '/users', newUser('bad', { userPrincipalName: 'no-at-sign' })), 400, 'Request_BadRequest', /userPrincipalName/));
      test('invalid usage location', () => rejects(() => graph('POST', '/users', newUser('loc', { usageLocation: 'Netherlands' })), 400, 'Request_BadRequest', /usageLocation/));
      test('duplicate userPrincipalName (case-insensitive)', async () => {
        await graph('POST', '/users', newUser('dup'));
        await rejects(() => graph('POST', '/users', newUser('dup2', { userPrincipalName: `DUP@${h.tenant.domain}` })), 400, 'Request_MultipleObjectsWithSameKeyValue', /userPrincipalName/);
      });
      test('invalid GUID and unknown id', async () => {
        await rejects(() => graph('GET', '/users/not-a-guid'), 404, 'Request_ResourceNotFound', /not-a-guid/);
        await rejects(() => graph('PATCH', '/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301', { displayName: 'x' }), 404, 'Request_ResourceNotFound', /3f2504e0/);
        await rejects(() => graph('DELETE', '/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301'), 404, 'Request_ResourceNotFound', /3f2504e0/);
      });
      test('unknown $select property', () => rejects(() => graph('GET', '/users?$select=id,shoeSize'), 400, 'Request_BadRequest', /shoeSize/));
      test('unknown segment', async () => {
        const response = await graph('GET', '/users/x/y/z/q');
        assert.equal(response.status, 400);
        assert.match(response.body.error.message, /segment/);
      });
    });

    describe('authorization', () => {
      test('no token, unknown token: 401 InvalidAuthenticationToken', async () => {
        const none = await h.app.inject({ method: 'GET', url: '/v1.0/users' });
        assert.equal(none.statusCode, 401);
        assert.equal(none.json().error.code, 'InvalidAuthenticationToken');
        const bogus = await graphCaller(h.app, 'bogus')('GET', '/users');
        assert.equal(bogus.status, 401);
        assert.equal(bogus.body.error.code, 'InvalidAuthenticationToken');
      });
      test('a member without admin roles can read but not create users', async () => {
        const { body: member } = await graph('POST', '/users', newUser('plain'));
        const token = h.tokens.user(h.tenant.id, member.id, ['User.ReadWrite.All', 'Directory.ReadWrite.All']);
        const asMember = graphCaller(h.app, token);
        assert.equal((await asMember('GET', '/users')).status, 200);
        await rejects(() => asMember('POST', '/users', newUser('blocked')), 403, 'Authorization_RequestDenied', /Insufficient privileges/);
      });
      test('an admin whose token lacks the scope is refused', async () => {
        const token = h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']);
        const response = await graphCaller(h.app, token)('GET', '/users');
        assert.equal(response.status, 403);
        assert.equal(response.body.error.code, 'Authorization_RequestDenied');
        const me = await graphCaller(h.app, token)('GET', '/me');
        assert.equal(me.status, 200);
        assert.equal(me.body.id, h.tenant.adminId);
      });
      test('app-only tokens need application roles; /me needs a user', async () => {
        const reader = graphCaller(h.app, h.tokens.app(h.tenant.id, ['User.Read.All']));
        assert.equal((await reader('GET', '/users')).status, 200);
        assert.equal((await reader('POST', '/users', newUser('appmade'))).status, 403);
        assert.equal((await reader('GET', '/me')).status, 403);
        const nothing = graphCaller(h.app, h.tokens.app(h.tenant.id, []));
        assert.equal((await nothing('GET', '/users')).status, 403);
      });
    });
  });
}
