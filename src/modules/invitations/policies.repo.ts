import type { TenantDb } from '../../storage/scoped.ts';
import { bool, iso, json, toJson } from '../../storage/values.ts';
import type { AllowInvitesFrom } from './invitation.types.ts';

/** A tenant's external collaboration policies as stored (no row: Entra's defaults, see external-settings.ts). */
export interface StoredPolicies {
  allowInvitesFrom: AllowInvitesFrom;
  guestUserRoleId: string;
  allowExternalIdentitiesToLeave: boolean;
  allowedDomains: string[];
  blockedDomains: string[];
  allowConsumerDomains: boolean;
  emailMethodState: 'enabled' | 'disabled';
  emailOtpForExternal: 'default' | 'enabled' | 'disabled';
  /** authorizationPolicy's other properties (defaultUserRolePermissions, allowedToUseSSPR, ...) */
  authorization: Record<string, unknown>;
  updatedAt: string | null;
}

/** The one policy row of a tenant. */
const POLICY_ROW = 'default';

export const policiesRepo = Object.freeze({
  async get(tdb: TenantDb): Promise<StoredPolicies | undefined> {
    const row = await tdb.selectFrom('external_collaboration_policies').selectAll().where('id', '=', POLICY_ROW).executeTakeFirst();
    if (!row) return undefined;
    return {
      allowInvitesFrom: row.allow_invites_from as AllowInvitesFrom,
      guestUserRoleId: row.guest_user_role_id,
      allowExternalIdentitiesToLeave: bool(row.allow_external_identities_to_leave),
      allowedDomains: json<string[]>(row.allowed_domains, []),
      blockedDomains: json<string[]>(row.blocked_domains, []),
      allowConsumerDomains: bool(row.allow_consumer_domains),
      emailMethodState: row.email_method_state === 'disabled' ? 'disabled' : 'enabled',
      emailOtpForExternal: (['default', 'enabled', 'disabled'].includes(row.email_otp_for_external) ? row.email_otp_for_external : 'default') as StoredPolicies['emailOtpForExternal'],
      authorization: json<Record<string, unknown>>(row.authorization_policy, {}),
      updatedAt: iso(row.updated_at),
    };
  },

  async save(tdb: TenantDb, policies: StoredPolicies, now: string): Promise<void> {
    const values = {
      allow_invites_from: policies.allowInvitesFrom,
      guest_user_role_id: policies.guestUserRoleId,
      allow_external_identities_to_leave: policies.allowExternalIdentitiesToLeave,
      allowed_domains: toJson(policies.allowedDomains),
      blocked_domains: toJson(policies.blockedDomains),
      allow_consumer_domains: policies.allowConsumerDomains,
      email_method_state: policies.emailMethodState,
      email_otp_for_external: policies.emailOtpForExternal,
      authorization_policy: toJson(policies.authorization),
      updated_at: now,
    };
    await tdb
      .insertInto('external_collaboration_policies', { id: POLICY_ROW, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet(values))
      .execute();
  },
});
