import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { FormClient } from '../helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../helpers/oidc-flow.ts';
import { testConfig } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';
import { freePort } from '../helpers/ports.ts';

/**
 * Two `tessera serve` processes on one PostgreSQL database behind one public URL: a user signs in
 * through node 1, and node 2 refreshes the tokens, serves userinfo and answers Graph, because
 * sessions, codes, grants, refresh tokens and keys all live in the database.
 */
const tls = testTls();
const skip = !process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL is not set (needs PostgreSQL)' : !tls ? 'no loopback TLS certificate (run through npm test)' : false;
const SECRET = 'multi-node-secret-0123456789abcdef';
const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Erin-Passw0rd!';


async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`node exited early (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`node at ${url} did not become healthy:\n${output()}`);
}

describe('two server nodes on one PostgreSQL database', { skip }, () => {
  let db: TestDatabase;
  let setup: Container;
  const nodes: ChildProcess[] = [];
  let publicUrl: string;
  let node2: string;
  let tid: string;
  let upn: string;
  let app: { appId: string; clientSecret: string | null };

  before(async () => {
    db = await createTestDatabase('postgres');
    const [port1, port2] = [await freePort(), await freePort()];
    publicUrl = `https://127.0.0.1:${port1}`;
    node2 = `https://127.0.0.1:${port2}`;
    setup = await createContainer({ ...testConfig(), baseUrl: publicUrl, secret: SECRET }, { database: db, migrate: false, logger: createLogger('silent') });
    const domain = `multinode${process.pid}.example`;
    const { tenant } = await setup.tenants.create({ displayName: 'Multi', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
    tid = tenant.id;
    upn = `erin@${domain}`;
    await setup.users.createMember(tenantScope(tid), { kind: 'system', tenantId: tid }, { userPrincipalName: upn, displayName: 'Erin', mailNickname: 'erin', accountEnabled: true, password: PASSWORD });
    app = await setup.applications.create(tenantScope(tid), { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    for (const port of [port1, port2]) {
      let output = '';
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/main.ts'), 'serve'], {
        env: {
          ...process.env,
          TESSERA_DATABASE_URL: db.url,
          TESSERA_SECRET: SECRET,
          TESSERA_PORT: String(port),
          TESSERA_HOST: '127.0.0.1',
          TESSERA_BASE_URL: publicUrl,
          TESSERA_TLS_CERT: tls!.certFile,
          TESSERA_TLS_KEY: tls!.keyFile,
          TESSERA_LOG_LEVEL: 'warn',
          TESSERA_DATA_DIR: '/tmp/tessera-multinode-data',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      nodes.push(child);
      await waitForHealth(`https://127.0.0.1:${port}`, child, () => output);
    }
  });

  after(async () => {
    for (const child of nodes) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await setup?.close();
  });

  test('sign in through node 1; refresh, userinfo and Graph through node 2', async () => {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(publicUrl, tid, { client_id: app.appId, redirect_uri: REDIRECT, scope: 'openid profile offline_access User.Read', code_challenge: challenge, code_challenge_method: 'S256', state: 'mn' });
    const { redirect, page } = await signInThroughPages(new FormClient(), url, upn, PASSWORD, REDIRECT);
    assert.ok(redirect?.searchParams.get('code'), page?.html.slice(0, 500));
    if (!redirect) return;
    const tokens = await tokenRequest(publicUrl, tid, { grant_type: 'authorization_code', client_id: app.appId, client_secret: app.clientSecret!, code: redirect.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));

    const refreshed = await tokenRequest(node2, tid, { grant_type: 'refresh_token', client_id: app.appId, client_secret: app.clientSecret!, refresh_token: String(tokens.body.refresh_token) });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const me = await fetch(`${node2}/v1.0/me`, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } });
    assert.equal(me.status, 200, await me.clone().text());
    assert.equal(((await me.json()) as { userPrincipalName: string }).userPrincipalName, upn);
    const info = await fetch(`${node2}/${tid}/oidc/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    assert.equal(info.status, 200);

    // the rotated-out refresh token is refused on node 1 too: the rotation was recorded in the shared database
    const reuse = await tokenRequest(publicUrl, tid, { grant_type: 'refresh_token', client_id: app.appId, client_secret: app.clientSecret!, refresh_token: String(tokens.body.refresh_token) });
    assert.equal(reuse.body.error, 'invalid_grant');
  });
});
