import type { Migration } from 'kysely/migration';
import * as directory from './2026_11_23_120000_directory.ts';
import * as jobsAndMail from './2026_11_23_140000_jobs_and_mail.ts';
import * as identityPlatform from './2026_11_23_150000_identity_platform.ts';
import * as forcePasswordChange from './2026_11_23_160000_force_password_change.ts';
import * as sensitiveActionRoles from './2026_11_24_090000_sensitive_action_roles.ts';
import * as directoryStamp from './2026_12_02_090000_directory_stamp.ts';
import * as prefixIndexes from './2026_12_02_100000_prefix_indexes.ts';
import * as invitations from './2026_12_03_090000_invitations.ts';
import * as federation from './2026_12_03_100000_federation.ts';
import * as bulkOperations from './2026_12_03_110000_bulk_operations.ts';
import * as b2bPermissions from './2026_12_03_120000_b2b_permissions.ts';
import * as prefixOrderIndexes from './2026_12_03_140000_prefix_order_indexes.ts';
import * as applicationsConsent from './2026_12_04_090000_applications_consent.ts';
import * as adminCenterConsentScopes from './2026_12_04_130000_admin_center_consent_scopes.ts';
import * as permissionGrantsUnique from './2026_12_04_100000_permission_grants_unique.ts';
import * as consentRequests from './2026_12_04_120000_consent_requests.ts';

/**
 * Every migration, by its frozen timestamp name. A static list (rather than reading the folder)
 * works the same from TypeScript sources and from a compiled build.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_23_120000_directory': directory,
  '2026_11_23_140000_jobs_and_mail': jobsAndMail,
  '2026_11_23_150000_identity_platform': identityPlatform,
  '2026_11_23_160000_force_password_change': forcePasswordChange,
  '2026_11_24_090000_sensitive_action_roles': sensitiveActionRoles,
  '2026_12_02_090000_directory_stamp': directoryStamp,
  '2026_12_02_100000_prefix_indexes': prefixIndexes,
  '2026_12_03_090000_invitations': invitations,
  '2026_12_03_100000_federation': federation,
  '2026_12_03_110000_bulk_operations': bulkOperations,
  '2026_12_03_120000_b2b_permissions': b2bPermissions,
  '2026_12_03_140000_prefix_order_indexes': prefixOrderIndexes,
  '2026_12_04_090000_applications_consent': applicationsConsent,
  '2026_12_04_130000_admin_center_consent_scopes': adminCenterConsentScopes,
  '2026_12_04_100000_permission_grants_unique': permissionGrantsUnique,
  '2026_12_04_120000_consent_requests': consentRequests,
};
