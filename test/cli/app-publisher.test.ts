import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { selfSignedCertificate } from '../helpers/certificates.ts';

/** `tessera app create --certificate FILE` and `tessera app verify-publisher` against one SQLite file. */
describe('tessera app create --certificate / app verify-publisher', () => {
  const root = join(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-publisher-'));
  const env = { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_SECRET: 'cli-publisher-secret-0123456789', TESSERA_LOG_LEVEL: 'silent' };
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });
  const cert = selfSignedCertificate('cli-app');

  test('a certificate becomes a keyCredential; a verified publisher is set and removed by the server administrator', { skip: cert ? false : 'no openssl' }, async () => {
    const tenant = run('tenant', 'create', '--name', 'Publishers', '--domain', 'publishers.example');
    assert.equal(tenant.status, 0, tenant.stderr);
    const created = run('app', 'create', '--tenant', 'publishers.example', '--name', 'Cert app', '--certificate', cert!.certFile, '--api-permissions', 'User.Read.All');
    assert.equal(created.status, 0, created.stderr);
    const app = JSON.parse(created.stdout) as { appId: string; clientSecret: null; keyCredentials: { keyId: string; customKeyIdentifier: string; endDateTime: string }[] };
    assert.equal(app.clientSecret, null);
    assert.equal(app.keyCredentials.length, 1);
    assert.match(app.keyCredentials[0]!.customKeyIdentifier, /^[0-9A-F]{40}$/);

    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const bad = run('app', 'create', '--tenant', 'publishers.example', '--name', 'Bad cert', '--certificate', garbage);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /certificate/i);
    const missing = run('app', 'create', '--tenant', 'publishers.example', '--name', 'Missing', '--certificate', join(dir, 'nope.pem'));
    assert.equal(missing.status, 2);
    const publicWithCert = run('app', 'create', '--tenant', 'publishers.example', '--name', 'Public', '--public', '--certificate', cert!.certFile);
    assert.equal(publicWithCert.status, 2);

    const verified = run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', app.appId, '--name', 'Publishers Inc.', '--id', '1234567');
    assert.equal(verified.status, 0, verified.stderr);
    const shown = JSON.parse(verified.stdout) as { verifiedPublisher: { displayName: string; verifiedPublisherId: string; addedDateTime: string } };
    assert.equal(shown.verifiedPublisher.displayName, 'Publishers Inc.');
    assert.equal(shown.verifiedPublisher.verifiedPublisherId, '1234567');
    assert.match(shown.verifiedPublisher.addedDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    assert.equal(run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', app.appId, '--name', 'X').status, 2, '--id is required');
    assert.equal(run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', 'not-an-id', '--name', 'X', '--id', '1').status, 2);
    assert.equal(run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', '11111111-2222-3333-4444-555555555555', '--name', 'X', '--id', '1').status, 2);
    assert.equal(run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', app.appId, '--name', 'X', '--id', 'has spaces').status, 2);
    assert.equal(run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', app.appId, '--remove', '--name', 'X').status, 2);

    const container = await createContainer(loadConfig(env), { logger: createLogger('silent') });
    try {
      const scope = tenantScope(JSON.parse(tenant.stdout).tenantId as string);
      const client = (await container.applications.client(scope, app.appId))!;
      assert.deepEqual(await container.applications.publisher(client), { name: 'Publishers Inc.', domain: 'publishers.example', verified: true, homeTenantId: scope.tenantId });
      assert.equal(client.servicePrincipal?.verifiedPublisher.verifiedPublisherId, '1234567', 'the service principal follows');
      const jwk = JSON.parse(client.application.keyCredentials[0]!.key) as { x5t: string; kid: string };
      assert.equal(jwk.kid, jwk.x5t);
    } finally {
      await container.close();
    }

    const removed = run('app', 'verify-publisher', '--tenant', 'publishers.example', '--app-id', app.appId, '--remove');
    assert.equal(removed.status, 0, removed.stderr);
    assert.deepEqual((JSON.parse(removed.stdout) as { verifiedPublisher: unknown }).verifiedPublisher, { displayName: null, verifiedPublisherId: null, addedDateTime: null });
  });
});
