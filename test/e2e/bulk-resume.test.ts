import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import type { Principal } from '../../src/modules/directory/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.ts';
import { NODE_SECRET, nodeScheme, reservePorts, startNodes, stopNodes, type ServeNode } from '../helpers/nodes.ts';
import { testConfig } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

/**
 * Issue 15's acceptance: "a killed bulk job resumes with exactly-once effects". A `tessera serve`
 * node runs a 2,000-row upload and is killed with SIGKILL midway (some batches committed, one in
 * flight); its lease is made to run out (the test's stand-in for waiting a minute), and a second
 * node takes the job over and finishes it. Every row is invited exactly once: one guest per
 * address, one invitation audit record per row, one mail in the outbox per row, and every mail
 * reaches the SMTP server.
 */
const ROWS = 2000;
const REDIRECT = 'https://apps.contoso.example/welcome';
const HEADINGS = 'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';

async function until<T>(what: string, read: () => Promise<T | undefined | null | false>, limitMs = 180_000, everyMs = 5): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * SQLite: a synchronous loop of plain reads (a WAL reader never waits for the node's writes, and
 * this process's event loop cannot delay it) that kills the node the moment the first batch shows.
 */
function killAfterFirstBatchSqlite(file: string, tid: string, operationId: string, node: ServeNode): { processedRows: number } {
  const connection = new BetterSqlite3(file, { readonly: true });
  const read = connection.prepare('select processed_rows from bulk_operations where tenant_id = ? and id = ?');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      const processedRows = Number((read.get(tid, operationId) as { processed_rows: number } | undefined)?.processed_rows ?? 0);
      if (processedRows > 0) {
        node.child.kill('SIGKILL');
        return { processedRows };
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for the first committed batch');
      Atomics.wait(pause, 0, 0, 1);
    }
  } finally {
    connection.close();
  }
}

/** PostgreSQL: a batch takes far longer there; watch the committed counter and kill at the first. */
async function killAfterFirstBatch(db: TestDatabase, tid: string, operationId: string, node: ServeNode): Promise<{ processedRows: number }> {
  const midway = await until('the first committed batch', async () => {
    const row = await sql<{ processed_rows: number }>`select processed_rows from bulk_operations where tenant_id = ${tid} and id = ${operationId}`.execute(db.db);
    const processedRows = Number(row.rows[0]?.processed_rows ?? 0);
    return processedRows > 0 ? { processedRows } : null;
  }, 180_000, 1);
  node.child.kill('SIGKILL');
  return midway;
}

