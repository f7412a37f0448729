import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/kernel/clock.ts';
import { OidcPayloadStore } from '../../src/modules/signin/index.ts';
import { sqlAdapter } from '../../src/oidc/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.ts';

/**
 * The behaviour oidc-provider expects of its adapter, on every database Tessera runs on:
 * upsert/find, consume, destroy, revokeByGrantId, findByUid, findByUserCode, expiry, and that
 * one tenant's adapter never sees another's artifacts.
 */
class TestClock implements Clock {
  at = new Date('2026-11-23T12:00:00.000Z');
  now() {
    return new Date(this.at);
  }
  advance(seconds: number) {
    this.at = new Date(this.at.getTime() + seconds * 1000);
  }
}

async function insertTenant(database: TestDatabase, id: string): Promise<void> {
  await database.db
    .insertInto('tenants')
    .values({ id, display_name: id, initial_domain: `${id}.example`, cloud_type: 'commercial', technical_notification_mails: '[]', branding: '{}', settings: '{}', created_at: new Date().toISOString() })
    .execute();
}

for (const dialect of testDialects) {
  describe(`oidc-provider SQL adapter conformance (${dialect})`, () => {
    let database: TestDatabase;
    const clock = new TestClock();
    let store: OidcPayloadStore;
    const A = tenantScope('0a000000-0000-4000-8000-000000000001');
    const B = tenantScope('0b000000-0000-4000-8000-000000000002');
    const noClients = async () => undefined;
    const adapter = (scope: typeof A, model: string) => new (sqlAdapter(store, scope, noClients))(model);

    before(async () => {
      database = await createTestDatabase(dialect);
      await insertTenant(database, A.tenantId);
      await insertTenant(database, B.tenantId);
      store = new OidcPayloadStore(database, clock);
    });
    after(() => database.close());

    test('upsert then find returns the payload; upsert again replaces it', async () => {
      const sessions = adapter(A, 'Session');
      await sessions.upsert('s1', { accountId: 'u1', uid: 'uid-1', kind: 'Session' }, 60);
      assert.deepEqual(await sessions.find('s1'), { accountId: 'u1', uid: 'uid-1', kind: 'Session' });
      await sessions.upsert('s1', { accountId: 'u2', uid: 'uid-1', kind: 'Session' }, 60);
      assert.equal(((await sessions.find('s1')) as { accountId: string }).accountId, 'u2');
      assert.equal(await sessions.find('missing'), undefined);
    });

    test('findByUid and findByUserCode', async () => {
      const sessions = adapter(A, 'Session');
      assert.equal(((await sessions.findByUid('uid-1')) as { accountId: string }).accountId, 'u2');
      assert.equal(await sessions.findByUid('uid-unknown'), undefined);
      const devices = adapter(A, 'DeviceCode');
      await devices.upsert('d1', { userCode: 'ABCD-EFGH', kind: 'DeviceCode' }, 60);
      assert.equal(((await devices.findByUserCode('ABCD-EFGH')) as { kind: string }).kind, 'DeviceCode');
    });

    test('the same id under another model is another artifact', async () => {
      await adapter(A, 'AccessToken').upsert('same', { kind: 'AccessToken' }, 60);
      await adapter(A, 'RefreshToken').upsert('same', { kind: 'RefreshToken' }, 60);
      assert.equal(((await adapter(A, 'AccessToken').find('same')) as { kind: string }).kind, 'AccessToken');
      assert.equal(((await adapter(A, 'RefreshToken').find('same')) as { kind: string }).kind, 'RefreshToken');
    });

    test('consume marks the artifact consumed (epoch seconds) and keeps it findable', async () => {
      const codes = adapter(A, 'AuthorizationCode');
      await codes.upsert('c1', { grantId: 'g1', kind: 'AuthorizationCode' }, 60);
      assert.equal(((await codes.find('c1')) as { consumed?: number }).consumed, undefined);
      await codes.consume('c1');
      assert.equal(((await codes.find('c1')) as { consumed?: number }).consumed, Math.floor(clock.now().getTime() / 1000));
    });

    test('destroy removes one artifact', async () => {
      const tokens = adapter(A, 'AccessToken');
      await tokens.upsert('t-destroy', { kind: 'AccessToken' }, 60);
      await tokens.destroy('t-destroy');
      assert.equal(await tokens.find('t-destroy'), undefined);
    });

    test('revokeByGrantId removes every artifact of the grant, in every model', async () => {
      await adapter(A, 'AccessToken').upsert('at-g2', { grantId: 'g2' }, 60);
      await adapter(A, 'RefreshToken').upsert('rt-g2', { grantId: 'g2' }, 60);
      await adapter(A, 'AccessToken').upsert('at-g3', { grantId: 'g3' }, 60);
      await adapter(A, 'AccessToken').revokeByGrantId('g2');
      assert.equal(await adapter(A, 'AccessToken').find('at-g2'), undefined);
      assert.equal(await adapter(A, 'RefreshToken').find('rt-g2'), undefined);
      assert.ok(await adapter(A, 'AccessToken').find('at-g3'));
    });

    test('expired artifacts are not found, and the purge deletes them', async () => {
      const interactions = adapter(A, 'Interaction');
      await interactions.upsert('i-short', { uid: 'i-short-uid' }, 10);
      await interactions.upsert('i-long', { uid: 'i-long-uid' }, 1000);
      await interactions.upsert('i-forever', {}, undefined);
      clock.advance(11);
      assert.equal(await interactions.find('i-short'), undefined);
      assert.equal(await interactions.findByUid('i-short-uid'), undefined);
      assert.ok(await interactions.find('i-long'));
      assert.equal(await store.purgeExpired(A), 1);
      assert.ok(await interactions.find('i-forever'));
      clock.advance(1000);
      assert.ok((await store.purgeExpired(A)) >= 1);
      assert.equal(await interactions.find('i-long'), undefined);
    });

    test('tenants are separate: the same ids in two tenants never meet', async () => {
      await adapter(A, 'Grant').upsert('shared-id', { accountId: 'in-A', uid: 'shared-uid', grantId: 'shared-grant' }, 600);
      await adapter(B, 'Grant').upsert('shared-id', { accountId: 'in-B', uid: 'shared-uid', grantId: 'shared-grant' }, 600);
      assert.equal(((await adapter(A, 'Grant').find('shared-id')) as { accountId: string }).accountId, 'in-A');
      assert.equal(((await adapter(B, 'Grant').findByUid('shared-uid')) as { accountId: string }).accountId, 'in-B');
      await adapter(A, 'Grant').revokeByGrantId('shared-grant');
      assert.equal(await adapter(A, 'Grant').find('shared-id'), undefined);
      assert.ok(await adapter(B, 'Grant').find('shared-id'), "revoking in A leaves B's grant");
      await adapter(A, 'Grant').upsert('only-a', { accountId: 'x' }, 600);
      await adapter(B, 'Grant').destroy('only-a');
      await adapter(B, 'Grant').consume('only-a');
      assert.equal(((await adapter(A, 'Grant').find('only-a')) as { consumed?: number }).consumed, undefined);
      assert.equal(await adapter(B, 'Grant').find('only-a'), undefined);
    });

    test('Client lookups go to the application registry, and clients cannot be written', async () => {
      const clients = new (sqlAdapter(store, A, async (id) => (id === 'app-1' ? { client_id: 'app-1' } : undefined)))('Client');
      assert.deepEqual(await clients.find('app-1'), { client_id: 'app-1' });
      assert.equal(await clients.find('app-2'), undefined);
      await assert.rejects(clients.upsert('app-3', {}, 60));
    });
  });
}
