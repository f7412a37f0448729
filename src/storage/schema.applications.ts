import type { ColumnType } from 'kysely';

/** Table types of the consent work on applications (migration 2026_12_04_090000_applications_consent). */
type Timestamp = ColumnType<string | Date, string, string>;
/** a NOT NULL column with a default: optional on insert */
type DefaultedJson = ColumnType<unknown, string | undefined, string>;
type DefaultedBool = ColumnType<boolean | number, boolean | undefined, boolean>;

/** The columns the migration adds to `applications`. */
export interface ApplicationConsentColumns {
  description: string | null;
  /** informationalUrl: terms, privacy, marketing, support, logo */
  info: DefaultedJson;
  /** set only by `tessera app verify-publisher` */
  verified_publisher: DefaultedJson;
  /** the home tenant's initial domain */
  publisher_domain: string | null;
  web_home_page_url: string | null;
  web_logout_url: string | null;
  tags: DefaultedJson;
}

/** The columns the migration adds to `service_principals`. */
export interface ServicePrincipalConsentColumns {
  app_display_name: string | null;
  description: string | null;
  app_role_assignment_required: DefaultedBool;
  /** the home tenant's display name when the service principal was made */
  publisher_name: string | null;
  verified_publisher: DefaultedJson;
  sign_in_audience: ColumnType<string, string | undefined, string>;
  info: DefaultedJson;
  homepage: string | null;
  reply_urls: DefaultedJson;
  tags: DefaultedJson;
}

export interface DelegatedPermissionClassificationsTable {
  tenant_id: string;
  id: string;
  /** the resource service principal whose delegated scope is classified */
  service_principal_id: string;
  permission_id: string;
  permission_name: string;
  classification: 'low' | 'medium' | 'high';
  created_at: Timestamp;
}

export interface ApplicationConsentTables {
  delegated_permission_classifications: DelegatedPermissionClassificationsTable;
}
