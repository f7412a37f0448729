import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOCKOUT_THRESHOLD } from '../../src/modules/signin/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/** Smart lockout counts every failure, also when guesses arrive at once (on PostgreSQL: from many nodes). */
for (const dialect of testDialects) {
  describe(`smart lockout under concurrency (${dialect})`, () => {
    let h: Harness;
    before(async () => {
      h = await createHarness(dialect);
    });
    after(() => h?.close());

    test('ten simultaneous wrong passwords from one source lock it; other sources are unaffected', async () => {
      const scope = tenantScope(h.tenant.id);
      const username = `admin@${h.tenant.domain}`;
      const outcomes = await Promise.all(
        Array.from({ length: LOCKOUT_THRESHOLD }, () => h.container.signIn.attempt(scope, { username, password: 'wrong-password', source: '203.0.113.10' })),
      );
      assert.ok(outcomes.every((o) => o.outcome === 'badPassword'));
      assert.equal((await h.container.signIn.attempt(scope, { username, password: 'Admin-Passw0rd!', source: '203.0.113.10' })).outcome, 'locked');
      assert.equal((await h.container.signIn.attempt(scope, { username, password: 'Admin-Passw0rd!', source: '198.51.100.1' })).outcome, 'ok');
      assert.equal((await h.container.signIn.attempt(scope, { username: h.tenant.adminId, password: 'Admin-Passw0rd!', source: '198.51.100.1' })).outcome, 'unknownUser', 'object ids are not sign-in names');
    });
  });
}
