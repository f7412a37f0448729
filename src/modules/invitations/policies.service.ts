import { readBody } from '../../kernel/body.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../storage/database.ts';
import { inTransaction, scoped, type TenantDb } from '../../storage/scoped.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { recordAudit } from '../audit/index.ts';
import { actorOf, authorize, type CloudType, type GuestAccessLevel, type Principal, type TenantsService } from '../directory/index.ts';
import { GUEST_ROLE_IDS, guestAccessOf } from './guest-roles.ts';
import type { ExternalCollaborationSettings } from './invitation.types.ts';
import { InvitationErrors } from './invitations.errors.ts';
import { policiesRepo, type StoredPolicies } from './policies.repo.ts';
import { authorizationPolicySpec, emailMethodSpec, externalIdentitiesPolicySpec, readB2bPatch } from './policy.schemas.ts';

/** authorizationPolicy's defaults in a new tenant (graph-reference §6). */
const DEFAULT_AUTHORIZATION = {
  allowedToSignUpEmailBasedSubscriptions: true,
  allowedToUseSSPR: true,
  allowEmailVerifiedUsersToJoinOrganization: false,
  allowUserConsentForRiskyApps: null,
  blockMsolPowerShell: false,
  defaultUserRolePermissions: {
    allowedToCreateApps: true,
    allowedToCreateSecurityGroups: true,
    allowedToCreateTenants: true,
    allowedToReadBitlockerKeysForOwnedDevice: true,
    allowedToReadOtherUsers: true,
    permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
  },
} as const;

/** Entra's defaults: everyone may invite (none in US Government clouds), guests get limited access, nobody may leave. */
export function defaultPolicies(cloudType: CloudType): StoredPolicies {
  return {
    allowInvitesFrom: cloudType === 'government' ? 'none' : 'everyone',
    guestUserRoleId: GUEST_ROLE_IDS.guestUser,
    allowExternalIdentitiesToLeave: false,
    allowedDomains: [],
    blockedDomains: [],
    allowConsumerDomains: false,
    emailMethodState: 'enabled',
    emailOtpForExternal: 'default',
    authorization: {},
    updatedAt: null,
  };
}

export function settingsOf(stored: StoredPolicies): ExternalCollaborationSettings {
  return {
    allowInvitesFrom: stored.allowInvitesFrom,
    guestUserRoleId: stored.guestUserRoleId,
    allowExternalIdentitiesToLeave: stored.allowExternalIdentitiesToLeave,
    allowedDomains: [...stored.allowedDomains],
    blockedDomains: [...stored.blockedDomains],
    allowConsumerDomains: stored.allowConsumerDomains,
    emailOtpForGuests: stored.emailOtpForExternal !== 'disabled',
  };
}

/**
 * The external collaboration policies (graph-reference §6, §9): authorizationPolicy (v1.0),
 * externalIdentitiesPolicy and Tessera's b2bManagementPolicy (beta), and the e-mail
 * authentication method's guest OTP setting. Every change is one transaction with its audit record.
 */
