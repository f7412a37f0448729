import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';

const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

for (const dialect of testDialects) {
  describe(`Graph /groups and memberships (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let alice: string;
    let bob: string;
    const group = (nick: string, extra: Record<string, unknown> = {}) => ({ displayName: `Group ${nick}`, mailNickname: nick, mailEnabled: false, securityEnabled: true, ...extra });
    const user = async (alias: string) =>
      (await graph('POST', '/users', { accountEnabled: true, displayName: alias, mailNickname: alias, userPrincipalName: `${alias}@${h.tenant.domain}`, passwordProfile: { password: 'Str0ng!Passw0rd' } })).body.id as string;
    const rejects = async (call: () => ReturnType<Graph>, status: number, code: string, messagePart: RegExp) => {
      const before = await isolationTablesSnapshot(h.db, h.tenant.id);
      const response = await call();
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.equal(response.body.error.code, code);
      assert.match(response.body.error.message, messagePart);
      assert.deepEqual(await isolationTablesSnapshot(h.db, h.tenant.id), before, 'a rejected request changed data');
    };

    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      alice = await user('alice');
      bob = await user('bob');
    });
    after(() => h.close());

    test('create, get, update, delete a group', async () => {
      const created = await graph('POST', '/groups', group('eng', { description: 'Engineers' }));
      assert.equal(created.status, 201);
      assert.equal(created.body.securityEnabled, true);
      assert.deepEqual(created.body.groupTypes, []);
      assert.equal((await graph('PATCH', `/groups/${created.body.id}`, { description: 'All engineers' })).status, 204);
      assert.equal((await graph('GET', `/groups/${created.body.id}?$select=description`)).body.description, 'All engineers');
      assert.equal((await graph('DELETE', `/groups/${created.body.id}`)).status, 204);
      assert.equal((await graph('GET', `/groups/${created.body.id}`)).status, 404);
    });

    test('members and owners: add with $ref, list with @odata.type, remove', async () => {
      const { body: g } = await graph('POST', '/groups', group('team'));
      assert.equal((await graph('POST', `/groups/${g.id}/members/$ref`, ref(alice))).status, 204);
      assert.equal((await graph('POST', `/groups/${g.id}/owners/$ref`, ref(bob))).status, 204);
      const members = await graph('GET', `/groups/${g.id}/members`);
      assert.deepEqual(members.body.value.map((m: any) => [m['@odata.type'], m.id]), [['#microsoft.graph.user', alice]]);
      const owners = await graph('GET', `/groups/${g.id}/owners?$select=id,displayName`);
      assert.deepEqual(owners.body.value, [{ '@odata.type': '#microsoft.graph.user', id: bob, displayName: 'bob' }]);
      assert.equal((await graph('DELETE', `/groups/${g.id}/members/${alice}/$ref`)).status, 204);
      assert.deepEqual((await graph('GET', `/groups/${g.id}/members`)).body.value, []);
    });

    test('nested groups: transitiveMembers, memberOf and transitiveMemberOf', async () => {
      const { body: outer } = await graph('POST', '/groups', group('outer'));
      const { body: inner } = await graph('POST', '/groups', group('inner'));
      await graph('POST', `/groups/${inner.id}/members/$ref`, ref(alice));
      await graph('POST', `/groups/${outer.id}/members/$ref`, ref(inner.id));
      const transitive = await graph('GET', `/groups/${outer.id}/transitiveMembers`);
      assert.deepEqual(transitive.body.value.map((o: any) => o.id).sort(), [alice, inner.id].sort());
      const direct = await graph('GET', `/users/${alice}/memberOf`);
      assert.ok(direct.body.value.some((o: any) => o.id === inner.id));
      assert.ok(!direct.body.value.some((o: any) => o.id === outer.id));
      const all = await graph('GET', `/users/${alice}/transitiveMemberOf`);
      assert.ok(all.body.value.some((o: any) => o.id === outer.id && o['@odata.type'] === '#microsoft.graph.group'));
      await rejects(() => graph('POST', `/groups/${inner.id}/members/$ref`, ref(outer.id)), 400, 'Request_BadRequest', /member of itself/);
    });

    test('members@odata.bind on create and PATCH (all or nothing)', async () => {
      const created = await graph('POST', '/groups', group('bound', { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${alice}`] }));
      assert.equal(created.status, 201);
      await rejects(
        () => graph('PATCH', `/groups/${created.body.id}`, { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${bob}`, 'https://graph.microsoft.com/v1.0/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301'] }),
        404,
        'Request_ResourceNotFound',
        /3f2504e0/,
      );
      const members = await graph('GET', `/groups/${created.body.id}/members`);
      assert.deepEqual(members.body.value.map((m: any) => m.id), [alice]);
    });

    test('members paging with $top and @odata.nextLink', async () => {
      const { body: g } = await graph('POST', '/groups', group('paged'));
      const ids = [alice, bob, await user('carol'), await user('dave'), await user('erin')];
      for (const id of ids) await graph('POST', `/groups/${g.id}/members/$ref`, ref(id));
      const seen: string[] = [];
      let url: string | undefined = `/groups/${g.id}/members?$top=2`;
      while (url) {
        const page = await graph('GET', url);
        assert.equal(page.status, 200);
        seen.push(...page.body.value.map((m: any) => m.id));
        const next: string | undefined = page.body['@odata.nextLink'];
        url = next ? next.slice(next.indexOf('/v1.0')) : undefined;
      }
      assert.deepEqual(seen.sort(), ids.sort());
    });

    test('memberOf and transitiveMembers page with $top and @odata.nextLink', async () => {
      const member = await user('joiner');
      const { body: top } = await graph('POST', '/groups', group('toplevel'));
      const groupIds: string[] = [];
      for (const nick of ['ga', 'gb', 'gc', 'gd']) {
        const { body: g } = await graph('POST', '/groups', group(`${nick}paging`));
        await graph('POST', `/groups/${g.id}/members/$ref`, ref(member));
        await graph('POST', `/groups/${top.id}/members/$ref`, ref(g.id));
        groupIds.push(g.id);
      }
      const collect = async (first: string) => {
        const seen: string[] = [];
        let url: string | undefined = first;
        while (url) {
          const page = await graph('GET', url);
          assert.equal(page.status, 200, JSON.stringify(page.body));
          assert.ok(page.body.value.length <= 3);
          seen.push(...page.body.value.map((o: any) => o.id));
          const next: string | undefined = page.body['@odata.nextLink'];
          url = next ? next.slice(next.indexOf('/v1.0')) : undefined;
        }
        return seen;
      };
      assert.deepEqual((await collect(`/users/${member}/memberOf?$top=3`)).sort(), [...groupIds].sort());
      assert.deepEqual((await collect(`/users/${member}/transitiveMemberOf?$top=3`)).sort(), [...groupIds, top.id].sort());
      assert.deepEqual((await collect(`/groups/${top.id}/transitiveMembers?$top=3`)).sort(), [...groupIds, member].sort());
      assert.equal((await graph('GET', `/users/${member}/memberOf?$skiptoken=nonsense`)).status, 400);
      assert.equal((await graph('GET', `/users/${member}/memberOf?$top=0`)).status, 400);
    });

    describe('bad input', () => {
      test('adding a member twice', async () => {
        const { body: g } = await graph('POST', '/groups', group('twice'));
        await graph('POST', `/groups/${g.id}/members/$ref`, ref(alice));
        await rejects(() => graph('POST', `/groups/${g.id}/members/$ref`, ref(alice)), 400, 'Request_BadRequest', /already exist/);
      });
      test('removing a non-member', async () => {
        const { body: g } = await graph('POST', '/groups', group('nonmember'));
        await rejects(() => graph('DELETE', `/groups/${g.id}/members/${bob}/$ref`), 404, 'Request_ResourceNotFound', new RegExp(bob));
      });
      test('a reference to nothing, a malformed reference', async () => {
        const { body: g } = await graph('POST', '/groups', group('badref'));
        await rejects(() => graph('POST', `/groups/${g.id}/members/$ref`, ref('3f2504e0-4f89-11d3-9a0c-0305e82c3301')), 404, 'Request_ResourceNotFound', /3f2504e0/);
        await rejects(() => graph('POST', `/groups/${g.id}/members/$ref`, { '@odata.id': 'not a url' }), 400, 'Request_BadRequest', /reference/);
        await rejects(() => graph('POST', `/groups/${g.id}/members/$ref`, { id: alice }), 400, 'Request_BadRequest', /reference/);
      });
      test('duplicate mailNickname', async () => {
        await graph('POST', '/groups', group('samenick'));
        await rejects(() => graph('POST', '/groups', group('SameNick')), 400, 'Request_MultipleObjectsWithSameKeyValue', /mailNickname/);
      });
      test('invalid mailNickname, empty displayName, missing securityEnabled', async () => {
        await rejects(() => graph('POST', '/groups', group('has space')), 400, 'Request_BadRequest', /mailNickname/);
        await rejects(() => graph('POST', '/groups', group('emptyname', { displayName: '  ' })), 400, 'Request_BadRequest', /displayName/);
        const body = group('nosec') as Record<string, unknown>;
        delete body.securityEnabled;
        await rejects(() => graph('POST', '/groups', body), 400, 'Request_BadRequest', /securityEnabled/);
      });
      test('more than 20 bindings', async () => {
        const refs = Array.from({ length: 21 }, () => `https://graph.microsoft.com/v1.0/users/${alice}`);
        await rejects(() => graph('POST', '/groups', group('toomany', { 'members@odata.bind': refs })), 400, 'Request_BadRequest', /20/);
      });
      test('a Groups Administrator may manage groups but not users', async () => {
        const roles = await graph('GET', '/directoryRoles');
        const groupsAdmin = roles.body.value.find((r: any) => r.roleTemplateId === 'fdd7a751-b60b-444a-984c-02652fe8fa1c');
        const carol = await user('gadmin');
        assert.equal((await graph('POST', `/directoryRoles/${groupsAdmin.id}/members/$ref`, ref(carol))).status, 204);
        const asGroupsAdmin = graphCaller(h.app, h.tokens.user(h.tenant.id, carol, ['Directory.ReadWrite.All']));
        assert.equal((await asGroupsAdmin('POST', '/groups', group('byadmin'))).status, 201);
        assert.equal((await asGroupsAdmin('DELETE', `/users/${bob}`)).status, 403);
      });
    });
  });
}
