import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/storage/database.ts';

/**
 * The `tessera` CLI as a script would use it: real processes on a temporary SQLite database,
 * JSON on stdout, one-line errors on stderr with exit status 2.
 */
const root = new URL('../../', import.meta.url).pathname;

describe('tessera CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    env = { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_DATABASE_URL: join(dir, 'cli.db'), TESSERA_LOG_LEVEL: 'silent', TESSERA_SECRET: 'cli-test-secret-0123456789' };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('migrate applies the migrations once', () => {
    const first = run('migrate');
    assert.equal(first.status, 0, first.stderr);
    assert.ok(JSON.parse(first.stdout).applied.length >= 1);
  });

  test('tenant create and user create print JSON; the same database serves both', () => {
    const tenant = run('tenant', 'create', '--name', 'Fabrikam', '--domain', 'fabrikam.example', '--country', 'nl', '--admin-email', 'admin@fabrikam.example', '--admin-password', 'Adm1n!Passw0rd');
    assert.equal(tenant.status, 0, tenant.stderr);
    const created = JSON.parse(tenant.stdout);
    assert.match(created.tenantId, /^[0-9a-f-]{36}$/);
    assert.equal(created.initialDomain, 'fabrikam.example');
    assert.match(created.adminUserId, /^[0-9a-f-]{36}$/);
    const user = run('user', 'create', '--tenant', 'fabrikam.example', '--upn', 'lee@fabrikam.example', '--password', 'Us3r!Passw0rd', '--display-name', 'Lee Gu', '--usage-location', 'nl');
    assert.equal(user.status, 0, user.stderr);
    assert.deepEqual(Object.keys(JSON.parse(user.stdout)).sort(), ['id', 'userPrincipalName']);
    const byId = run('user', 'create', '--tenant', created.tenantId, '--upn', 'kim@fabrikam.example', '--password', 'Us3r!Passw0rd');
    assert.equal(byId.status, 0, byId.stderr);
  });

  test('passwords the operator chose (tenant admin, user create) need no change at the first sign-in', async () => {
    const database = openDatabase(join(dir, 'cli.db'));
    try {
      const rows = await sql<{ user_principal_name: string; force: number }>`
        select u.user_principal_name, c.force_change_password_next_sign_in as force
        from users u join user_credentials c on c.tenant_id = u.tenant_id and c.user_id = u.id`.execute(database.db);
      const byUpn = Object.fromEntries(rows.rows.map((r) => [r.user_principal_name, r.force]));
      assert.deepEqual(byUpn, { 'admin@fabrikam.example': 0, 'lee@fabrikam.example': 0, 'kim@fabrikam.example': 0 });
    } finally {
      await database.close();
    }
  });

  test('bad input: one-line errors, exit 2, nothing created', () => {
    const cases: [string[], RegExp][] = [
      [['tenant', 'create', '--name', 'No domain'], /--domain is required/],
      [['tenant', 'create', '--name', 'X', '--domain', 'not a domain'], /not a valid domain/],
      [['tenant', 'create', '--name', 'Again', '--domain', 'FABRIKAM.example'], /already in use/],
      [['tenant', 'create', '--name', 'X', '--domain', 'x.example', '--admin-email', 'a@x.example'], /--admin-password is required/],
      [['user', 'create', '--tenant', 'nowhere.example', '--upn', 'a@nowhere.example', '--password', 'Us3r!Passw0rd'], /no tenant 'nowhere.example'/],
      [['user', 'create', '--tenant', 'fabrikam.example', '--upn', 'lee@fabrikam.example', '--password', 'Us3r!Passw0rd'], /already exists/],
      [['user', 'create', '--tenant', 'fabrikam.example', '--upn', 'weak@fabrikam.example', '--password', 'weak'], /password/],
      [['user', 'create', '--tenant', 'fabrikam.example', '--upn', 'x@other.example', '--password', 'Us3r!Passw0rd'], /verified domain/],
      [['user', 'create', '--bogus'], /Unknown option|bogus/],
      [['frobnicate'], /Unknown command/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
  });
});

describe('tessera serve', () => {
  test('first start provisions a tenant and admin, serves /healthz and /readyz, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-serve-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
        cwd: root,
        env: { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_PORT: '0', TESSERA_LOG_LEVEL: 'warn', TESSERA_ADMIN_EMAIL: 'root@northwind.example', TESSERA_DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      const started = Date.now();
      while (!/listening on (\S+)/.test(output)) {
        if (Date.now() - started > 30_000) throw new Error(`server did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(output, /sign-in name: root@northwind\.example/);
      assert.match(output, /password: {5}\S{12,}/);
      assert.match(output, /Admin center: http:\/\/localhost:0\/admin/);
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