export class CollaborationPoliciesService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly tenants: TenantsService,
  ) {}

  /** The stored policies, or Entra's defaults for the tenant. */
  async current(scope: TenantScope, tdb: TenantDb = scoped(this.database, scope)): Promise<StoredPolicies> {
    const stored = await policiesRepo.get(tdb);
    if (stored) return stored;
    const tenant = await this.tenants.get(scope);
    return defaultPolicies(tenant?.cloudType ?? 'commercial');
  }

  async settings(scope: TenantScope): Promise<ExternalCollaborationSettings> {
    return settingsOf(await this.current(scope));
  }

  /** What guests of this tenant may read on Graph (authorizationPolicy.guestUserRoleId). */
  async guestAccessLevel(scope: TenantScope): Promise<GuestAccessLevel> {
    const stored = await policiesRepo.get(scoped(this.database, scope));
    return guestAccessOf(stored?.guestUserRoleId ?? GUEST_ROLE_IDS.guestUser);
  }

  /** authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned: the user consent setting (modules/consent reads it). */
  async permissionGrantPoliciesAssigned(scope: TenantScope): Promise<string[]> {
    const view = authorizationPolicyView(await this.current(scope));
    return [...(view.defaultUserRolePermissions as { permissionGrantPoliciesAssigned: readonly string[] }).permissionGrantPoliciesAssigned];
  }

  async authorizationPolicy(scope: TenantScope, principal: Principal): Promise<Record<string, unknown>> {
    authorize(principal, 'policies.read');
    return authorizationPolicyView(await this.current(scope));
  }

  async updateAuthorizationPolicy(scope: TenantScope, principal: Principal, body: unknown): Promise<void> {
    authorize(principal, 'policies.authorization.update');
    const input = readBody<Record<string, any>>(body, authorizationPolicySpec, 'microsoft.graph.authorizationPolicy');
    await this.change(scope, principal, 'Update authorization policy', Object.keys(input), (stored) => {
      const authorization = { ...stored.authorization };
      for (const key of ['allowedToSignUpEmailBasedSubscriptions', 'allowedToUseSSPR', 'allowEmailVerifiedUsersToJoinOrganization', 'allowUserConsentForRiskyApps', 'blockMsolPowerShell']) {
        if (input[key] !== undefined) authorization[key] = input[key];
      }
      if (input.defaultUserRolePermissions) {
        const before = (authorization.defaultUserRolePermissions as Record<string, unknown> | undefined) ?? {};
        authorization.defaultUserRolePermissions = { ...before, ...input.defaultUserRolePermissions };
      }
      return {
        ...stored,
        authorization,
        ...(input.allowInvitesFrom !== undefined ? { allowInvitesFrom: input.allowInvitesFrom } : {}),
        ...(input.guestUserRoleId !== undefined ? { guestUserRoleId: String(input.guestUserRoleId).toLowerCase() } : {}),
      };
    });
  }

  async externalIdentitiesPolicy(scope: TenantScope, principal: Principal): Promise<Record<string, unknown>> {
    authorize(principal, 'policies.read');
    return externalIdentitiesPolicyView(await this.current(scope));
  }

  async updateExternalIdentitiesPolicy(scope: TenantScope, principal: Principal, body: unknown): Promise<void> {
    authorize(principal, 'policies.externalCollaboration.update');
    const input = readBody<Record<string, any>>(body, externalIdentitiesPolicySpec, 'microsoft.graph.externalIdentitiesPolicy');
    if (input.allowExternalIdentitiesToLeave === true) {
      // the portal offers the switch only once the privacy profile is filled in; Tessera requires its contact
      const tenant = await this.tenants.get(scope);
      if (!tenant?.privacyProfile.contactEmail) throw InvitationErrors.privacyContactRequired();
    }
    await this.change(scope, principal, 'Update external identities policy', Object.keys(input), (stored) => ({
      ...stored,
      ...(input.allowExternalIdentitiesToLeave !== undefined ? { allowExternalIdentitiesToLeave: input.allowExternalIdentitiesToLeave as boolean } : {}),
      authorization:
        input.allowDeletedIdentitiesDataRemoval !== undefined ? { ...stored.authorization, allowDeletedIdentitiesDataRemoval: input.allowDeletedIdentitiesDataRemoval } : stored.authorization,
    }));
  }

  async b2bManagementPolicy(scope: TenantScope, principal: Principal): Promise<Record<string, unknown>> {
    authorize(principal, 'policies.read');
    return b2bManagementPolicyView(await this.current(scope));
  }

  async updateB2bManagementPolicy(scope: TenantScope, principal: Principal, body: unknown): Promise<void> {
    authorize(principal, 'policies.externalCollaboration.update');
    const patch = readB2bPatch(body);
    await this.change(scope, principal, 'Update B2B management policy', Object.keys(patch), (stored) => {
      let { allowedDomains, blockedDomains } = stored;
      // "Switching the list type discards the old list" (§9): setting one list clears the other
      if (patch.allowedDomains !== undefined) {
        allowedDomains = patch.allowedDomains;
        if (allowedDomains.length > 0 && patch.blockedDomains === undefined) blockedDomains = [];
      }
      if (patch.blockedDomains !== undefined) {
        blockedDomains = patch.blockedDomains;
        if (blockedDomains.length > 0 && patch.allowedDomains === undefined) allowedDomains = [];
      }
      return { ...stored, allowedDomains, blockedDomains, ...(patch.allowConsumerDomains !== undefined ? { allowConsumerDomains: patch.allowConsumerDomains } : {}) };
    });
  }

  async emailMethod(scope: TenantScope, principal: Principal): Promise<Record<string, unknown>> {
    authorize(principal, 'policies.read');
    return emailMethodView(await this.current(scope));
  }

  async updateEmailMethod(scope: TenantScope, principal: Principal, body: unknown): Promise<void> {
    authorize(principal, 'policies.authenticationMethods.update');
    const input = readBody<Record<string, any>>(body, emailMethodSpec, 'microsoft.graph.emailAuthenticationMethodConfiguration');
    await this.change(scope, principal, 'Update email authentication method policy', Object.keys(input), (stored) => ({
      ...stored,
      ...(input.state !== undefined ? { emailMethodState: input.state as StoredPolicies['emailMethodState'] } : {}),
      ...(input.allowExternalIdToUseEmailOtp !== undefined ? { emailOtpForExternal: input.allowExternalIdToUseEmailOtp as StoredPolicies['emailOtpForExternal'] } : {}),
    }));
  }

  private async change(scope: TenantScope, principal: Principal, action: string, properties: string[], apply: (stored: StoredPolicies) => StoredPolicies): Promise<void> {
    // the defaults depend on the tenant's cloud (read before the transaction: one connection on SQLite)
    const cloudType = (await this.tenants.get(scope))?.cloudType ?? 'commercial';
    await inTransaction(this.database, scope, async (tdb) => {
      const stored = (await policiesRepo.get(tdb)) ?? defaultPolicies(cloudType);
      const next = apply(stored);
      const now = this.clock.now().toISOString();
      await policiesRepo.save(tdb, next, now);
      await recordAudit(tdb, this.clock, { ...actorOf(principal), action, targetType: 'policy', targetId: scope.tenantId, details: { properties, ...changedValues(stored, next) } });
    });
  }
}

