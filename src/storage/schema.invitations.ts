import type { ColumnType } from 'kysely';

/** Table types of the invitations module (migration 2026_12_03_090000_invitations). */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
type Bool = ColumnType<boolean | number, boolean, boolean>;
type Json = ColumnType<unknown, string, string>;

export interface GuestInvitationsTable {
  tenant_id: string;
  user_id: string;
  invited_email: string;
  redirect_url: string;
  invited_by_id: string | null;
  invited_by_type: string;
  /** SecretBox.mac of the current ticket; null once replaced by nothing (redeemed guests keep the used one) */
  ticket_hash: string | null;
  ticket_expires_at: NullableTimestamp;
  ticket_used_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GuestHomeLinksTable {
  tenant_id: string;
  user_id: string;
  kind: 'tenant' | 'oidc' | 'personal' | 'emailOtp';
  issuer: string;
  subject: string;
  home_tenant_id: string | null;
  email: string;
  created_at: Timestamp;
}

export interface ExternalCollaborationPoliciesTable {
  tenant_id: string;
  /** always 'default': one row per tenant */
  id: string;
  allow_invites_from: string;
  guest_user_role_id: string;
  allow_external_identities_to_leave: Bool;
  allowed_domains: Json;
  blocked_domains: Json;
  allow_consumer_domains: Bool;
  email_method_state: string;
  email_otp_for_external: string;
  /** the other authorizationPolicy properties (defaultUserRolePermissions, allowedToUseSSPR, ...) */
  authorization_policy: Json;
  updated_at: Timestamp;
}

export interface InvitationThrottleTable {
  tenant_id: string;
  /** the window's number: epoch milliseconds / window length */
  window_start: ColumnType<number | string | bigint, number, number>;
  calls: number;
}

export interface InvitationTables {
  guest_invitations: GuestInvitationsTable;
  guest_home_links: GuestHomeLinksTable;
  external_collaboration_policies: ExternalCollaborationPoliciesTable;
  invitation_throttle: InvitationThrottleTable;
}
