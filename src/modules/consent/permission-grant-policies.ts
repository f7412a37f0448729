import { USER_CONSENT_POLICY_IDS } from './consent-rules.ts';

/**
 * The built-in permission grant policies Tessera implements, in Graph's `permissionGrantPolicy`
 * shape (`GET /policies/permissionGrantPolicies`, read-only): the two user consent choices a
 * tenant may assign (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned).
 * Their meaning is consent-rules.ts; this is only how Graph describes them. The condition set ids
 * are fixed, as Entra's are for its built-in policies.
 */
export interface PermissionGrantConditionSet {
  id: string;
  permissionClassification: 'low' | 'medium' | 'high' | 'all';
  permissionType: 'delegated' | 'application' | 'delegatedUserConsentable';
  resourceApplication: string;
  permissions: string[];
  clientApplicationIds: string[];
  clientApplicationTenantIds: string[];
  clientApplicationPublisherIds: string[];
  clientApplicationsFromVerifiedPublisherOnly: boolean;
  certifiedClientApplicationsOnly: boolean;
}

export interface PermissionGrantPolicy {
  id: string;
  displayName: string;
  description: string;
  deletedDateTime: null;
  includes: PermissionGrantConditionSet[];
  excludes: PermissionGrantConditionSet[];
}

const condition = (id: string, set: Partial<PermissionGrantConditionSet>): PermissionGrantConditionSet => ({
  id,
  permissionClassification: 'all',
  permissionType: 'delegatedUserConsentable',
  resourceApplication: 'any',
  permissions: ['all'],
  clientApplicationIds: ['all'],
  clientApplicationTenantIds: ['all'],
  clientApplicationPublisherIds: ['all'],
  clientApplicationsFromVerifiedPublisherOnly: false,
  certifiedClientApplicationsOnly: false,
  ...set,
});

/** The built-in policies as a tenant sees them (`-low` names the tenant itself as "this tenant's apps"). */
export function permissionGrantPolicies(tenantId: string): PermissionGrantPolicy[] {
  return [
    {
      id: USER_CONSENT_POLICY_IDS.low,
      displayName: 'Default User Low Risk Policy',
      description: 'All low risk permissions are consentable by member type users by default.',
      deletedDateTime: null,
      includes: [
        condition('cb0c20dd-919d-40c5-ba6d-7ffb233b4b0b', { permissionClassification: 'low', permissionType: 'delegated', clientApplicationTenantIds: [tenantId] }),
        condition('8ce99f96-730c-4ebd-8397-07ee65942b97', { permissionClassification: 'low', permissionType: 'delegated', clientApplicationsFromVerifiedPublisherOnly: true }),
      ],
      excludes: [],
    },
    {
      id: USER_CONSENT_POLICY_IDS.legacy,
      displayName: 'Default User Legacy Policy',
      description: 'All user-consentable delegated permissions (type User) are consentable by member type users, for any app.',
      deletedDateTime: null,
      includes: [condition('2a2a7b21-5b53-4b8e-9a0e-6b3c1f2d4e01', {})],
      excludes: [],
    },
  ];
}
