import type { ColumnType } from 'kysely';

/** Table types of the admin consent request workflow (migration 2026_12_04_120000_consent_requests). */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
type Bool = ColumnType<boolean | number, boolean, boolean>;
type Json = ColumnType<unknown, string, string>;

export interface AdminConsentRequestPoliciesTable {
  tenant_id: string;
  /** always 'default': one row per tenant */
  id: string;
  is_enabled: Bool;
  notify_reviewers: Bool;
  reminders_enabled: Bool;
  request_duration_days: number;
  version: number;
  updated_at: Timestamp;
}

export interface AdminConsentReviewersTable {
  tenant_id: string;
  id: string;
  kind: 'user' | 'group' | 'role';
  /** a user id, a group id or a directory role template id */
  target_id: string;
  query: string;
  query_type: string;
  query_root: string | null;
  position: number;
  added_at: Timestamp;
}

export interface AppConsentRequestsTable {
  tenant_id: string;
  id: string;
  app_id: string;
  app_display_name: string;
  state: 'pending' | 'approved' | 'denied' | 'blocked' | 'expired';
  permissions: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
  reviewed_by_id: string | null;
  reviewed_by_name: string | null;
  reviewed_at: NullableTimestamp;
  justification: string | null;
}

export interface UserConsentRequestsTable {
  tenant_id: string;
  id: string;
  app_request_id: string;
  user_id: string;
  reason: string;
  permissions: Json;
  status: 'InProgress' | 'Completed' | 'Expired';
  created_at: Timestamp;
  expires_at: Timestamp;
  completed_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
}

export interface ConsentRequestTables {
  admin_consent_request_policies: AdminConsentRequestPoliciesTable;
  admin_consent_reviewers: AdminConsentReviewersTable;
  app_consent_requests: AppConsentRequestsTable;
  user_consent_requests: UserConsentRequestsTable;
}
