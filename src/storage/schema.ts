import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { PlatformTables } from './schema.platform.ts';
import type { InvitationTables } from './schema.invitations.ts';
import type { FederationTables } from './schema.federation.ts';
import type { BulkTables } from './schema.bulk.ts';
import type { ConsentRequestTables } from './schema.consent-requests.ts';
import type { ApplicationConsentColumns, ApplicationConsentTables, ServicePrincipalConsentColumns } from './schema.applications.ts';

/**
 * Table types. Timestamps are ISO strings on the way in; on the way out SQLite gives strings and
 * pg gives Date, so they are read through `iso()`. Booleans and JSON likewise through `bool()`/`json()`.
 */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
type Bool = ColumnType<boolean | number, boolean, boolean>;
type Json = ColumnType<unknown, string, string>;

export interface TenantsTable {
  id: string;
  display_name: string;
  initial_domain: string;
  country_letter_code: string | null;
  preferred_language: string | null;
  city: string | null;
  state: string | null;
  street: string | null;
  postal_code: string | null;
  cloud_type: 'commercial' | 'government' | 'sovereign';
  privacy_contact_email: string | null;
  privacy_statement_url: string | null;
  technical_notification_mails: Json;
  branding: Json;
  settings: Json;
  created_at: Timestamp;
  /** bumped with every change to the tenant's apps, service principals, grants and domains (stamped caches) */
  directory_stamp: ColumnType<number, number | undefined, number>;
}

export interface TenantDomainsTable {
  tenant_id: string;
  name: string;
  is_initial: Bool;
  is_default: Bool;
  is_verified: Bool;
  type: string;
  created_at: Timestamp;
}

export interface DirectoryObjectsTable {
  tenant_id: string;
  id: string;
  object_type: 'user' | 'group' | 'directoryRole' | 'servicePrincipal';
  created_at: Timestamp;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  user_principal_name: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  mail: string | null;
  mail_nickname: string;
  other_mails: Json;
  proxy_addresses: Json;
  identities: Json;
  business_phones: Json;
  account_enabled: Bool;
  user_type: 'Member' | 'Guest';
  usage_location: string | null;
  job_title: string | null;
  department: string | null;
  company_name: string | null;
  office_location: string | null;
  mobile_phone: string | null;
  preferred_language: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  street_address: string | null;
  postal_code: string | null;
  employee_id: string | null;
  external_user_state: string | null;
  external_user_state_change_at: NullableTimestamp;
  creation_type: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserCredentialsTable {
  tenant_id: string;
  user_id: string;
  password_hash: string;
  password_changed_at: Timestamp;
  /** Graph's passwordProfile.forceChangePasswordNextSignIn (defaults to false) */
  force_change_password_next_sign_in: ColumnType<boolean | number, boolean | undefined, boolean>;
}

export interface GroupsTable {
  tenant_id: string;
  id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string;
  mail_enabled: Bool;
  security_enabled: Bool;
  group_types: Json;
  visibility: string | null;
  is_assignable_to_role: Bool;
  mail: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
  created_at: Timestamp;
}

export interface DirectoryRolesTable {
  tenant_id: string;
  id: string;
  role_template_id: string;
  display_name: string;
  description: string;
}

export interface DirectoryRoleMembersTable {
  tenant_id: string;
  role_id: string;
  member_id: string;
  created_at: Timestamp;
}

export interface AuditEventsTable {
  tenant_id: string;
  id: string;
  occurred_at: Timestamp;
  actor_id: string | null;
  actor_type: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json;
}

export interface OidcPayloadsTable {
  tenant_id: string;
  model: string;
  id: string;
  payload: string;
  uid: string | null;
  grant_id: string | null;
  user_code: string | null;
  consumed_at: NullableTimestamp;
  expires_at: NullableTimestamp;
}

export interface SigningKeysTable {
  tenant_id: string;
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk_sealed: string;
  status: 'active' | 'retired';
  created_at: Timestamp;
  retired_at: NullableTimestamp;
  remove_after: NullableTimestamp;
}

export interface ApplicationsTable extends ApplicationConsentColumns {
  tenant_id: string;
  id: string;
  app_id: string;
  display_name: string;
  sign_in_audience: string;
  web_redirect_uris: Json;
  spa_redirect_uris: Json;
  public_client_redirect_uris: Json;
  is_fallback_public_client: Bool;
  identifier_uris: Json;
  required_resource_access: Json;
  oauth2_permission_scopes: Json;
  app_roles: Json;
  password_credentials: Json;
  key_credentials: Json;
  created_at: Timestamp;
}

export interface ServicePrincipalsTable extends ServicePrincipalConsentColumns {
  tenant_id: string;
  id: string;
  app_id: string;
  display_name: string;
  app_owner_organization_id: string | null;
  account_enabled: Bool;
  app_roles: Json;
  oauth2_permission_scopes: Json;
  service_principal_names: Json;
  created_at: Timestamp;
}

export interface OAuth2PermissionGrantsTable {
  tenant_id: string;
  id: string;
  client_id: string;
  consent_type: 'AllPrincipals' | 'Principal';
  principal_id: string | null;
  resource_id: string;
  scope: string;
  created_at: Timestamp;
}

export interface AppRoleAssignmentsTable {
  tenant_id: string;
  id: string;
  app_role_id: string;
  principal_id: string;
  principal_type: 'User' | 'Group' | 'ServicePrincipal';
  resource_id: string;
  created_at: Timestamp;
}

export interface SignInLockoutsTable {
  tenant_id: string;
  user_id: string;
  source: string;
  failures: number;
  lockouts: number;
  locked_until: NullableTimestamp;
  updated_at: Timestamp;
}

export interface DB extends PlatformTables, InvitationTables, FederationTables, BulkTables, ApplicationConsentTables, ConsentRequestTables {
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  directory_objects: DirectoryObjectsTable;
  users: UsersTable;
  user_credentials: UserCredentialsTable;
  groups: GroupsTable;
  group_members: MembershipTable;
  group_owners: MembershipTable;
  directory_roles: DirectoryRolesTable;
  directory_role_members: DirectoryRoleMembersTable;
  audit_events: AuditEventsTable;
  oidc_payloads: OidcPayloadsTable;
  signing_keys: SigningKeysTable;
  applications: ApplicationsTable;
  service_principals: ServicePrincipalsTable;
  oauth2_permission_grants: OAuth2PermissionGrantsTable;
  app_role_assignments: AppRoleAssignmentsTable;
  sign_in_lockouts: SignInLockoutsTable;
}

/** Tables whose rows belong to one tenant (all but the tenant registry itself). */
export type TenantTable = Exclude<keyof DB, 'tenants'>;

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type GroupRow = Selectable<GroupsTable>;
export type TenantRow = Selectable<TenantsTable>;
export type TenantDomainRow = Selectable<TenantDomainsTable>;
export type DirectoryRoleRow = Selectable<DirectoryRolesTable>;
