import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

const METRICS_TOKEN = 'operations-test-metrics-token';

describe('operations endpoints', () => {
  let h: Harness;
  before(async () => {
    // /metrics is on the main listener only with a bearer token (test/e2e/side-channels.test.ts)
    h = await createHarness('sqlite', { config: { metrics: { token: METRICS_TOKEN, port: null } } });
  });
  after(() => h.close());

  test('/healthz and /readyz', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.deepEqual((await h.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
  });

  test('/metrics counts requests by route template (never by raw id) and jobs by state', async () => {
    await h.app.inject({ method: 'GET', url: `/v1.0/users/${h.tenant.adminId}`, headers: { authorization: `Bearer ${h.tenant.adminToken}` } });
    await inTransaction(h.db, tenantScope(h.tenant.id), (tdb) => h.container.queue.enqueue(tdb, 'metrics-test', {}));
    const response = await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/plain/);
    assert.match(response.body, /tessera_http_requests_total\{method="GET",route="\/v1\.0\/users\/:id",status="200"\} 1/);
    assert.ok(!response.body.includes(h.tenant.adminId), 'no object id appears in the metrics');
    assert.match(response.body, /tessera_jobs\{state="queued"\} 1/);
    assert.match(response.body, /tessera_process_cpu_seconds_total/);
  });
});
