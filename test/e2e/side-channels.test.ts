import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { Metrics, startMetricsListener } from '../../src/http/ops/metrics.ts';
import * as passwords from '../../src/kernel/passwords.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { FormClient, parseForm } from '../helpers/form-client.ts';
import { authorizeUrl, pkce } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { freePort } from '../helpers/ports.ts';

/**
 * Side channels (issue 13, item 6). The password step does the same argon2 work whether or not
 * the account exists (a fixed dummy hash stands in for a missing one): asserted by counting
 * argon2 verifications, never by timing. `/metrics` is not public: off the main listener unless
 * a bearer token is configured, or on a loopback-only port of its own.
 */

const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Frank-Passw0rd!';

/** Counts argon2 verifications (the real ones still run) while `work` runs. */
async function argon2Verifications(work: () => Promise<unknown>): Promise<number> {
  const spy = mock.method(passwords.argon2id, 'verify');
  try {
    await work();
    return spy.mock.callCount();
  } finally {
    spy.mock.restore();
  }
}

for (const dialect of testDialects) {
  describe(`the password step for unknown accounts (${dialect})`, () => {
    let h: Harness;
    let tid: string;
    let upn: string;
    let noCredentialUpn: string;
    let web: { appId: string };

    before(async () => {
      h = await createHarness(dialect, { listen: true, realTokens: true, config: { trustProxy: true, rateLimits: { signIn: 1000, token: 1000 } } });
      tid = h.tenant.id;
      const scope = tenantScope(tid);
      const system = { kind: 'system' as const, tenantId: tid };
      upn = `frank@${h.tenant.domain}`;
      await h.container.users.createMember(scope, system, { userPrincipalName: upn, displayName: 'Frank', mailNickname: 'frank', accountEnabled: true, password: PASSWORD });
      noCredentialUpn = `nocred@${h.tenant.domain}`;
      const noCredential = await h.container.users.createMember(scope, system, { userPrincipalName: noCredentialUpn, displayName: 'No credential', mailNickname: 'nocred', accountEnabled: true, password: PASSWORD });
      // an account without a password (as a guest's is): remove its credential row
      await scoped(h.db, scope).deleteFrom('user_credentials').where('user_id', '=', noCredential.id).execute();
      web = await h.container.applications.create(scope, { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    });
    after(() => h?.close());

    test('UsersService.verifyPassword runs one argon2 verification for a known, an unknown and a password-less account alike', async () => {
      const scope = tenantScope(tid);
      const cases: Array<[string, string, string]> = [
        ['known, wrong password', upn, 'wrong-password'],
        ['unknown sign-in name', `nobody@${h.tenant.domain}`, 'wrong-password'],
        ['unknown name without a domain', 'nobody', 'wrong-password'],
        ['unknown domain', 'nobody@elsewhere.example', 'wrong-password'],
        ['no credential', noCredentialUpn, 'wrong-password'],
      ];
      for (const [label, name, password] of cases) {
        let outcome = '';
        const count = await argon2Verifications(async () => {
          outcome = (await h.container.users.verifyPassword(scope, name, password)).outcome;
        });
        assert.equal(count, 1, `${label}: ${count} argon2 verifications (outcome ${outcome})`);
        assert.notEqual(outcome, 'ok', label);
      }
    });

    test('a sign-in attempt for an unknown account verifies against the dummy hash too', async () => {
      const scope = tenantScope(tid);
      for (const username of [`nobody@${h.tenant.domain}`, 'nobody']) {
        let outcome = '';
        const count = await argon2Verifications(async () => {
          outcome = (await h.container.signIn.attempt(scope, { username, password: 'wrong-password', source: '192.0.2.1' })).outcome;
        });
        assert.equal(outcome, 'unknownUser');
        assert.equal(count, 1, `${username}: ${count} argon2 verifications`);
      }
    });

    test('the password page posts an unknown account through the same verification as a known one', async () => {
      const base = h.container.config.baseUrl;
      const client = new FormClient({ 'x-forwarded-for': '192.0.2.77', 'accept-language': 'en' });
      const page = await client.follow(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
      const userForm = parseForm(await page.response.text(), page.url);
      const named = await client.follow(userForm.action, { body: new URLSearchParams({ ...userForm.fields, username: upn }) });
      const form = parseForm(await named.response.text(), named.url);
      const statuses: Record<string, number> = {};
      const counts: Record<string, number> = {};
      for (const [label, username] of [
        ['known', upn],
        ['unknown', `nobody@${h.tenant.domain}`],
      ] as const) {
        counts[label] = await argon2Verifications(async () => {
          const response = await client.request(form.action, { body: new URLSearchParams({ ...form.fields, username, password: 'wrong-password' }) });
          statuses[label] = response.status;
          assert.match(await response.text(), /account or password is incorrect/);
        });
      }
      assert.deepEqual(statuses, { known: 400, unknown: 400 });
      assert.deepEqual(counts, { known: 1, unknown: 1 });
    });

    test('the dummy hash has the same argon2id parameters as a real one', async () => {
      const real = await passwords.hashPassword('Some-Passw0rd!');
      const dummy = await passwords.dummyPasswordHash();
      const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
      assert.equal(parameters(dummy), parameters(real));
      assert.match(parameters(dummy), /^argon2id\$v=19\$m=19456,t=2,p=1$/);
      assert.equal(await passwords.dummyPasswordHash(), dummy, 'computed once');
    });
  });
}

describe('/metrics on the main listener', () => {
  test('is not served without TESSERA_METRICS_TOKEN', async () => {
    const h = await createHarness('sqlite');
    try {
      const response = await h.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(response.statusCode, 404);
      assert.doesNotMatch(response.body, /tessera_/);
    } finally {
      await h.close();
    }
  });

  test('with TESSERA_METRICS_TOKEN it needs that bearer token', async () => {
    const token = 'metrics-token-0123456789';
    const h = await createHarness('sqlite', { config: { metrics: { token, port: null } } });
    try {
      await h.app.inject({ method: 'GET', url: '/healthz' });
      const refused = [undefined, 'Bearer', 'Bearer ', `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, token, `Bearer  ${token} extra`];
      for (const authorization of refused) {
        const response = await h.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });
        assert.equal(response.statusCode, 401, `authorization ${JSON.stringify(authorization)}`);
        assert.match(String(response.headers['www-authenticate']), /^Bearer/);
        assert.doesNotMatch(response.body, /tessera_/);
      }
      for (const authorization of [`Bearer ${token}`, `bearer ${token}`]) {
        const response = await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
        assert.equal(response.statusCode, 200);
        assert.match(response.body, /tessera_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
      }
    } finally {
      await h.close();
    }
  });
});

describe('metrics settings', () => {
  const env = { TESSERA_SECRET: 'test-secret-0123456789abcdef' };
  test('are parsed and checked', () => {
    assert.deepEqual(loadConfig(env, { generateSecret: false }).metrics, { token: null, port: null });
    assert.deepEqual(loadConfig({ ...env, TESSERA_METRICS_TOKEN: 'a-long-enough-token', TESSERA_METRICS_PORT: '9464' }, { generateSecret: false }).metrics, { token: 'a-long-enough-token', port: 9464 });
    assert.throws(() => loadConfig({ ...env, TESSERA_METRICS_TOKEN: 'short' }, { generateSecret: false }), ConfigError);
    for (const port of ['x', '-1', '65536', '1.5']) assert.throws(() => loadConfig({ ...env, TESSERA_METRICS_PORT: port }, { generateSecret: false }), ConfigError, port);
    assert.throws(() => loadConfig({ ...env, TESSERA_PORT: '9464', TESSERA_METRICS_PORT: '9464' }, { generateSecret: false }), ConfigError);
  });
});


/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('TESSERA_METRICS_PORT', () => {
  test('the loopback listener serves only /metrics, and asks for the token when one is configured', async () => {
    const token = 'metrics-token-0123456789';
    const h = await createHarness('sqlite');
    const listener = await startMetricsListener(new Metrics(h.container), { port: await freePort(), token }, h.container.logger);
    try {
      assert.match(listener.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const plain = await fetch(listener.url);
      assert.equal(plain.status, 401);
      assert.match(plain.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.doesNotMatch(await plain.text(), /tessera_/);
      assert.equal((await fetch(listener.url, { headers: { authorization: `Bearer ${token}x` } })).status, 401);
      const authorized = await fetch(listener.url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(authorized.status, 200);
      assert.match(await authorized.text(), /tessera_process_cpu_seconds_total/);
      assert.equal((await fetch(listener.url.replace('/metrics', '/metrics/'), { headers: { authorization: `Bearer ${token}` } })).status, 404);
    } finally {
      await listener.close();
      await h.close();
    }
  });

  test('tessera serve serves /metrics on a loopback-only port of its own, started and stopped with the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
    const metricsPort = await freePort();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/main.ts'), 'serve'], {
        env: { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_PORT: '0', TESSERA_METRICS_PORT: String(metricsPort), TESSERA_LOG_LEVEL: 'warn', TESSERA_DATABASE_URL: '', TESSERA_METRICS_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const started = Date.now();
        while (!/listening on (\S+)/.test(output)) {
          if (Date.now() - started > 60_000 || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.match(output, new RegExp(`Metrics: http://127\\.0\\.0\\.1:${metricsPort}/metrics`));
        const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
        assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
        assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 404, 'not on the main listener');
        const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        assert.equal(metrics.status, 200);
        assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
        assert.match(await metrics.text(), /tessera_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
        assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status, 404, 'the metrics port serves only /metrics');
        assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { method: 'POST' })).status, 405);
        // bound to loopback only: another interface of this machine does not answer on it
        const external = Object.values(networkInterfaces())
          .flat()
          .find((address) => address && !address.internal && address.family === 'IPv4');
        if (external) assert.equal(await accepts(external.address, metricsPort), false, `reachable on ${external.address}`);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, output);
      assert.equal(await accepts('127.0.0.1', metricsPort), false, 'the metrics port closes with the server');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
