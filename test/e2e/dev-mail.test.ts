import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/** Without TESSERA_SMTP_URL mail stays in the outbox and /dev/mail shows it, to loopback clients only. */
describe('/dev/mail', () => {
  let h: Harness;
  let mailId: string;
  before(async () => {
    h = await createHarness('sqlite');
    mailId = await inTransaction(h.db, tenantScope(h.tenant.id), (tdb) =>
      h.container.mail.send(tdb, { template: 'test', locale: 'en', to: ['guest@partner.example'], subject: 'You are invited <b>now</b>', text: 'Open https://x.example/redeem', html: '<p>Hi <script>alert(1)</script></p>' }),
    );
  });
  after(() => h.close());

  test('lists the outbox with escaped subjects and shows a mail', async () => {
    const list = await h.app.inject({ method: 'GET', url: '/dev/mail' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /You are invited &lt;b&gt;now&lt;\/b&gt;/);
    assert.match(list.body, /guest@partner\.example/);
    const one = await h.app.inject({ method: 'GET', url: `/dev/mail/${h.tenant.id}/${mailId}` });
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /Open https:\/\/x\.example\/redeem/);
  });

  test('the HTML version is served sandboxed', async () => {
    const html = await h.app.inject({ method: 'GET', url: `/dev/mail/${h.tenant.id}/${mailId}/html` });
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-security-policy']), /^sandbox;/);
  });

  test('remote clients and unknown ids get 404', async () => {
    const remote = await h.app.inject({ method: 'GET', url: '/dev/mail', remoteAddress: '203.0.113.9' });
    assert.equal(remote.statusCode, 404);
    assert.equal((await h.app.inject({ method: 'GET', url: `/dev/mail/${h.tenant.id}/not-a-guid` })).statusCode, 404);
    assert.equal((await h.app.inject({ method: 'GET', url: `/dev/mail/${h.tenant.id}/3f2504e0-4f89-11d3-9a0c-0305e82c3301` })).statusCode, 404);
  });
});
