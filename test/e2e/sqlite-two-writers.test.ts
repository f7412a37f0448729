import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Issue 13 item 7: two processes writing to one SQLite file at once. The server (this process)
 * answers Graph POSTs while other processes write the same file: writer scripts through the
 * services the CLI uses, and real `tessera user create` commands. Every write reads before it
 * writes (the UPN / mailNickname check), which a deferred SQLite transaction cannot turn into a
 * write once another connection has committed ("database is locked" / SQLITE_BUSY_SNAPSHOT).
 * No write may fail and every one must land.
 */
const root = join(import.meta.dirname, '../..');
const WRITERS = 2;
const GROUPS_PER_WRITER = 60;
const USERS_PER_WRITER = 4;
const CLI_USERS = 2;
const MIN_SERVER_WRITES = 60;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv, onReady?: () => void): { child: ChildProcess; done: Promise<Finished> } {
  // better-sqlite3 must only ever load under Node 24: the same executable as this test, through tsx.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (onReady && stdout.includes('ready\n')) {
      onReady();
      onReady = undefined;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

describe('two processes writing to one SQLite file', () => {
  let h: Harness;
  let graph: Graph;
  const children: ChildProcess[] = [];

  before(async () => {
    h = await createHarness('sqlite');
    graph = graphCaller(h.app, h.tenant.adminToken);
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
  });

  test('Graph POSTs on the server and CLI writes in other processes all succeed and all land', { timeout: 300_000 }, async () => {
    const env = { ...process.env, TESSERA_DATABASE_URL: h.db.url, TESSERA_LOG_LEVEL: 'silent', TESSERA_SECRET: 'test-secret-0123456789abcdef', TESSERA_DATA_DIR: '/tmp/tessera-test-data' };
    let ready = 0;
    let resolveReady = () => {};
    const allReady = new Promise<void>((resolve) => (resolveReady = resolve));
    const writers = Array.from({ length: WRITERS }, (_, w) => {
      const writer = run(['test/e2e/sqlite-two-writers.writer.ts', h.db.url, h.tenant.id, `w${w}`, String(GROUPS_PER_WRITER), String(USERS_PER_WRITER)], env, () => {
        if (++ready === WRITERS) resolveReady();
      });
      children.push(writer.child);
      return writer.done;
    });
    const readyOrExit = Promise.race([allReady, Promise.all(writers).then(() => undefined)]);
    await readyOrExit;

    // The literal case of the issue: `tessera user create` while the server writes.
    const cliUpns = Array.from({ length: CLI_USERS }, (_, i) => `cli${i}@${h.tenant.domain}`);
    const clis = cliUpns.map((upn) => {
      const cli = run(['src/main.ts', 'user', 'create', '--tenant', h.tenant.id, '--upn', upn, '--password', 'Cli-Passw0rd!'], env);
      children.push(cli.child);
      return cli.done;
    });

    let othersDone = false;
    const others = Promise.all([...writers, ...clis]).finally(() => (othersDone = true));
    const serverFailures: string[] = [];
    const serverNicknames: string[] = [];
    const serverUpns: string[] = [];
    let n = 0;
    // Three requests at a time on the server until the other processes are done.
    const lane = async () => {
      while (!othersDone || n < MIN_SERVER_WRITES) {
        const i = n++;
        if (i % 20 === 0) {
          const upn = `srv${i}@${h.tenant.domain}`;
          const response = await graph('POST', '/users', { accountEnabled: true, displayName: `srv${i}`, mailNickname: `srv${i}`, userPrincipalName: upn, passwordProfile: { password: 'Str0ng!Passw0rd' } });
          if (response.status === 201) serverUpns.push(upn);
          else serverFailures.push(`POST /users ${upn}: ${response.status} ${response.text}`);
        } else {
          const nickname = `srvg${i}`;
          const response = await graph('POST', '/groups', { displayName: nickname, mailNickname: nickname, mailEnabled: false, securityEnabled: true });
          if (response.status === 201) serverNicknames.push(nickname);
          else serverFailures.push(`POST /groups ${nickname}: ${response.status} ${response.text}`);
        }
      }
    };
    await Promise.all([lane(), lane(), lane()]);
    const results = await others;

    const writerResults = results.slice(0, WRITERS);
    const cliResults = results.slice(WRITERS);
    const writerFailures = writerResults.flatMap((r, w) => {
      const last = r.stdout.trim().split('\n').at(-1) ?? '';
      try {
        return (JSON.parse(last) as { failures: string[] }).failures.map((f) => `writer ${w}: ${f}`);
      } catch {
        return [`writer ${w} exited ${r.code}: ${r.stderr.slice(0, 2000)}`];
      }
    });
    const cliFailures = cliResults.flatMap((r, i) => (r.code === 0 ? [] : [`tessera user create ${cliUpns[i]} exited ${r.code}: ${r.stderr.trim().slice(0, 500)}`]));
    const failures = [...serverFailures, ...writerFailures, ...cliFailures];
    assert.deepEqual(failures.slice(0, 20), [], `no write may fail (${failures.length} failed; the first 20 shown)`);
    assert.ok(n >= MIN_SERVER_WRITES);

    // Every write landed: each process's objects are in the file.
    const created = writerResults.flatMap((r) => (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { created: string[] }).created);
    const expectedNicknames = [...serverNicknames, ...created.filter((c) => !c.includes('@'))];
    const expectedUpns = [...serverUpns, ...created.filter((c) => c.includes('@')), ...cliUpns];
    assert.equal(expectedNicknames.length, serverNicknames.length + WRITERS * GROUPS_PER_WRITER);
    assert.equal(expectedUpns.length, serverUpns.length + WRITERS * USERS_PER_WRITER + CLI_USERS);
    const groups = await sql<{ mail_nickname: string }>`select mail_nickname from groups where tenant_id = ${h.tenant.id}`.execute(h.db.db);
    const users = await sql<{ user_principal_name: string }>`select user_principal_name from users where tenant_id = ${h.tenant.id}`.execute(h.db.db);
    const groupSet = new Set(groups.rows.map((r) => r.mail_nickname));
    const userSet = new Set(users.rows.map((r) => r.user_principal_name.toLowerCase()));
    assert.deepEqual(expectedNicknames.filter((g) => !groupSet.has(g)), [], 'groups missing from the database');
    assert.deepEqual(expectedUpns.filter((u) => !userSet.has(u.toLowerCase())), [], 'users missing from the database');
  });
});
