import { SMTPServer } from 'smtp-server';
import { type Benchmark, DIALECT_LABEL, measurement, type Target } from '../lib/benchmark.ts';
import { ROOT } from '../lib/machine.ts';
import { fmt, round } from '../lib/measure.ts';
import { cpuSeconds } from '../lib/proc.ts';
import { freePort, startChild, waitForStatus } from '../lib/processes.ts';
import { runTesseraCli, tesseraCommand, tesseraEnv } from '../lib/tessera.ts';

const ROWS = 2000;
const PROCESSED: Target = { text: '< 2 s (SQLite)', checks: [{ metric: 'seconds', op: '<', value: 2 }] };
const DELIVERED: Target = { text: '< 10 s', checks: [{ metric: 'seconds', op: '<', value: 10 }] };
/** Entra's invitation manager allows 150 `POST /invitations` per 5 s per tenant (graph-reference §1.4). */
const ENTRA_SECONDS = (ROWS / 150) * 5;
const HEADINGS = 'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';

/**
 * Bulk invitations (issue 15's Speed line): a real `tessera serve` with TESSERA_SMTP_URL pointing
 * at an SMTP server in this process (the smtp-server package, on loopback). An app with
 * User.Invite.All uploads a 2,000-row CSV (Entra's template, every row with an invitation mail)
 * to `POST /beta/bulkOperations/invitations`; measured from sending the upload until the
 * operation reads `completed` (every guest created, every mail in the outbox; polled every
 * 25 ms), and until the SMTP server has received all 2,000 mails (distinct Message-IDs). The
 * reference is what Entra's throttle allows for the same 2,000 invitations sent one by one.
 * The 2 s target is the issue's for SQLite; PostgreSQL's figure is reported, not claimed.
 */
export const bulkInvite: Benchmark = {
  name: 'bulk-invite',
  title: 'Bulk invite: a 2,000-row CSV processed; every mail delivered',
  target: { text: '< 2 s (SQLite); mails < 10 s', checks: [] },
  async run(env, { log }) {
    // this benchmark's server must be the only node running the queue: the shared one has no SMTP
    await env.stopSharedServer();
    const smtp = await startSmtp();
    try {
      const options = env.tesseraOptions();
      const tenantId = env.fixture.tenantId;
      const inviter = await runTesseraCli(options, ['app', 'create', '--tenant', tenantId, '--name', `bench-inviter-${Date.now()}`, '--secret', '--api-permissions', 'User.Invite.All']);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const { command, args } = tesseraCommand(['serve']);
      const server = env.track(startChild(`tessera serve (${base}, SMTP)`, env.place, 'server', command, args, { env: { ...tesseraEnv(options, port), TESSERA_SMTP_URL: smtp.url }, cwd: ROOT }));
      try {
        await waitForStatus(`${base}/healthz`, server);
        const token = await appToken(base, tenantId, String(inviter.json.appId), String(inviter.json.clientSecret));
        const run = `${Date.now().toString(36)}`;
        const csv = `version:v1.0\r\n${HEADINGS}\r\n${Array.from({ length: ROWS }, (_, i) => `bench-${run}-${i}@partner.example,https://apps.partner.example/welcome,true,Welcome ${i}`).join('\r\n')}\r\n`;

        const cpuBefore = cpuSeconds(server.pid);
        const started = performance.now();
        smtp.since(started);
        const response = await fetch(`${base}/beta/bulkOperations/invitations?fileName=bench.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
        const accepted = performance.now();
        const created = (await response.json()) as { id?: string };
        if (response.status !== 202 || !created.id) throw new Error(`the upload answered ${response.status}: ${JSON.stringify(created).slice(0, 500)}`);
        let operation: { status: string; succeededRows: number; failedRows: number; createdDateTime: string; completedDateTime: string | null };
        for (;;) {
          const read = await fetch(`${base}/beta/bulkOperations/${created.id}`, { headers: { authorization: `Bearer ${token}` } });
          operation = (await read.json()) as typeof operation;
          if (operation.status === 'completed' || operation.status === 'failed') break;
          if (performance.now() - started > 300_000) throw new Error('the bulk operation did not finish within 5 minutes');
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const processed = (performance.now() - started) / 1000;
        const cpuProcessed = cpuSeconds(server.pid) - cpuBefore;
        if (operation.status !== 'completed' || operation.succeededRows !== ROWS) throw new Error(`the operation ended ${operation.status} with ${operation.succeededRows} of ${ROWS} rows invited (${operation.failedRows} failed)`);
        log(`  ${ROWS} rows processed in ${fmt(processed)} s (upload accepted after ${fmt((accepted - started) / 1000)} s; server CPU ${fmt(cpuProcessed)} s)`);
        const lastMail = await smtp.allReceived(ROWS, started + 300_000);
        const delivered = (lastMail - started) / 1000;
        log(`  ${ROWS} mails received by the SMTP server ${fmt(delivered)} s after the upload was sent`);

        const dialect = DIALECT_LABEL[env.dialect];
        const reference = { label: "Entra's throttle, 150 invitations per 5 s", value: ENTRA_SECONDS, unit: 's', text: `Entra's throttle: ${fmt(ENTRA_SECONDS)} s` };
        const processedRow = measurement({
          benchmark: this.name,
          variant: 'processed',
          label: `Bulk invite: ${ROWS.toLocaleString('en-US')}-row CSV fully processed (guests created, mails queued) (${dialect})`,
          dialect: env.dialect,
          figure: { value: processed, unit: 's', text: `${fmt(processed)} s` },
          reference,
          ratio: null,
          target: PROCESSED,
          values: { seconds: processed },
          details: { rows: ROWS, uploadAcceptedSeconds: round((accepted - started) / 1000), serverCpuSeconds: round(cpuProcessed), serverSideSeconds: round((Date.parse(operation.completedDateTime!) - Date.parse(operation.createdDateTime)) / 1000) },
        });
        const deliveredRow = measurement({
          benchmark: this.name,
          variant: 'delivered',
          label: `Bulk invite: every one of the ${ROWS.toLocaleString('en-US')} mails delivered to a local SMTP server (${dialect})`,
          dialect: env.dialect,
          figure: { value: delivered, unit: 's', text: `${fmt(delivered)} s` },
          reference,
          ratio: null,
          target: DELIVERED,
          values: { seconds: delivered },
          details: { mails: ROWS, smtp: 'smtp-server on loopback, nodemailer pooled (4 connections)' },
        });
        // the issue states the processing target for SQLite only
        if (env.dialect !== 'sqlite') Object.assign(processedRow, { met: null, note: 'target stated for SQLite' });
        return [processedRow, deliveredRow];
      } finally {
        await server.stop();
      }
    } finally {
      await smtp.close();
    }
  },
};

async function appToken(base: string, tenantId: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${base}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: `${base}/.default` }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`the token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** An SMTP server on loopback that counts distinct Message-IDs received after `since`. */
async function startSmtp(): Promise<{ url: string; since(at: number): void; allReceived(count: number, deadline: number): Promise<number>; close(): Promise<void> }> {
  const seen = new Set<string>();
  let last = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^message-id:\s*(\S+)/im.exec(head)?.[1];
        if (id && !seen.has(id)) {
          seen.add(id);
          last = performance.now();
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    since: () => {
      seen.clear();
      last = 0;
    },
    async allReceived(count, deadline) {
      while (seen.size < count) {
        if (performance.now() > deadline) throw new Error(`the SMTP server received ${seen.size} of ${count} mails`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return last;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
