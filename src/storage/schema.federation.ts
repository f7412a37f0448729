import type { ColumnType } from 'kysely';

/** Table types of the federation module (migration 2026_12_03_100000_federation). */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;

export interface IdentityProvidersTable {
  tenant_id: string;
  id: string;
  display_name: string;
  issuer: string;
  client_id: string;
  /** SecretBox.seal of the client secret: the provider needs it back to redeem codes */
  client_secret_sealed: string;
  scope: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdentityProviderDomainsTable {
  tenant_id: string;
  /** lower-cased; one provider per domain per tenant (the primary key) */
  domain: string;
  provider_id: string;
}

export interface EmailCodesTable {
  tenant_id: string;
  id: string;
  purpose: 'signup' | 'guestOtp';
  /** lower-cased address the code was mailed to */
  email: string;
  /** SecretBox.mac of `{id}:{code}` */
  code_hash: string;
  attempts: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  verified_at: NullableTimestamp;
  consumed_at: NullableTimestamp;
}

export interface FederationTables {
  identity_providers: IdentityProvidersTable;
  identity_provider_domains: IdentityProviderDomainsTable;
  email_codes: EmailCodesTable;
}
