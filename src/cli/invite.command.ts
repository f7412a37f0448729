import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { hostname } from 'node:os';
import type { Container } from '../container.ts';
import { BULK_LIMITS, BulkErrors, type BulkOperation } from '../modules/bulk/index.ts';
import type { Principal } from '../modules/directory/index.ts';
import type { TenantScope } from '../tenancy/scope.ts';
import { ExitStatus, readArgs, required, UsageError } from './args.ts';

/** How long this process's claim on the job lasts before a server may take it over (renewed while it works). */
const LEASE_MS = 60_000;
/** How often the report polls an operation a server node runs instead of this process. */
const WATCH_MS = 250;

/**
 * `tessera invite --tenant T --csv FILE [--redirect-url URL]`: a bulk invitation from the shell.
 * The same service as `POST /beta/bulkOperations/invitations`, as the server itself (system
 * principal): the file is checked whole (a refused file exits 2 and creates nothing), the bulk
 * operation and its job are created, and this process claims the job and runs the rows at once,
 * with a progress bar on a terminal (stderr). If the process dies, the job is durable: a `serve`
 * node resumes it once the claim's lease runs out. Then one line per row and a JSON summary on
 * stdout; exit status 0 when every row succeeded, 1 when some failed.
 */
export async function inviteCommand(container: Container, argv: string[]): Promise<unknown> {
  const args = readArgs('invite', argv, { tenant: { type: 'string' }, csv: { type: 'string' }, 'redirect-url': { type: 'string' } });
  required('invite', args, 'tenant', 'csv');
  const redirectUrl = args['redirect-url'] ?? null;
  if (redirectUrl !== null && !/^https?:\/\/[^\s]+$/i.test(redirectUrl)) throw new UsageError('tessera invite: --redirect-url must be an absolute http(s) URL');
  const scope = await container.tenants.resolve(args.tenant!);
  if (!scope) throw new UsageError(`tessera invite: no tenant '${args.tenant}' (give its id or a verified domain)`);
  const bytes = await readCsv(args.csv!);
  const principal: Principal = { kind: 'system', tenantId: scope.tenantId };

  const created = await container.bulk.upload(scope, principal, bytes, { fileName: basename(args.csv!), defaultRedirectUrl: redirectUrl });
  const progress = progressBar(process.stderr);
  progress(created);
  const finished = (await runHere(container, scope, created.id, progress)) ?? (await watch(container, scope, principal, created.id, progress));
  progress.done();

  await printRows(container, scope, principal, finished.id);
  const summary = {
    operationId: finished.id,
    status: finished.status,
    fileName: finished.fileName,
    totalRows: finished.totalRows,
    succeededRows: finished.succeededRows,
    failedRows: finished.failedRows,
    ...(finished.error ? { error: finished.error } : {}),
  };
  return finished.status === 'completed' && finished.failedRows === 0 ? summary : new ExitStatus(summary, 1);
}

/** The file, refused before reading it whole when it is over the upload limit. */
async function readCsv(path: string): Promise<Buffer> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new UsageError(`tessera invite: cannot read '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const { size } = await file.stat();
    if (size > BULK_LIMITS.maxFileBytes) throw BulkErrors.fileTooLarge(BULK_LIMITS.maxFileBytes);
    return await file.readFile();
  } finally {
    await file.close();
  }
}

/**
 * Claims the operation's job and runs it in this process, renewing the lease as the job runner
 * does. Null when a server node claimed the job first (it runs it; this process watches).
 */
async function runHere(container: Container, scope: TenantScope, operationId: string, onProgress: (operation: BulkOperation) => void): Promise<BulkOperation | null> {
  const { queue, bulk } = container;
  const jobId = await bulk.jobOf(scope, operationId);
  const owner = `${hostname()}:${process.pid}:cli-${randomBytes(4).toString('hex')}`;
  const job = jobId ? await queue.claimJob(scope, jobId, owner, LEASE_MS) : null;
  if (!job) return null;
  const renew = setInterval(() => void queue.renewLease(job, owner, LEASE_MS).catch(() => {}), LEASE_MS / 3);
  try {
    const result = await bulk.run(scope, operationId, { assertLease: () => queue.assertLease(job, owner, LEASE_MS) }, onProgress);
    await queue.complete(job, owner);
    return result;
  } catch (error) {
    // the job stays durable: a server node retries it with backoff (or resumes it after a lost lease)
    await queue.fail(job, owner, error instanceof Error ? error.message : String(error)).catch(() => {});
    throw error;
  } finally {
    clearInterval(renew);
  }
}

async function watch(container: Container, scope: TenantScope, principal: Principal, operationId: string, onProgress: (operation: BulkOperation) => void): Promise<BulkOperation> {
  for (;;) {
    const operation = await container.bulk.get(scope, principal, operationId);
    onProgress(operation);
    if (operation.status === 'completed' || operation.status === 'failed') return operation;
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  }
}

/** One line per row on stdout: row number, outcome, address, then the user id or the error. */
async function printRows(container: Container, scope: TenantScope, principal: Principal, operationId: string): Promise<void> {
  let after: number | null = null;
  do {
    const page = await container.bulk.rows(scope, principal, operationId, { top: 500, after });
    const lines = page.rows.map((row) =>
      [`row ${row.rowNumber}`, row.status, row.email, row.status === 'succeeded' ? row.userId : row.error ? `${row.error.code}: ${row.error.message}` : ''].join('\t'),
    );
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    after = page.nextAfter;
  } while (after !== null);
}

/** A one-line progress bar on a terminal (stderr, so stdout stays the report); nothing when stderr is not a TTY. */
function progressBar(stream: NodeJS.WriteStream): ((operation: BulkOperation) => void) & { done(): void } {
  let drawn = false;
  const draw = (operation: BulkOperation) => {
    if (!stream.isTTY) return;
    const width = 30;
    const total = Math.max(1, operation.totalRows);
    const filled = Math.round((operation.processedRows / total) * width);
    const failed = operation.failedRows > 0 ? `, ${operation.failedRows} failed` : '';
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${operation.processedRows}/${operation.totalRows} rows${failed}  `);
    drawn = true;
  };
  return Object.assign(draw, {
    done: () => {
      if (drawn) stream.write('\n');
    },
  });
}