for (const dialect of testDialects) {
  describe(`a bulk invitation job killed midway and resumed by another node (${dialect})`, () => {
    let db: TestDatabase;
    let setup: Container;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let nodes: ServeNode[] = [];
    let tid: string;
    let operationId: string;
    let file: Buffer;
    let uploader: Principal;
    let tag: string;
    let ports: number[];

    before(async () => {
      db = await createTestDatabase(dialect);
      smtp = await startSmtpServer();
      ports = await reservePorts(2);
      const baseUrl = `${nodeScheme()}://127.0.0.1:${ports[0]}`;
      setup = await createContainer({ ...testConfig(), baseUrl, secret: NODE_SECRET }, { database: db, migrate: false, logger: createLogger('silent') });
      const domain = `resume${process.pid}${dialect}.example`;
      const { tenant, adminUserId } = await setup.tenants.create({ displayName: 'Resume', domain, admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
      tid = tenant.id;
      tag = `resume-${dialect}-${process.pid}`;
      // the upload as the tenant's administrator would send it (the job re-reads their roles in the node)
      const roles = await setup.roles.templateIdsOf(tenantScope(tid), adminUserId!);
      const principal: Principal = { kind: 'user', tenantId: tid, userId: adminUserId!, clientAppId: null, scopes: new Set(['User.Invite.All']), userType: 'Member', roleTemplateIds: roles };
      const lines = Array.from({ length: ROWS }, (_, i) => `${tag}-${i}@partner.example,${REDIRECT},true,Row ${i}`);
      file = Buffer.from(`version:v1.0\r\n${HEADINGS}\r\n${lines.join('\r\n')}\r\n`);
      uploader = principal;
      // node 1 is up before the upload, so its whole run happens inside the test, under its watch
      nodes = await startNodes({ databaseUrl: db.url, ports: [ports[0]!], baseUrl, env: { TESSERA_SMTP_URL: smtp.url } });
    });

    after(async () => {
      for (const node of nodes) if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
      await stopNodes(nodes);
      await setup?.close();
      await smtp?.close();
    });

    const operation = () => setup.bulk.get(tenantScope(tid), { kind: 'system', tenantId: tid }, operationId);

    test('SIGKILL midway, a second node finishes: every row invited exactly once, every mail queued once and delivered', async () => {
      // kill node 1 once it has committed a batch or more, well before the end
      operationId = (await setup.bulk.upload(tenantScope(tid), uploader, file, { fileName: 'resume.csv' })).id;
      const midway = dialect === 'sqlite' ? killAfterFirstBatchSqlite(db.url, tid, operationId, nodes[0]!) : await killAfterFirstBatch(db, tid, operationId, nodes[0]!);
      await new Promise((resolve) => (nodes[0]!.child.exitCode !== null || nodes[0]!.child.signalCode !== null ? resolve(null) : nodes[0]!.child.once('exit', resolve)));
      const atKill = await operation();
      assert.ok(atKill.processedRows >= midway.processedRows);
      assert.ok(atKill.processedRows < ROWS, `the node finished before it was killed (${atKill.processedRows} rows); nothing was resumed`);
      assert.equal(atKill.status, 'running');
      // the killed node's claims would run out after their lease (a minute): make them run out now
      await sql`update jobs set lease_expires_at = ${new Date(Date.now() - 1000).toISOString()} where tenant_id = ${tid} and state = 'running'`.execute(db.db);

      nodes.push(...(await startNodes({ databaseUrl: db.url, ports: [ports[1]!], baseUrl: nodes[0]!.baseUrl, env: { TESSERA_SMTP_URL: smtp.url } })));
      const done = await until('the resumed operation', async () => {
        const current = await operation();
        return current.status === 'completed' || current.status === 'failed' ? current : null;
      }, 300_000, 100);
      assert.deepEqual([done.status, done.totalRows, done.processedRows, done.succeededRows, done.failedRows], ['completed', ROWS, ROWS, ROWS, 0]);

      // exactly once: one guest per address, no duplicates, one invitation record each
      const guests = await sql<{ mail: string; n: number }>`select mail, count(*) as n from users where tenant_id = ${tid} and mail like ${`${tag}-%`} group by mail`.execute(db.db);
      assert.equal(guests.rows.length, ROWS);
      assert.ok(guests.rows.every((row) => Number(row.n) === 1));
      const rows = await sql<{ user_id: string }>`select user_id from bulk_operation_rows where tenant_id = ${tid} and operation_id = ${operationId} and status = 'succeeded'`.execute(db.db);
      assert.equal(new Set(rows.rows.map((r) => r.user_id)).size, ROWS);
      const audits = await sql<{ n: number }>`select count(*) as n from audit_events where tenant_id = ${tid} and action = 'Invite external user'`.execute(db.db);
      assert.equal(Number(audits.rows[0]!.n), ROWS, 'one invitation per row, none repeated by the resumed job');
      // one mail per row in the outbox, each delivered (at least once; one Message-ID per mail)
      const outbox = await sql<{ to_addresses: unknown; n: number }>`select to_addresses, count(*) as n from mail_outbox where tenant_id = ${tid} group by to_addresses`.execute(db.db);
      assert.equal(outbox.rows.length, ROWS);
      assert.ok(outbox.rows.every((row) => Number(row.n) === 1), 'a mail was queued twice');
      await until('every mail sent', async () => {
        const pending = await sql<{ n: number }>`select count(*) as n from mail_outbox where tenant_id = ${tid} and state <> 'sent'`.execute(db.db);
        return Number(pending.rows[0]!.n) === 0;
      }, 300_000, 250);
      const messageIds = new Set(smtp.received.map((mail) => /^message-id:\s*(\S+)/im.exec(mail.raw)?.[1]));
      assert.equal(messageIds.size, ROWS);
    });
  });
}
