/**
 * Bulk operations (issue 15 item 8): one row per uploaded CSV file and one per data row of it.
 * The upload writes the operation, all its rows and its job in one transaction; the job settles
 * rows in order, each row's status in the same transaction as the invitation it made, so a job
 * that is killed and resumed skips the rows already settled and invites every row exactly once.
 * Both tables are tenant-owned (DESIGN §3); rows hang off their operation by a composite key.
 *
 * Frozen: never edit after it has shipped; add a new migration instead.
 */
import { type Kysely, sql } from 'kysely';

function types(db: Kysely<any>) {
  const isPg = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return isPg ? { ts: 'timestamptz', json: 'jsonb' } : { ts: 'text', json: 'text' };
}

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  await db.schema
    .createTable('bulk_operations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('processed_rows', 'integer', (c) => c.notNull())
    .addColumn('succeeded_rows', 'integer', (c) => c.notNull())
    .addColumn('failed_rows', 'integer', (c) => c.notNull())
    // who uploaded: `user:{id}`, `app:{appId}` or `system`, and the principal the job acts as
    .addColumn('created_by_key', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text')
    .addColumn('created_by_name', 'text')
    .addColumn('principal', sql.raw(t.json), (c) => c.notNull())
    .addColumn('default_redirect_url', 'text')
    .addColumn('job_id', 'text')
    .addColumn('error', sql.raw(t.json))
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('started_at', sql.raw(t.ts))
    .addColumn('completed_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('bulk_operations_pk', ['tenant_id', 'id'])
    .addCheckConstraint('bulk_operations_status', sql`status in ('notStarted', 'running', 'completed', 'failed')`)
    .addCheckConstraint('bulk_operations_kind', sql`kind in ('invitations')`)
    .execute();
  // newest first, and each uploader's own operations newest first
  await db.schema.createIndex('bulk_operations_created').on('bulk_operations').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('bulk_operations_creator').on('bulk_operations').columns(['tenant_id', 'created_by_key', 'created_at', 'id']).execute();

  await db.schema
    .createTable('bulk_operation_rows')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('input', sql.raw(t.json), (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('user_id', 'text')
    // the invitation's redeem URL holds its ticket: kept sealed (AES-GCM under TESSERA_SECRET), shown to the uploader
    .addColumn('invite_redeem_url_sealed', 'text')
    .addColumn('settled_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('bulk_operation_rows_pk', ['tenant_id', 'operation_id', 'row_number'])
    .addForeignKeyConstraint('bulk_operation_rows_operation', ['tenant_id', 'operation_id'], 'bulk_operations', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addCheckConstraint('bulk_operation_rows_status', sql`status in ('pending', 'succeeded', 'failed')`)
    .execute();
  // the job's scan: an operation's pending rows in order
  await db.schema.createIndex('bulk_operation_rows_pending').on('bulk_operation_rows').columns(['tenant_id', 'operation_id', 'status', 'row_number']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bulk_operation_rows').execute();
  await db.schema.dropTable('bulk_operations').execute();
}
