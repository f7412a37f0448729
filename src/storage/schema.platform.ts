import type { ColumnType } from 'kysely';

/** Table types of the platform's own tables: durable jobs and the mail outbox. */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;

export interface JobsTable {
  tenant_id: string;
  id: string;
  kind: string;
  payload: Json;
  progress: NullableJson;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  attempts: number;
  max_attempts: number;
  run_after: Timestamp;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface MailOutboxTable {
  tenant_id: string;
  id: string;
  template: string;
  locale: string;
  to_addresses: Json;
  cc_addresses: Json;
  subject: string;
  text_body: string;
  html_body: string;
  state: 'pending' | 'sent' | 'failed';
  message_id: string | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface PlatformTables {
  jobs: JobsTable;
  mail_outbox: MailOutboxTable;
}
