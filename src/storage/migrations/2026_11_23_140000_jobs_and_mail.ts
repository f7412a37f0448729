/**
 * Durable jobs and the mail outbox (DESIGN §6). Long work (group license propagation, bulk
 * invitations, mail delivery, expiry sweeps) is a row in `jobs`: a runner claims it with a lease
 * (so one node runs it), records progress as it goes (so a crash resumes rather than restarts) and
 * retries with backoff. Mail is written to `mail_outbox` in the same transaction as the change that
 * causes it, and delivered by a job.
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
    .createTable('jobs')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', sql.raw(t.json), (c) => c.notNull())
    .addColumn('progress', sql.raw(t.json))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_after', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', sql.raw(t.ts))
    .addColumn('last_error', 'text')
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('updated_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('finished_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('jobs_pk', ['tenant_id', 'id'])
    .addCheckConstraint('jobs_state', sql`state in ('queued', 'running', 'succeeded', 'failed')`)
    .execute();
  // The runner's poll: runnable jobs across tenants, oldest first.
  await db.schema.createIndex('jobs_runnable').on('jobs').columns(['state', 'run_after']).execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('to_addresses', sql.raw(t.json), (c) => c.notNull())
    .addColumn('cc_addresses', sql.raw(t.json), (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', sql.raw(t.ts), (c) => c.notNull())
    .addColumn('sent_at', sql.raw(t.ts))
    .addPrimaryKeyConstraint('mail_outbox_pk', ['tenant_id', 'id'])
    .addCheckConstraint('mail_outbox_state', sql`state in ('pending', 'sent', 'failed')`)
    .execute();
  await db.schema.createIndex('mail_outbox_time').on('mail_outbox').columns(['tenant_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').execute();
  await db.schema.dropTable('jobs').execute();
}
