import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { Clock } from '../../src/kernel/clock.ts';
import { grantsRepo, STAMP_RECHECK_MS } from '../../src/modules/consent/index.ts';
import { inTransaction } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient } from '../helpers/form-client.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { registerApi, type TestApi } from '../graph/grants-fixtures.ts';

/**
 * Tokens carry exactly what is granted, with real sign-ins through the pages and the token
 * endpoint: a user's token for an API holds the API's roles assigned to the user and to the groups
 * the user is a direct member of (not nested ones); an app's client-credentials token holds its
 * assigned application roles, and a revoked assignment is gone from the next token (at once on the
 * node that revoked it, within the stamp bound elsewhere); an app that requires assignment refuses
 * an unassigned user at sign-in with Entra's AADSTS50105.
 */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
}

const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Passw0rd!Passw0rd';
const DEFAULT_ROLE = '00000000-0000-0000-0000-000000000000';
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

for (const dialect of testDialects) {
  describe(`app roles and assignments in tokens (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let admin: Graph;
    let api: TestApi;
    let web: { appId: string; clientSecret: string | null; servicePrincipalId: string };
    let daemon: { appId: string; clientSecret: string | null; servicePrincipalId: string };
    const ids: Record<string, string> = {};
    const clock = new ShiftedClock();
    const scope = () => tenantScope(h.tenant.id);
    const system = () => ({ kind: 'system' as const, tenantId: h.tenant.id });

    before(async () => {
      h = await createHarness(dialect, { listen: true, clock });
      base = h.container.config.baseUrl;
      admin = graphCaller(h.app, h.tenant.adminToken);
      api = await registerApi(admin, 'Inventory API');
      web = await h.container.applications.create(scope(), { displayName: 'Inventory web', redirectUris: [REDIRECT], withSecret: true });
      daemon = await h.container.applications.create(scope(), { displayName: 'Inventory sync', withSecret: true });
      for (const name of ['alice', 'bob', 'carol']) {
        ids[name] = (await h.container.users.createMember(scope(), system(), { userPrincipalName: `${name}@${h.tenant.domain}`, displayName: name, mailNickname: name, accountEnabled: true, password: PASSWORD })).id;
      }
      // writers (alice, direct) inside auditors (nested: carol is a member of auditors only)
      ids.writers = (await h.container.groups.create(scope(), system(), { displayName: 'Writers', mailNickname: 'writers', mailEnabled: false, securityEnabled: true })).id;
      ids.auditors = (await h.container.groups.create(scope(), system(), { displayName: 'Auditors', mailNickname: 'auditors', mailEnabled: false, securityEnabled: true })).id;
      await h.container.groups.addReference(scope(), system(), 'members', ids.writers, ref(ids.alice!));
      await h.container.groups.addReference(scope(), system(), 'members', ids.auditors, ref(ids.writers));
      await h.container.groups.addReference(scope(), system(), 'members', ids.auditors, ref(ids.carol!));

      const assign = async (path: string, body: Record<string, string>) => {
        const response = await admin('POST', path, body);
        assert.equal(response.status, 201, response.text);
        return response.body.id as string;
      };
      await assign(`/users/${ids.alice}/appRoleAssignments`, { principalId: ids.alice!, resourceId: api.spId, appRoleId: api.roles.Reader });
      await assign(`/groups/${ids.writers}/appRoleAssignments`, { principalId: ids.writers, resourceId: api.spId, appRoleId: api.roles.Writer });
      await assign(`/groups/${ids.auditors}/appRoleAssignments`, { principalId: ids.auditors, resourceId: api.spId, appRoleId: api.roles.Auditor });
      // everyone may use the web app with the API's Data.Read (an administrator's tenant-wide grant)
      const grant = await admin('POST', '/oauth2PermissionGrants', { clientId: web.servicePrincipalId, consentType: 'AllPrincipals', resourceId: api.spId, scope: 'Data.Read' });
      assert.equal(grant.status, 201, grant.text);
    });
    after(() => h?.close());

    async function signIn(user: string): Promise<URL> {
      const { verifier, challenge } = pkce();
      const url = authorizeUrl(base, h.tenant.id, { client_id: web.appId, redirect_uri: REDIRECT, scope: `openid profile api://${api.appId}/Data.Read`, code_challenge: challenge, code_challenge_method: 'S256', state: 'st' });
      const { redirect, page } = await signInThroughPages(new FormClient(), url, `${user}@${h.tenant.domain}`, PASSWORD, REDIRECT);
      assert.ok(redirect, `no redirect: ${page?.status} ${page?.html.slice(0, 400)}`);
      redirect.searchParams.set('verifier', verifier);
      return redirect;
    }

    async function userToken(user: string): Promise<Record<string, unknown>> {
      const redirect = await signIn(user);
      const code = redirect.searchParams.get('code');
      assert.ok(code, `no code: ${redirect}`);
      const tokens = await tokenRequest(base, h.tenant.id, { grant_type: 'authorization_code', client_id: web.appId, client_secret: web.clientSecret!, code, redirect_uri: REDIRECT, code_verifier: redirect.searchParams.get('verifier')! });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      return decodeJwt(String(tokens.body.access_token));
    }

    async function appRoles(): Promise<string[] | undefined> {
      const response = await tokenRequest(base, h.tenant.id, { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `api://${api.appId}/.default` });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const claims = decodeJwt(String(response.body.access_token));
      assert.equal(claims.aud, api.appId);
      return claims.roles as string[] | undefined;
    }

    test("a user's token holds the API roles assigned to them and to their direct groups, not nested ones", async () => {
      const alice = await userToken('alice');
      assert.equal(alice.aud, api.appId);
      assert.equal(alice.scp, 'Data.Read');
      assert.deepEqual((alice.roles as string[]).toSorted(), ['Reader', 'Writer']);
      // carol is a direct member of Auditors: its role is hers
      const carol = await userToken('carol');
      assert.deepEqual(carol.roles, ['Auditor']);
      // bob holds nothing: no roles claim at all
      const bob = await userToken('bob');
      assert.equal(bob.scp, 'Data.Read');
      assert.equal(bob.roles, undefined);
    });

    test("a removed group membership or assignment is gone from the user's next token", async () => {
      await h.container.groups.removeReference(scope(), system(), 'members', ids.writers!, ids.alice!);
      assert.deepEqual((await userToken('alice')).roles, ['Reader']);
      const assignments = (await admin('GET', `/users/${ids.alice}/appRoleAssignments`)).body.value as { id: string }[];
      for (const a of assignments) assert.equal((await admin('DELETE', `/users/${ids.alice}/appRoleAssignments/${a.id}`)).status, 204);
      assert.equal((await userToken('alice')).roles, undefined);
    });

    test("an app's client-credentials token holds its application roles; a revoked one is gone from the next token", async () => {
      assert.equal(await appRoles(), undefined, 'nothing assigned yet');
      const granted = await admin('POST', `/servicePrincipals/${api.spId}/appRoleAssignedTo`, { principalId: daemon.servicePrincipalId, resourceId: api.spId, appRoleId: api.roles['Sync.All'] });
      assert.equal(granted.status, 201, granted.text);
      const second = await admin('POST', `/servicePrincipals/${daemon.servicePrincipalId}/appRoleAssignments`, { principalId: daemon.servicePrincipalId, resourceId: api.spId, appRoleId: api.roles.Auditor });
      assert.equal(second.status, 201, second.text);
      assert.deepEqual((await appRoles())?.toSorted(), ['Auditor', 'Sync.All']);
      // revoked through Graph on this node: gone at once
      assert.equal((await admin('DELETE', `/servicePrincipals/${daemon.servicePrincipalId}/appRoleAssignments/${second.body.id}`)).status, 204);
      assert.deepEqual(await appRoles(), ['Sync.All']);
      // revoked by another node (here: straight in the database, which moves the stamp but not this node's cache):
      // gone once this node re-reads the stamp, within STAMP_RECHECK_MS
      await inTransaction(h.db, scope(), (tdb) => grantsRepo.deleteAppRoleAssignmentById(tdb, granted.body.id));
      clock.offsetMs += STAMP_RECHECK_MS + 1_000;
      assert.equal(await appRoles(), undefined);
    });

    test('an app that requires assignment refuses an unassigned user with AADSTS50105, and lets an assigned one in', async () => {
      const required = await admin('PATCH', `/servicePrincipals/${web.servicePrincipalId}`, { appRoleAssignmentRequired: true });
      assert.equal(required.status, 204, required.text);
      // the Auditors group (carol is a direct member; alice only through Writers) is assigned to the app
      const assigned = await admin('POST', `/groups/${ids.auditors}/appRoleAssignments`, { principalId: ids.auditors!, resourceId: web.servicePrincipalId, appRoleId: DEFAULT_ROLE });
      assert.equal(assigned.status, 201, assigned.text);

      for (const user of ['bob', 'alice']) {
        const refused = await signIn(user);
        assert.equal(refused.searchParams.get('error'), 'access_denied', `${user}: ${refused}`);
        assert.match(refused.searchParams.get('error_description') ?? '', /^AADSTS50105: .*Inventory web/);
        assert.equal(refused.searchParams.get('code'), null);
        assert.equal(refused.searchParams.get('state'), 'st');
      }
      assert.ok((await signIn('carol')).searchParams.get('code'), 'carol is assigned through her group');
      // assigned directly, bob gets in too
      const direct = await admin('POST', `/users/${ids.bob}/appRoleAssignments`, { principalId: ids.bob!, resourceId: web.servicePrincipalId, appRoleId: DEFAULT_ROLE });
      assert.equal(direct.status, 201, direct.text);
      assert.ok((await signIn('bob')).searchParams.get('code'));
      // and out again when the assignment goes
      assert.equal((await admin('DELETE', `/users/${ids.bob}/appRoleAssignments/${direct.body.id}`)).status, 204);
      assert.equal((await signIn('bob')).searchParams.get('error'), 'access_denied');
    });
  });
}
