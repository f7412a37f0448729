import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';

/** `tessera app create` and `tessera keys rotate` against one SQLite file, checked through the container. */
describe('tessera app create / keys rotate', () => {
  const root = join(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-app-'));
  const env = { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_SECRET: 'cli-app-secret-0123456789', TESSERA_LOG_LEVEL: 'silent' };
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });

  test('app create prints appId, secret and service principal, and records the admin grants', async () => {
    const tenant = run('tenant', 'create', '--name', 'Apps', '--domain', 'apps.example');
    assert.equal(tenant.status, 0, tenant.stderr);
    const daemon = run('app', 'create', '--tenant', 'apps.example', '--name', 'Daemon', '--secret', '--api-permissions', 'User.Read.All Group.Read.All');
    assert.equal(daemon.status, 0, daemon.stderr);
    const created = JSON.parse(daemon.stdout) as { appId: string; clientSecret: string; servicePrincipalId: string };
    assert.ok(created.appId && created.clientSecret && created.servicePrincipalId);
    const web = run('app', 'create', '--tenant', 'apps.example', '--name', 'Web', '--redirect-uri', 'https://web.example/cb', '--delegated', 'User.Read');
    assert.equal(web.status, 0, web.stderr);
    const bad = run('app', 'create', '--tenant', 'apps.example', '--name', 'Bad', '--api-permissions', 'Not.A.Permission');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Not\.A\.Permission/);
    const badUri = run('app', 'create', '--tenant', 'apps.example', '--name', 'Bad', '--redirect-uri', 'http://evil.example/cb');
    assert.equal(badUri.status, 2);

    const rotate = run('keys', 'rotate', '--tenant', 'apps.example');
    assert.equal(rotate.status, 0, rotate.stderr);
    const rotated = JSON.parse(rotate.stdout) as { activeKids: string[]; retiredKids: string[] };
    assert.equal(rotated.activeKids.length, 3);
    assert.equal(rotated.retiredKids.length, 3);

    const container = await createContainer(loadConfig(env), { logger: createLogger('silent') });
    try {
      const scope = tenantScope(JSON.parse(tenant.stdout).tenantId as string);
      assert.deepEqual((await container.applications.applicationRoles(scope, created.appId, GRAPH_APP_ID)).sort(), ['Group.Read.All', 'User.Read.All']);
      const client = await container.applications.client(scope, created.appId);
      assert.ok(client && container.applications.secretMatches(client.application, created.clientSecret));
      assert.ok(!JSON.stringify(client.application).includes(created.clientSecret), 'the secret itself is not stored');
      const webApp = JSON.parse(web.stdout) as { appId: string; clientSecret: string | null };
      assert.equal(webApp.clientSecret, null);
      assert.deepEqual([...(await container.applications.consentedScopes(scope, webApp.appId, GRAPH_APP_ID, null))], ['User.Read']);
      const keys = await container.signingKeys.keys(scope);
      assert.equal(keys.publicJwks.length, 6, 'retired keys stay published');
    } finally {
      await container.close();
    }
  });
});
