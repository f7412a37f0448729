import { sql } from 'kysely';
import type { TenantDb } from '../../storage/scoped.ts';
import { iso, json, toJson } from '../../storage/values.ts';
import type { BulkOperation, BulkOperationStatus, BulkRow, BulkRowInput, BulkRowStatus, RowError } from './bulk.types.ts';
import type { TemplateKind } from './csv-templates.ts';

/** Rows per INSERT statement: 13 parameters each stays far below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 200;

export interface NewOperation {
  id: string;
  fileName: string | null;
  template: TemplateKind;
  totalRows: number;
  failedRows: number;
  createdByKey: string;
  createdById: string | null;
  createdByName: string | null;
  principal: unknown;
  defaultRedirectUrl: string | null;
  jobId: string;
  now: string;
}

export interface NewRow {
  rowNumber: number;
  input: BulkRowInput;
  error: RowError | null;
}

/** A row as the job reads it back: what to invite, and the stored row it settles. */
export interface PendingRow {
  rowNumber: number;
  input: BulkRowInput;
}

export interface StoredOperation extends BulkOperation {
  createdByKey: string;
  principal: unknown;
  defaultRedirectUrl: string | null;
  jobId: string | null;
  /** the exact creation time (milliseconds included), for keyset paging */
  createdAt: string;
}

/** A settled row: its outcome, written in the transaction that did the row's work. */
export interface RowOutcome {
  status: Exclude<BulkRowStatus, 'pending'>;
  error: RowError | null;
  userId: string | null;
  sealedRedeemUrl: string | null;
  at: string;
}

type OperationRow = {
  id: string;
  kind: 'invitations';
  status: BulkOperationStatus;
  file_name: string | null;
  template: TemplateKind;
  total_rows: number;
  processed_rows: number;
  succeeded_rows: number;
  failed_rows: number;
  created_by_key: string;
  created_by_id: string | null;
  created_by_name: string | null;
  principal: unknown;
  default_redirect_url: string | null;
  job_id: string | null;
  error: unknown;
  created_at: string | Date;
  started_at: string | Date | null;
  completed_at: string | Date | null;
};

