/**
 * Who may consent to what (issue 16 items 3-5), as pure rules over plain facts: the tenant's user
 * consent setting (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned),
 * the client app (registered here or in another tenant, verified publisher, assignment required),
 * the permissions asked for (delegated scope type and classification, application permissions) and
 * the consenting user's directory roles. No I/O: the consent service gathers the facts.
 */

/** The built-in permission grant policies a tenant may assign for user consent (Entra's portal choices). */
export const USER_CONSENT_POLICY_IDS = {
  low: 'microsoft-user-default-low',
  legacy: 'microsoft-user-default-legacy',
} as const;

const SELF = 'managepermissiongrantsforself.';

/** The user consent setting: none (no user consent), low (verified publishers or this tenant's apps, low-impact scopes), legacy (any app, any User-type scope). */
export type UserConsentSetting = 'none' | 'low' | 'legacy';

/**
 * The setting a permissionGrantPoliciesAssigned list means. Entries are compared case-insensitively
 * (Entra's casing varies); `ManagePermissionGrantsForOwnedResource.*` entries do not bear on user
 * consent. A list that was never accepted (several or unknown `ForSelf` entries) means no user consent.
 */
export function userConsentSetting(assigned: readonly string[]): UserConsentSetting {
  const self = assigned.map((entry) => entry.toLowerCase()).filter((entry) => entry.startsWith(SELF));
  if (self.length !== 1) return 'none';
  const policy = self[0]!.slice(SELF.length);
  if (policy === USER_CONSENT_POLICY_IDS.low) return 'low';
  if (policy === USER_CONSENT_POLICY_IDS.legacy) return 'legacy';
  return 'none';
}

/**
 * The setting as it applies to one user: Entra's user consent policies are for member users
 * ("consentable by member type users"); guests never consent for themselves.
 */
export function settingFor(setting: UserConsentSetting, userType: 'Member' | 'Guest'): UserConsentSetting {
  return userType === 'Guest' ? 'none' : setting;
}

/**
 * Why a permissionGrantPoliciesAssigned list cannot be stored, or null when it can: at most one
 * `ManagePermissionGrantsForSelf.*` entry, and it names -low or -legacy. Entra's
 * `microsoft-user-default-recommended` ("Let Microsoft manage your consent settings") depends on
 * Microsoft's own risk data, which Tessera does not have, so it is refused like any unknown policy.
 */
export function permissionGrantPoliciesProblem(assigned: readonly string[]): string | null {
  const self = assigned.filter((entry) => entry.toLowerCase().startsWith(SELF));
  if (self.length > 1) return `at most one 'ManagePermissionGrantsForSelf.*' entry is allowed (found ${self.length})`;
  const [entry] = self;
  if (entry === undefined) return null;
  const policy = entry.slice(SELF.length).toLowerCase();
  if (policy === USER_CONSENT_POLICY_IDS.low || policy === USER_CONSENT_POLICY_IDS.legacy) return null;
  return `'${entry}' is not a user consent policy this server implements; use 'ManagePermissionGrantsForSelf.${USER_CONSENT_POLICY_IDS.low}', 'ManagePermissionGrantsForSelf.${USER_CONSENT_POLICY_IDS.legacy}', or no 'ManagePermissionGrantsForSelf.*' entry (no user consent)`;
}

/** The OpenID Connect scopes: sign-in itself, low impact by definition (Entra classifies them low). */
export const SIGN_IN_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

export type PermissionClassification = 'low' | 'medium' | 'high';

/** One delegated permission asked for, as the rules need it. */
export interface RequestedScope {
  value: string;
  type: 'User' | 'Admin';
  /** delegatedPermissionClassifications of the resource; null when unclassified */
  classification: PermissionClassification | null;
}

/** The client app as the rules need it. */
export interface ClientFacts {
  /** the app is registered in this tenant (its home tenant is this one) */
  registeredHere: boolean;
  /** its publisher is verified (verifiedPublisher.verifiedPublisherId is set) */
  verifiedPublisher: boolean;
  /** its service principal here requires user assignment */
  appRoleAssignmentRequired: boolean;
}

/** Why a user may not consent for themselves. */
export type UserConsentBlock =
  /** the tenant does not let users consent */
  | 'userConsentDisabled'
  /** an application permission: only administrators grant those */
  | 'applicationPermission'
  /** an Admin-type scope */
  | 'adminScope'
  /** the app requires assignment: always admin consent */
  | 'assignmentRequired'
  /** -low: the app is another tenant's, from an unverified publisher */
  | 'unverifiedPublisher'
  /** -low: a scope not classified low */
  | 'notLowImpact';

/**
 * Whether a user may consent, for themselves, to `scopes` (and `applicationPermissions` app roles)
 * of `client`: null when they may, else the first reason they may not. Users only ever consent to
 * delegated User-type scopes, never for apps that require assignment; `-low` further needs an app
 * of this tenant or of a verified publisher and scopes classified low (the sign-in scopes count as
 * low); `-legacy` allows any app and any User-type scope.
 */
export function userConsentBlock(setting: UserConsentSetting, client: ClientFacts, scopes: readonly RequestedScope[], applicationPermissions = 0): UserConsentBlock | null {
  if (setting === 'none') return 'userConsentDisabled';
  if (applicationPermissions > 0) return 'applicationPermission';
  if (scopes.some((scope) => scope.type !== 'User')) return 'adminScope';
  if (client.appRoleAssignmentRequired) return 'assignmentRequired';
  if (setting === 'legacy') return null;
  if (!client.registeredHere && !client.verifiedPublisher) return 'unverifiedPublisher';
  if (scopes.some((scope) => !SIGN_IN_SCOPES.has(scope.value.toLowerCase()) && scope.classification !== 'low')) return 'notLowImpact';
  return null;
}

/** Role template ids that let a user consent for the whole organization. */
export const CONSENT_ADMIN_ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
} as const;

/**
 * How far a user may consent for everyone (Entra's managePermissionGrantsForAll policies):
 * `company` (Global and Privileged Role Administrators: everything, Microsoft Graph application
 * permissions included), `application` (Cloud Application and Application Administrators:
 * everything except Microsoft Graph application permissions), or `none`.
 */
export type AdminConsentLevel = 'none' | 'application' | 'company';

export function adminConsentLevel(roleTemplateIds: Iterable<string>): AdminConsentLevel {
  const ids = new Set([...roleTemplateIds].map((id) => id.toLowerCase()));
  if (ids.has(CONSENT_ADMIN_ROLES.globalAdministrator) || ids.has(CONSENT_ADMIN_ROLES.privilegedRoleAdministrator)) return 'company';
  if (ids.has(CONSENT_ADMIN_ROLES.cloudApplicationAdministrator) || ids.has(CONSENT_ADMIN_ROLES.applicationAdministrator)) return 'application';
  return 'none';
}

/** Whether an administrator at `level` may grant tenant-wide consent that includes (or not) Microsoft Graph application permissions. */
export function adminMayGrant(level: AdminConsentLevel, request: { graphApplicationPermissions: boolean }): boolean {
  if (level === 'company') return true;
  return level === 'application' && !request.graphApplicationPermissions;
}
