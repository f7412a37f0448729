import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { payloadsRepo } from '../../src/modules/signin/index.ts';
import { inTransaction, scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import type { Principal } from '../../src/modules/directory/index.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { appToken, ManualClock, ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * A guest's lifecycle on Graph (issue 15 item 7): revoke (POST /users/{id}/revokeSignInSessions,
 * authorized like a password reset on the target; disable; delete, which takes the invitation and
 * the home link with it).
 */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

for (const dialect of testDialects) {
  describe(`guest lifecycle (${dialect})`, () => {
    let h: Harness;
    let ga: Graph;
    let clock: ManualClock;
    let counter = 0;
    const scope = () => tenantScope(h.tenant.id);
    const system = (): Principal => ({ kind: 'system', tenantId: h.tenant.id });

    before(async () => {
      clock = new ManualClock();
      h = await createHarness(dialect, { clock, config: { baseUrl: 'https://tessera.test' } });
      ga = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.ReadWrite.All', 'User.RevokeSessions.All']));
    });
    after(() => h?.close());

    /** an SSO session and a refresh token of the user, as oidc-provider stores them */
    const signIn = async (userId: string) => {
      const n = ++counter;
      await inTransaction(h.container.database, scope(), async (tdb) => {
        await payloadsRepo.upsert(tdb, { model: 'Session', id: `session-${n}`, payload: JSON.stringify({ accountId: userId }), uid: `uid-${n}`, grantId: null, userCode: null, expiresAt: FAR_FUTURE });
        await payloadsRepo.upsert(tdb, { model: 'RefreshToken', id: `refresh-${n}`, payload: JSON.stringify({ accountId: userId, grantId: `grant-${n}` }), uid: null, grantId: `grant-${n}`, userCode: null, expiresAt: FAR_FUTURE });
      });
    };
    const sessionsOf = async (userId: string) =>
      (await sql<{ n: number }>`select count(*) as n from oidc_payloads where tenant_id = ${h.tenant.id} and payload like ${`%"accountId":"${userId}"%`}`.execute(h.db.db)).rows[0]!.n;
    const guest = async () => {
      clock.advance(10_000);
      return h.container.invitations.invite(scope(), system(), { invitedUserEmailAddress: `guest${++counter}@partner.example`, inviteRedirectUrl: 'https://apps.contoso.example/' });
    };

    test("revokeSignInSessions answers Graph's Edm.Boolean and ends every session and refresh token of that user only", async () => {
      const target = await guest();
      const bystander = await guest();
      await signIn(target.id);
      await signIn(target.id);
      await signIn(bystander.id);
      const response = await ga('POST', `/users/${target.id}/revokeSignInSessions`);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { '@odata.context': 'https://tessera.test/v1.0/$metadata#Edm.Boolean', value: true });
      assert.equal(Number(await sessionsOf(target.id)), 0);
      assert.equal(Number(await sessionsOf(bystander.id)), 2);
      const events = await auditRepo.list(scoped(h.container.database, scope()), 20);
      assert.ok(events.some((e) => e.action === 'Revoke sign-in sessions' && e.targetId === target.id && e.actorId === h.tenant.adminId));
      // by userPrincipalName too, and unknown users are 404
      const member = await userWithRoles(h);
      await signIn(member.id);
      assert.equal((await ga('POST', `/users/${member.upn}/revokeSignInSessions`)).status, 200);
      assert.equal(Number(await sessionsOf(member.id)), 0);
      assert.equal((await ga('POST', '/users/00000000-0000-4000-8000-000000000000/revokeSignInSessions')).status, 404);
    });

    test("revokeSignInSessions is a sensitive action on the target: the caller's roles must reach the target's", async () => {
      const plain = await userWithRoles(h);
      const globalAdmin = await userWithRoles(h, { roles: [ROLE.globalAdministrator] });
      const reader = await userWithRoles(h, { roles: [ROLE.directoryReaders] });
      const helpdesk = graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.helpdeskAdministrator], scopes: ['User.RevokeSessions.All'] })).token);
      const member = graphCaller(h.app, (await userWithRoles(h, { scopes: ['User.RevokeSessions.All', 'User.ReadWrite.All'] })).token);
      const app = graphCaller(h.app, appToken(h, ['User.RevokeSessions.All']));
      const appWithout = graphCaller(h.app, appToken(h, ['User.Read.All']));
      for (const id of [plain.id, globalAdmin.id]) await signIn(id);
      const revoke = (graph: Graph, id: string) => graph('POST', `/users/${id}/revokeSignInSessions`);
      assert.equal((await revoke(member, plain.id)).status, 403);
      assert.equal((await revoke(appWithout, plain.id)).status, 403);
      assert.equal((await revoke(helpdesk, globalAdmin.id)).status, 403);
      assert.equal((await revoke(app, globalAdmin.id)).status, 403);
      assert.equal(Number(await sessionsOf(globalAdmin.id)), 2, 'refused revocations change nothing');
      assert.equal((await revoke(helpdesk, plain.id)).status, 200);
      assert.equal((await revoke(helpdesk, reader.id)).status, 200);
      assert.equal((await revoke(app, plain.id)).status, 200);
      assert.equal((await revoke(ga, globalAdmin.id)).status, 200);
      assert.equal(Number(await sessionsOf(globalAdmin.id)), 0);
    });

    test('disabling a guest ends its sessions; deleting it takes the invitation and the home link along', async () => {
      const invitation = await guest();
      const ticket = new URL(invitation.inviteRedeemUrl!).searchParams.get('ticket')!;
      const home = { kind: 'oidc' as const, issuer: 'https://idp.partner.example', subject: `gone-${counter}`, email: invitation.invitedUserEmailAddress };
      await h.container.invitations.redeem(scope(), { guestId: invitation.id, ticket, home });
      await signIn(invitation.id);
      assert.equal((await ga('PATCH', `/users/${invitation.id}`, { accountEnabled: false })).status, 204);
      assert.equal(Number(await sessionsOf(invitation.id)), 0);
      assert.equal(await h.container.invitations.findGuestForSignIn(scope(), home), null);
      assert.equal((await ga('DELETE', `/users/${invitation.id}`)).status, 204);
      const left = await sql<{ n: number }>`select (select count(*) from guest_invitations where tenant_id = ${h.tenant.id} and user_id = ${invitation.id}) + (select count(*) from guest_home_links where tenant_id = ${h.tenant.id} and user_id = ${invitation.id}) as n`.execute(h.db.db);
      assert.equal(Number(left.rows[0]!.n), 0);
      assert.deepEqual(await h.container.invitations.organizationsOf(home), []);
      await assert.rejects(h.container.invitations.openTicket(h.tenant.id, invitation.id, ticket), { code: 'invitations.ticketInvalid' });
    });
  });
}