/** Bulk operations and their rows, of one tenant. */
export const bulkRepo = Object.freeze({
  async insertOperation(tdb: TenantDb, op: NewOperation): Promise<void> {
    await tdb
      .insertInto('bulk_operations', {
        id: op.id,
        kind: 'invitations',
        status: 'notStarted',
        file_name: op.fileName,
        template: op.template,
        total_rows: op.totalRows,
        processed_rows: op.failedRows,
        succeeded_rows: 0,
        failed_rows: op.failedRows,
        created_by_key: op.createdByKey,
        created_by_id: op.createdById,
        created_by_name: op.createdByName,
        principal: toJson(op.principal),
        default_redirect_url: op.defaultRedirectUrl,
        job_id: op.jobId,
        error: null,
        created_at: op.now,
        started_at: null,
        completed_at: null,
      })
      .execute();
  },

  /** Every data row of an upload; rows the parser already failed are stored settled. */
  async insertRows(tdb: TenantDb, operationId: string, rows: readonly NewRow[], now: string): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK).map((row) => ({
        operation_id: operationId,
        row_number: row.rowNumber,
        status: row.error ? ('failed' as const) : ('pending' as const),
        email: row.input.email,
        display_name: row.input.displayName,
        input: toJson(row.input),
        error_code: row.error?.code ?? null,
        error_message: row.error?.message ?? null,
        user_id: null,
        invite_redeem_url_sealed: null,
        settled_at: row.error ? now : null,
      }));
      await tdb.insertInto('bulk_operation_rows', chunk).execute();
    }
  },

  async getOperation(tdb: TenantDb, id: string): Promise<StoredOperation | undefined> {
    const row = await tdb.selectFrom('bulk_operations').selectAll().where('bulk_operations.id', '=', id).executeTakeFirst();
    return row ? toOperation(row) : undefined;
  },

  /** Newest first; `after` is the last operation of the previous page; `createdByKey` limits to one uploader's. */
  async listOperations(tdb: TenantDb, options: { limit: number; after: { createdAt: string; id: string } | null; createdByKey: string | null }): Promise<StoredOperation[]> {
    let query = tdb.selectFrom('bulk_operations').selectAll();
    if (options.createdByKey !== null) query = query.where('created_by_key', '=', options.createdByKey);
    const after = options.after;
    if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(toOperation);
  },

  async setStatus(tdb: TenantDb, id: string, patch: { status: BulkOperationStatus; startedAt?: string; completedAt?: string; error?: RowError | null }): Promise<void> {
    const set: Record<string, unknown> = { status: patch.status };
    if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
    if (patch.completedAt !== undefined) set.completed_at = patch.completedAt;
    if (patch.error !== undefined) set.error = patch.error === null ? null : toJson(patch.error);
    await tdb.updateTable('bulk_operations').set(set as never).where('bulk_operations.id', '=', id).execute();
  },

  /** Adds settled rows to the operation's counters (in the transaction that settled them). */
  async addCounts(tdb: TenantDb, id: string, counts: { succeeded: number; failed: number }): Promise<void> {
    if (counts.succeeded === 0 && counts.failed === 0) return;
    await tdb
      .updateTable('bulk_operations')
      .set((eb) => ({
        processed_rows: eb('processed_rows', '+', counts.succeeded + counts.failed),
        succeeded_rows: eb('succeeded_rows', '+', counts.succeeded),
        failed_rows: eb('failed_rows', '+', counts.failed),
      }))
      .where('bulk_operations.id', '=', id)
      .execute();
  },

  /**
   * The next rows still to do, in file order, locked for this transaction on PostgreSQL (a second
   * claim on the job waits, then finds them settled); SQLite's writer lock already serializes.
   */
  async pendingRows(tdb: TenantDb, operationId: string, limit: number): Promise<PendingRow[]> {
    let query = tdb
      .selectFrom('bulk_operation_rows')
      .select(['row_number', 'input'])
      .where('operation_id', '=', operationId)
      .where('status', '=', 'pending')
      .orderBy('row_number')
      .limit(limit);
    if (tdb.dialect === 'postgres') query = query.forUpdate();
    const rows = await query.execute();
    return rows.map((row) => ({ rowNumber: row.row_number, input: json<BulkRowInput>(row.input, null as never) }));
  },

  /** Settles a pending row; false when it was not pending any more (then nothing changes). */
  async settleRow(tdb: TenantDb, operationId: string, rowNumber: number, outcome: RowOutcome): Promise<boolean> {
    const result = await tdb
      .updateTable('bulk_operation_rows')
      .set({
        status: outcome.status,
        error_code: outcome.error?.code ?? null,
        error_message: outcome.error?.message ?? null,
        user_id: outcome.userId,
        invite_redeem_url_sealed: outcome.sealedRedeemUrl,
        settled_at: outcome.at,
      })
      .where('operation_id', '=', operationId)
      .where('row_number', '=', rowNumber)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Fails every row still pending (the operation stopped as a whole); returns how many. */
  async failPendingRows(tdb: TenantDb, operationId: string, error: RowError, at: string): Promise<number> {
    const result = await tdb
      .updateTable('bulk_operation_rows')
      .set({ status: 'failed', error_code: error.code, error_message: error.message, settled_at: at })
      .where('operation_id', '=', operationId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },

  /** A page of rows in file order, after row number `after`. The redeem URL stays sealed. */
  async rowsPage(tdb: TenantDb, operationId: string, after: number | null, limit: number): Promise<(Omit<BulkRow, 'inviteRedeemUrl'> & { sealedRedeemUrl: string | null })[]> {
    let query = tdb.selectFrom('bulk_operation_rows').selectAll().where('operation_id', '=', operationId);
    if (after !== null) query = query.where('row_number', '>', after);
    const rows = await query.orderBy('row_number').limit(limit).execute();
    return rows.map((row) => ({
      rowNumber: row.row_number,
      email: row.email,
      displayName: row.display_name,
      status: row.status,
      error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
      userId: row.user_id,
      sealedRedeemUrl: row.invite_redeem_url_sealed,
    }));
  },
});

/**
 * Savepoints around one row's work inside a batch transaction: a row that fails is undone to its
 * savepoint (PostgreSQL refuses every statement after an error until then) and the batch goes on.
 * They touch no table, so they are not part of the isolation suite's repositories.
 */
export const rowSavepoints = Object.freeze({
  async begin(tdb: TenantDb): Promise<void> {
    await tdb.raw(sql`savepoint bulk_row`);
  },
  async release(tdb: TenantDb): Promise<void> {
    await tdb.raw(sql`release savepoint bulk_row`);
  },
  async rollback(tdb: TenantDb): Promise<void> {
    await tdb.raw(sql`rollback to savepoint bulk_row`);
    await tdb.raw(sql`release savepoint bulk_row`);
  },
});

function toOperation(row: OperationRow): StoredOperation {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.file_name,
    template: row.template,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    succeededRows: row.succeeded_rows,
    failedRows: row.failed_rows,
    createdDateTime: iso(row.created_at),
    startedDateTime: iso(row.started_at, 'nullable'),
    completedDateTime: iso(row.completed_at, 'nullable'),
    createdBy: { id: row.created_by_id, displayName: row.created_by_name },
    error: json<RowError | null>(row.error, null),
    createdByKey: row.created_by_key,
    principal: json<unknown>(row.principal, null),
    defaultRedirectUrl: row.default_redirect_url,
    jobId: row.job_id,
    createdAt: new Date(row.created_at instanceof Date ? row.created_at : String(row.created_at)).toISOString(),
  };
}
