import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

/**
 * The `tessera` command as installed and as `npm start` runs it: bin/tessera.js, which builds dist/
 * from src/ when stale (scripts/build-server.mjs) and runs the compiled JavaScript, without tsx.
 * The other CLI tests run the sources through tsx; this one covers the build and the compiled entry.
 */
const root = new URL('../../', import.meta.url).pathname;

// records every package the process resolves (ESM imports and require), printed on exit
const recordLoads = `data:text/javascript,${encodeURIComponent(
  'import { registerHooks } from "node:module"; const seen = new Set();' +
    'registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); if (!/^(node:|[./]|file:|data:)/.test(specifier)) seen.add(specifier); return result; } });' +
    'process.on("exit", () => process.stderr.write(`LOADED ${JSON.stringify([...seen])}\\n`));',
)}`;

describe('tessera CLI, compiled (bin/tessera.js, dist/)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[], nodeArgs: string[] = []) =>
    spawnSync(process.execPath, [...nodeArgs, join(root, 'bin/tessera.js'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-built-'));
    env = { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_DATABASE_URL: join(dir, 'built.db'), TESSERA_LOG_LEVEL: 'silent', TESSERA_SECRET: 'built-test-secret-0123456789' };
    delete env.NODE_OPTIONS; // the test runner's tsx loader: the compiled command runs without it
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--help prints the usage (building dist/ first when it is missing or stale)', () => {
    const help = run(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: tessera <command>/);
    assert.ok(existsSync(join(root, 'dist/main.js')));
    assert.ok(existsSync(join(root, 'dist/build-stamp.json')));
  });

  test('migrate and user create run from dist/; user create loads neither the HTTP server, the pages nor oidc-provider', () => {
    const migrate = run(['migrate']);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.ok(JSON.parse(migrate.stdout).applied.length >= 1);
    const tenant = run(['tenant', 'create', '--name', 'Contoso', '--domain', 'contoso.example']);
    assert.equal(tenant.status, 0, tenant.stderr);
    const user = run(['user', 'create', '--tenant', 'contoso.example', '--upn', 'kim@contoso.example', '--password', 'Us3r!Passw0rd'], ['--import', recordLoads]);
    assert.equal(user.status, 0, user.stderr);
    assert.equal(JSON.parse(user.stdout).userPrincipalName, 'kim@contoso.example');
    const loaded: string[] = JSON.parse(/LOADED (.*)/.exec(user.stderr)?.[1] ?? 'null');
    assert.ok(loaded.includes('kysely'), `the loads were recorded: ${loaded.join(', ')}`);
    assert.ok(!loaded.includes('tsx') && !loaded.some((name) => name.startsWith('tsx/')), 'no TypeScript loader');
    for (const heavy of ['fastify', 'react', 'react-dom/server', 'oidc-provider', 'nodemailer']) assert.ok(!loaded.includes(heavy), `${heavy} is not loaded`);
  });

  test('unknown commands fail with a one-line error and status 2', () => {
    const unknown = run(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command 'frobnicate'/);
  });
});
