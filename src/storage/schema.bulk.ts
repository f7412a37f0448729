import type { ColumnType } from 'kysely';

/** Table types of bulk operations (migration 2026_12_03_110000_bulk_operations). */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;

export interface BulkOperationsTable {
  tenant_id: string;
  id: string;
  kind: 'invitations';
  status: 'notStarted' | 'running' | 'completed' | 'failed';
  file_name: string | null;
  template: 'current' | 'legacy';
  total_rows: number;
  processed_rows: number;
  succeeded_rows: number;
  failed_rows: number;
  created_by_key: string;
  created_by_id: string | null;
  created_by_name: string | null;
  principal: Json;
  default_redirect_url: string | null;
  job_id: string | null;
  error: NullableJson;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
}

export interface BulkOperationRowsTable {
  tenant_id: string;
  operation_id: string;
  row_number: number;
  status: 'pending' | 'succeeded' | 'failed';
  email: string;
  display_name: string | null;
  input: Json;
  error_code: string | null;
  error_message: string | null;
  user_id: string | null;
  invite_redeem_url_sealed: string | null;
  settled_at: NullableTimestamp;
}

export interface BulkTables {
  bulk_operations: BulkOperationsTable;
  bulk_operation_rows: BulkOperationRowsTable;
}
