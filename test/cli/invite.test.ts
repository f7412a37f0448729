import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/server.ts';

/**
 * `tessera invite --tenant T --csv FILE [--redirect-url URL]` as an operator runs it: a real
 * process on the test database (SQLite file, or a PostgreSQL schema), processing the upload itself
 * without a server. One line per row and a JSON summary on stdout; exit 0 when every row
 * succeeded, 1 when some failed, 2 for a refused file or bad usage (nothing created); a progress
 * bar on stderr only when stderr is a terminal.
 */
const root = new URL('../../', import.meta.url).pathname;
const SECRET = 'cli-invite-secret-0123456789abcdef';
const HEADINGS = 'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

for (const dialect of testDialects) {
  describe(`tessera invite (${dialect})`, () => {
    let db: TestDatabase;
    let setup: Container;
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let domain: string;
    let tid: string;
    let files = 0;

    before(async () => {
      db = await createTestDatabase(dialect);
      dir = mkdtempSync(join(tmpdir(), 'tessera-invite-'));
      setup = await createContainer({ ...testConfig(), secret: SECRET, baseUrl: 'https://tessera.test' }, { database: db, migrate: false, logger: createLogger('silent') });
      domain = `cli-invite-${process.pid}-${dialect}.example`;
      tid = (await setup.tenants.create({ displayName: 'CLI', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } })).tenant.id;
      env = { ...process.env, TESSERA_DATA_DIR: dir, TESSERA_DATABASE_URL: db.url, TESSERA_LOG_LEVEL: 'silent', TESSERA_SECRET: SECRET, TESSERA_BASE_URL: 'https://tessera.test' };
    });
    after(async () => {
      await setup?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const file = (content: string | Buffer) => {
      const path = join(dir, `invite-${++files}.csv`);
      writeFileSync(path, content);
      return path;
    };
    const run = (args: string[], options: { tty?: boolean } = {}): Promise<Run> => {
      const command = [process.execPath, '--import', 'tsx', 'src/main.ts', ...args];
      // `script` gives the command a terminal, as an operator's shell would (stdout and stderr both go to it)
      const [bin, argv] = options.tty ? ['script', ['-qec', command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null']] : [command[0]!, command.slice(1)];
      const child = spawn(bin as string, argv as string[], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise((resolve) => child.once('exit', (status) => resolve({ status, stdout, stderr })));
    };
    const operations = async () => Number((await sql<{ n: number }>`select count(*) as n from bulk_operations where tenant_id = ${tid}`.execute(db.db)).rows[0]!.n);
    const guests = async (prefix: string) => (await sql<{ mail: string }>`select mail from users where tenant_id = ${tid} and mail like ${`${prefix}%`} order by mail`.execute(db.db)).rows.map((r) => r.mail);

    test('every row succeeds: one line per row, a JSON summary, exit 0; rows without a redirect take --redirect-url', async () => {
      const csv = file(`version:v1.0\r\n${HEADINGS}\r\nok-a@partner.example,https://apps.example/a,false\r\nok-b@partner.example,,true,Hello\r\n`);
      const result = await run(['invite', '--tenant', domain, '--csv', csv, '--redirect-url', 'https://apps.example/default']);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '', 'no progress bar without a terminal');
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0]!, /^row 3\tsucceeded\tok-a@partner\.example\t[0-9a-f-]{36}$/);
      assert.match(lines[1]!, /^row 4\tsucceeded\tok-b@partner\.example\t[0-9a-f-]{36}$/);
      const summary = JSON.parse(lines[2]!);
      assert.deepEqual({ ...summary, operationId: undefined }, { operationId: undefined, status: 'completed', fileName: csv.split('/').pop(), totalRows: 2, succeededRows: 2, failedRows: 0 });
      assert.deepEqual(await guests('ok-'), ['ok-a@partner.example', 'ok-b@partner.example']);
      // the operation is the same resource the API shows, and its job is done
      const operation = await setup.bulk.get(tenantScope(tid), { kind: 'system', tenantId: tid }, summary.operationId);
      assert.equal(operation.status, 'completed');
      const jobs = await sql<{ state: string }>`select state from jobs where tenant_id = ${tid} and kind = 'bulk.invitations'`.execute(db.db);
      assert.deepEqual(jobs.rows.map((r) => r.state), ['succeeded']);
      // the mail of row 4 waits in the outbox for a server to deliver it
      const outbox = await setup.mail.outbox(tenantScope(tid));
      assert.deepEqual(outbox.map((m) => m.to[0]), ['ok-b@partner.example']);
    });

    test('some rows fail: their errors in the report, exit 1', async () => {
      const csv = file(`Email,DisplayName\nsome-ok@partner.example,Ok\nsome-ok@partner.example,Again\nsomeone@gmail.com,Consumer\n`);
      const result = await run(['invite', '--tenant', tid, '--csv', csv]);
      assert.equal(result.status, 1, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.match(lines[0]!, /^row 2\tsucceeded\tsome-ok@partner\.example\t/);
      assert.match(lines[1]!, /^row 3\tfailed\tsome-ok@partner\.example\trowDuplicate: .*duplicate of row 2/);
      assert.match(lines[2]!, /^row 4\tfailed\tsomeone@gmail\.com\t\w+: .*consumer/);
      assert.deepEqual(JSON.parse(lines[3]!), { ...JSON.parse(lines[3]!), status: 'completed', totalRows: 3, succeededRows: 1, failedRows: 2 });
    });

    test('a refused file or bad usage: one line on stderr, exit 2, nothing created', async () => {
      const before = await operations();
      const rows = (n: number) => `version:v1.0\r\n${HEADINGS}\r\n${Array.from({ length: n }, (_, i) => `many-${i}@partner.example,https://apps.example`).join('\r\n')}\r\n`;
      const cases: [string[], RegExp][] = [
        [['invite', '--tenant', domain, '--csv', file(rows(2001))], /2001 rows; at most 2000/],
        [['invite', '--tenant', domain, '--csv', file('Mail,Name\nx@partner.example,X\n')], /not a bulk invite template/],
        [['invite', '--tenant', domain, '--csv', file(Buffer.from([...Buffer.from('Email,DisplayName\nx@partner.example,Ren'), 0xe9, 0x0a]))], /not valid UTF-8 \(line 2\)/],
        [['invite', '--tenant', domain, '--csv', join(dir, 'missing.csv')], /cannot read .*ENOENT/],
        [['invite', '--tenant', 'nowhere.example', '--csv', file(rows(1))], /no tenant 'nowhere.example'/],
        [['invite', '--tenant', domain], /--csv is required/],
        [['invite', '--tenant', domain, '--csv', file(rows(1)), '--redirect-url', 'javascript:alert(1)'], /--redirect-url must be an absolute http\(s\) URL/],
        [['invite', '--tenant', domain, '--csv', file(rows(1)), '--bogus'], /Unknown option|bogus/],
      ];
      for (const [args, message] of cases) {
        const result = await run(args);
        assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message, args.join(' '));
        assert.equal(result.stdout, '');
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      }
      assert.equal(await operations(), before);
      assert.deepEqual(await guests('many-'), []);
    });

    test('on a terminal, a progress bar', async () => {
      const csv = file(`version:v1.0\r\n${HEADINGS}\r\n${Array.from({ length: 250 }, (_, i) => `tty-${i}@partner.example,https://apps.example,false`).join('\r\n')}\r\n`);
      const result = await run(['invite', '--tenant', domain, '--csv', csv], { tty: true });
      assert.equal(result.status, 0, result.stdout);
      assert.match(result.stdout, /\r\[#{30}\] 250\/250 rows/);
      assert.match(result.stdout, /row 252\tsucceeded\ttty-249@partner\.example/);
      assert.equal((await guests('tty-')).length, 250);
    });
  });
}
