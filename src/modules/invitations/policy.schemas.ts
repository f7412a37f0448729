import { readBody, type BodySpec } from '../../kernel/body.ts';
import { permissionGrantPoliciesProblem } from '../consent/index.ts';
import { isGuestRoleId } from './guest-roles.ts';
import { InvitationErrors } from './invitations.errors.ts';
import { isDomain } from './invitation.schemas.ts';

/**
 * The request bodies of the policy endpoints, with their limits as data. Graph documents the
 * b2bManagementPolicy's 25 KB; our choices: 50 permission grant policies of 256 characters, and a
 * domain entry is a domain name (253 characters) or `*.` and one.
 */
export const POLICY_LIMITS = {
  b2bManagementPolicyBytes: 25 * 1024,
  permissionGrantPoliciesAssigned: { maxItems: 50, itemMaxLength: 256 },
  domainEntry: 255,
} as const;

export const ALLOW_INVITES_FROM = ['none', 'adminsAndGuestInviters', 'adminsGuestInvitersAndAllMembers', 'everyone'] as const;

const enumCheck = (values: readonly string[]) => (v: string) => (values.includes(v) ? null : `expected one of ${values.map((x) => `'${x}'`).join(', ')}`);

const GRANT_POLICY = /^managePermissionGrantsFor(Self|OwnedResource)\.[A-Za-z0-9._-]+$/i;

export const authorizationPolicySpec: BodySpec = {
  id: { type: 'string', writable: false },
  displayName: { type: 'string', writable: false },
  description: { type: 'string', writable: false },
  allowInvitesFrom: { type: 'string', check: enumCheck(ALLOW_INVITES_FROM) },
  allowedToSignUpEmailBasedSubscriptions: { type: 'boolean' },
  allowedToUseSSPR: { type: 'boolean' },
  allowEmailVerifiedUsersToJoinOrganization: { type: 'boolean' },
  allowUserConsentForRiskyApps: { type: 'boolean', nullable: true },
  blockMsolPowerShell: { type: 'boolean' },
  guestUserRoleId: {
    type: 'string',
    check: (v: string) => (isGuestRoleId(v) ? null : 'expected one of the guest role ids a0b1b346-4d3e-4e8b-98f8-753987be4970 (User), 10dae51f-b6af-4016-8d66-8c2a99b929b3 (Guest User) or 2af84b1e-32c8-42b7-82bc-daa82404023b (Restricted Guest User)'),
  },
  defaultUserRolePermissions: {
    type: 'object',
    typeName: 'microsoft.graph.defaultUserRolePermissions',
    fields: {
      allowedToCreateApps: { type: 'boolean' },
      allowedToCreateSecurityGroups: { type: 'boolean' },
      allowedToCreateTenants: { type: 'boolean' },
      allowedToReadBitlockerKeysForOwnedDevice: { type: 'boolean' },
      allowedToReadOtherUsers: { type: 'boolean' },
      permissionGrantPoliciesAssigned: {
        type: 'stringArray',
        ...POLICY_LIMITS.permissionGrantPoliciesAssigned,
        // the user consent setting (consent-rules.ts): at most one ForSelf entry, -low or -legacy
        check: (v: string[]) =>
          v.every((entry) => GRANT_POLICY.test(entry))
            ? permissionGrantPoliciesProblem(v)
            : "every entry must look like 'ManagePermissionGrantsForSelf.{policyId}' or 'ManagePermissionGrantsForOwnedResource.{policyId}'",
      },
    },
  },
};

export const externalIdentitiesPolicySpec: BodySpec = {
  id: { type: 'string', writable: false },
  displayName: { type: 'string', writable: false },
  description: { type: 'string', writable: false },
  deletedDateTime: { type: 'string', writable: false },
  allowExternalIdentitiesToLeave: { type: 'boolean' },
  allowDeletedIdentitiesDataRemoval: { type: 'boolean' },
};

export const emailMethodSpec: BodySpec = {
  id: { type: 'string', writable: false },
  includeTargets: { type: 'objectArray', writable: false },
  excludeTargets: { type: 'objectArray', writable: false },
  state: { type: 'string', check: enumCheck(['enabled', 'disabled']) },
  allowExternalIdToUseEmailOtp: { type: 'string', check: enumCheck(['default', 'enabled', 'disabled']) },
};

const b2bSpec: BodySpec = {
  id: { type: 'string', writable: false },
  invitationsAllowedAndBlockedDomainsPolicy: {
    type: 'object',
    typeName: 'tessera.invitationsAllowedAndBlockedDomainsPolicy',
    fields: {
      allowedDomains: { type: 'stringArray', itemMaxLength: POLICY_LIMITS.domainEntry },
      blockedDomains: { type: 'stringArray', itemMaxLength: POLICY_LIMITS.domainEntry },
    },
  },
  allowConsumerDomains: { type: 'boolean' },
};

/** A b2bManagementPolicy PATCH: domain lists lower-cased and de-duplicated, each entry a domain or `*.domain`. */
export function readB2bPatch(body: unknown): { allowedDomains?: string[]; blockedDomains?: string[]; allowConsumerDomains?: boolean } {
  if (typeof body === 'object' && body !== null && Buffer.byteLength(JSON.stringify(body)) > POLICY_LIMITS.b2bManagementPolicyBytes) {
    throw InvitationErrors.policyTooLarge(POLICY_LIMITS.b2bManagementPolicyBytes);
  }
  const input = readBody<Record<string, any>>(body, b2bSpec, 'tessera.b2bManagementPolicy');
  const lists = input.invitationsAllowedAndBlockedDomainsPolicy as { allowedDomains?: string[]; blockedDomains?: string[] } | undefined;
  const out: { allowedDomains?: string[]; blockedDomains?: string[]; allowConsumerDomains?: boolean } = {};
  if (lists?.allowedDomains !== undefined) out.allowedDomains = domainList(lists.allowedDomains, 'allowedDomains');
  if (lists?.blockedDomains !== undefined) out.blockedDomains = domainList(lists.blockedDomains, 'blockedDomains');
  if ((out.allowedDomains?.length ?? 0) > 0 && (out.blockedDomains?.length ?? 0) > 0) throw InvitationErrors.bothDomainLists();
  if (input.allowConsumerDomains !== undefined) out.allowConsumerDomains = input.allowConsumerDomains as boolean;
  return out;
}

function domainList(entries: string[], name: string): string[] {
  const out = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const domain = entry.startsWith('*.') ? entry.slice(2) : entry;
    if (!isDomain(domain)) throw InvitationErrors.invalidPolicy(`Invalid value for property '${name}': '${raw}' is not a domain name (use a name such as partner.example or *.partner.example).`);
    out.add(entry);
  }
  return [...out];
}
