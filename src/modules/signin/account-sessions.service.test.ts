import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../kernel/clock.ts';
import { scoped } from '../../storage/scoped.ts';
import { tenantScope } from '../../tenancy/scope.ts';
import { auditRepo } from '../audit/index.ts';
import { createHarness, type Harness } from '../../../test/helpers/server.ts';
import { testDialects } from '../../../test/helpers/databases.ts';
import { AccountSessionsService } from './account-sessions.service.ts';

for (const dialect of testDialects) {
  describe(`sign out everywhere (${dialect})`, () => {
    let h: Harness;
    before(async () => {
      h = await createHarness(dialect);
    });
    after(() => h.close());

    test("removes the user's sessions, grants and tokens and nobody else's, and audits it", async () => {
      const scope = tenantScope(h.tenant.id);
      const store = h.container.oidcPayloads;
      const system = { kind: 'system' as const, tenantId: h.tenant.id };
      const other = await h.container.users.createMember(scope, system, { userPrincipalName: `other@${h.tenant.domain}`, displayName: 'Other', mailNickname: 'other', accountEnabled: true, password: 'Other!Passw0rd' });
      const me = h.tenant.adminId;
      // two browsers of mine, one of the other user's
      for (const [n, accountId] of [['1', me], ['2', me], ['3', other.id]] as const) {
        await store.upsert(scope, 'Session', `session-${n}`, { accountId, uid: `uid-${n}`, authorizations: {} }, 3600);
        await store.upsert(scope, 'Grant', `grant-${n}`, { accountId, clientId: 'client' }, 3600);
        await store.upsert(scope, 'RefreshToken', `rt-${n}`, { accountId, grantId: `grant-${n}` }, 3600);
        // an artifact of that grant whose payload names no account
        await store.upsert(scope, 'ReplayDetection', `replay-${n}`, { grantId: `grant-${n}` }, 3600);
      }
      // an account id that only appears somewhere else in a payload is not the owner
      await store.upsert(scope, 'Interaction', 'interaction-x', { uid: 'ix', lastSubmission: { login: { accountId: other.id } }, note: `"accountId":"${me}"` }, 3600);

      const removed = await new AccountSessionsService(h.db, systemClock).signOutEverywhere(scope, me);

      assert.equal(removed, 8);
      for (const n of ['1', '2']) {
        assert.equal(await store.find(scope, 'Session', `session-${n}`), undefined);
        assert.equal(await store.find(scope, 'Grant', `grant-${n}`), undefined);
        assert.equal(await store.find(scope, 'RefreshToken', `rt-${n}`), undefined);
        assert.equal(await store.find(scope, 'ReplayDetection', `replay-${n}`), undefined);
      }
      assert.ok(await store.find(scope, 'Session', 'session-3'));
      assert.ok(await store.find(scope, 'Grant', 'grant-3'));
      assert.ok(await store.find(scope, 'RefreshToken', 'rt-3'));
      assert.ok(await store.find(scope, 'ReplayDetection', 'replay-3'));
      assert.ok(await store.find(scope, 'Interaction', 'interaction-x'));
      const audit = await auditRepo.list(scoped(h.db, scope), 100);
      assert.ok(audit.some((e) => e.action === 'Revoke sign-in sessions' && e.targetId === me && e.actorId === me));
    });

    test('a malformed user id removes nothing', async () => {
      const scope = tenantScope(h.tenant.id);
      assert.equal(await new AccountSessionsService(h.db, systemClock).signOutEverywhere(scope, "%' or 1=1 --"), 0);
    });
  });
}