function changedValues(before: StoredPolicies, after: StoredPolicies): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof StoredPolicies)[]) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return { changes };
}

export function authorizationPolicyView(stored: StoredPolicies): Record<string, unknown> {
  const saved = stored.authorization;
  const pick = <K extends keyof typeof DEFAULT_AUTHORIZATION>(key: K) => (Object.hasOwn(saved, key) ? saved[key] : DEFAULT_AUTHORIZATION[key]);
  const permissions = { ...DEFAULT_AUTHORIZATION.defaultUserRolePermissions, ...((saved.defaultUserRolePermissions as Record<string, unknown> | undefined) ?? {}) };
  return {
    id: 'authorizationPolicy',
    displayName: 'Authorization Policy',
    description: 'Used to manage authorization related settings across the company.',
    allowInvitesFrom: stored.allowInvitesFrom,
    allowedToSignUpEmailBasedSubscriptions: pick('allowedToSignUpEmailBasedSubscriptions'),
    allowedToUseSSPR: pick('allowedToUseSSPR'),
    allowEmailVerifiedUsersToJoinOrganization: pick('allowEmailVerifiedUsersToJoinOrganization'),
    allowUserConsentForRiskyApps: pick('allowUserConsentForRiskyApps'),
    blockMsolPowerShell: pick('blockMsolPowerShell'),
    guestUserRoleId: stored.guestUserRoleId,
    defaultUserRolePermissions: permissions,
  };
}

export function externalIdentitiesPolicyView(stored: StoredPolicies): Record<string, unknown> {
  return {
    id: 'externalIdentitiesPolicy',
    displayName: 'ExternalIdentitiesPolicy',
    description: 'Tenant-wide settings of external identities (guest users).',
    deletedDateTime: null,
    allowExternalIdentitiesToLeave: stored.allowExternalIdentitiesToLeave,
    allowDeletedIdentitiesDataRemoval: stored.authorization.allowDeletedIdentitiesDataRemoval === true,
  };
}

export function b2bManagementPolicyView(stored: StoredPolicies): Record<string, unknown> {
  return {
    id: 'b2bManagementPolicy',
    invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: stored.allowedDomains, blockedDomains: stored.blockedDomains },
    allowConsumerDomains: stored.allowConsumerDomains,
  };
}

export function emailMethodView(stored: StoredPolicies): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
    id: 'Email',
    state: stored.emailMethodState,
    allowExternalIdToUseEmailOtp: stored.emailOtpForExternal,
    includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
    excludeTargets: [],
  };
}
