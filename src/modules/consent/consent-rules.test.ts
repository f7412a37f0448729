import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONSENT_ADMIN_ROLES,
  adminConsentLevel,
  adminMayGrant,
  permissionGrantPoliciesProblem,
  settingFor,
  userConsentBlock,
  userConsentSetting,
  type ClientFacts,
  type RequestedScope,
  type UserConsentBlock,
  type UserConsentSetting,
} from './consent-rules.ts';

const LOW = 'ManagePermissionGrantsForSelf.microsoft-user-default-low';
const LEGACY = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const OWNED = 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team';

test('the user consent setting: Entra\'s three choices, compared case-insensitively, owned-resource entries ignored', () => {
  const cases: [string[], UserConsentSetting][] = [
    [[], 'none'],
    [[OWNED], 'none'],
    [[LOW], 'low'],
    [[LOW.toLowerCase()], 'low'],
    [['managePermissionGrantsForSelf.microsoft-user-default-low', OWNED], 'low'],
    [[LEGACY], 'legacy'],
    [[LEGACY.toUpperCase()], 'legacy'],
    [[OWNED, LEGACY], 'legacy'],
    // never accepted by PATCH; read as the safe choice
    [['ManagePermissionGrantsForSelf.microsoft-user-default-recommended'], 'none'],
    [[LOW, LEGACY], 'none'],
  ];
  for (const [assigned, expected] of cases) assert.equal(userConsentSetting(assigned), expected, JSON.stringify(assigned));
});

test('guests never consent for themselves, whatever the setting', () => {
  for (const setting of ['none', 'low', 'legacy'] as const) {
    assert.equal(settingFor(setting, 'Guest'), 'none');
    assert.equal(settingFor(setting, 'Member'), setting);
  }
});

test('permissionGrantPoliciesAssigned: -low, -legacy or no ForSelf entry; anything else (recommended included) or two ForSelf entries refused', () => {
  for (const ok of [[], [LOW], [LEGACY], [LEGACY.toLowerCase()], [OWNED], [OWNED, LOW], ['ManagePermissionGrantsForOwnedResource.DeveloperConsent', LEGACY]]) {
    assert.equal(permissionGrantPoliciesProblem(ok), null, JSON.stringify(ok));
  }
  for (const bad of [
    ['ManagePermissionGrantsForSelf.microsoft-user-default-recommended'],
    ['ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps'],
    ['ManagePermissionGrantsForSelf.custom-policy'],
    [LOW, LEGACY],
    [LOW, LOW],
  ]) {
    assert.match(permissionGrantPoliciesProblem(bad) ?? '', /ManagePermissionGrantsForSelf/, JSON.stringify(bad));
  }
});

const scope = (value: string, type: 'User' | 'Admin', classification: RequestedScope['classification'] = null): RequestedScope => ({ value, type, classification });

/**
 * The whole table: setting x scope type x classification x publisher x home tenant x assignment
 * required. The expected outcome is written out per row (not computed the way the rule computes it).
 */
test('user consent: settings x User/Admin scopes x low/unclassified x verified/unverified x this/other tenant x assignment required', () => {
  const settings: UserConsentSetting[] = ['none', 'low', 'legacy'];
  const types = ['User', 'Admin'] as const;
  const classes = ['low', null] as const;
  let rows = 0;
  for (const setting of settings)
    for (const type of types)
      for (const classification of classes)
        for (const verifiedPublisher of [true, false])
          for (const registeredHere of [true, false])
            for (const appRoleAssignmentRequired of [true, false]) {
              const client: ClientFacts = { registeredHere, verifiedPublisher, appRoleAssignmentRequired };
              const scopes = [scope('openid', 'User'), scope('Files.Read', type, classification)];
              let expected: UserConsentBlock | null;
              if (setting === 'none') expected = 'userConsentDisabled';
              else if (type === 'Admin') expected = 'adminScope';
              else if (appRoleAssignmentRequired) expected = 'assignmentRequired';
              else if (setting === 'legacy') expected = null;
              else if (!registeredHere && !verifiedPublisher) expected = 'unverifiedPublisher';
              else if (classification !== 'low') expected = 'notLowImpact';
              else expected = null;
              assert.equal(userConsentBlock(setting, client, scopes), expected, JSON.stringify({ setting, type, classification, client }));
              rows++;
            }
  assert.equal(rows, 96);
});

test('user consent: representative rows spelled out', () => {
  const foreignUnverified: ClientFacts = { registeredHere: false, verifiedPublisher: false, appRoleAssignmentRequired: false };
  const foreignVerified: ClientFacts = { registeredHere: false, verifiedPublisher: true, appRoleAssignmentRequired: false };
  const own: ClientFacts = { registeredHere: true, verifiedPublisher: false, appRoleAssignmentRequired: false };
  const userRead = scope('User.Read', 'User', 'low');
  // legacy: any app, any User-type scope, classified or not
  assert.equal(userConsentBlock('legacy', foreignUnverified, [scope('Mail.Read', 'User')]), null);
  // low: an unverified publisher of another tenant cannot get even low scopes
  assert.equal(userConsentBlock('low', foreignUnverified, [userRead]), 'unverifiedPublisher');
  assert.equal(userConsentBlock('low', foreignVerified, [userRead]), null);
  assert.equal(userConsentBlock('low', own, [userRead]), null);
  // low: medium/high classified scopes need an administrator
  assert.equal(userConsentBlock('low', own, [scope('Mail.Read', 'User', 'medium')]), 'notLowImpact');
  assert.equal(userConsentBlock('low', own, [scope('Mail.Read', 'User', 'high')]), 'notLowImpact');
  // the sign-in scopes count as low without any classification, in any casing
  assert.equal(userConsentBlock('low', foreignVerified, [scope('openid', 'User'), scope('profile', 'User'), scope('email', 'User'), scope('OFFLINE_ACCESS', 'User')]), null);
  assert.equal(userConsentBlock('low', foreignVerified, []), null);
  // never Admin-type scopes, never application permissions, never apps that require assignment
  assert.equal(userConsentBlock('legacy', own, [scope('User.Read.All', 'Admin', 'low')]), 'adminScope');
  assert.equal(userConsentBlock('legacy', own, [userRead], 1), 'applicationPermission');
  assert.equal(userConsentBlock('legacy', { ...own, appRoleAssignmentRequired: true }, [userRead]), 'assignmentRequired');
  assert.equal(userConsentBlock('none', own, [scope('openid', 'User')]), 'userConsentDisabled');
});

test('admin consent: Global and Privileged Role Administrators grant everything; application administrators all but Graph application permissions', () => {
  const rows: [string[], 'none' | 'application' | 'company', boolean, boolean][] = [
    [[], 'none', false, false],
    [['fe930be7-5e62-47db-91af-98c3a49a38b1'], 'none', false, false], // User Administrator
    [[CONSENT_ADMIN_ROLES.globalAdministrator], 'company', true, true],
    [[CONSENT_ADMIN_ROLES.privilegedRoleAdministrator.toUpperCase()], 'company', true, true],
    [[CONSENT_ADMIN_ROLES.cloudApplicationAdministrator], 'application', true, false],
    [[CONSENT_ADMIN_ROLES.applicationAdministrator], 'application', true, false],
    [[CONSENT_ADMIN_ROLES.applicationAdministrator, CONSENT_ADMIN_ROLES.globalAdministrator], 'company', true, true],
  ];
  for (const [roles, level, delegated, graphApp] of rows) {
    assert.equal(adminConsentLevel(roles), level, JSON.stringify(roles));
    assert.equal(adminMayGrant(level, { graphApplicationPermissions: false }), delegated, `${level} without Graph application permissions`);
    assert.equal(adminMayGrant(level, { graphApplicationPermissions: true }), graphApp, `${level} with Graph application permissions`);
  }
});
