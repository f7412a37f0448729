import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { permissionGrantPoliciesProblem, userConsentSetting } from '../../src/modules/consent/consent-rules.ts';
import { ADMIN_CENTER_SCOPES } from '../../src/modules/consent/first-party.ts';
import { graphPermission } from '../../src/modules/consent/graph-permissions.ts';
import { Actions, allows, grantedActions } from '../../web/admin/src/access/roles.ts';
import type { Application, AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal } from '../../web/admin/src/graph/applicationTypes.ts';
import { keyCredentialsWith } from '../../web/admin/src/graph/applications.ts';
import {
  addRedirectUri,
  certificateKey,
  checkIdentifierUri,
  checkPermissionValue,
  checkRedirectUri,
  grantStatus,
  newAppRole,
  newScope,
  secretEnd,
  takenValues,
  withoutPermission,
  withPermissions,
} from '../../web/admin/src/pages/applications/appRules.ts';
import { assignedForChoice, userConsentChoiceOf, userConsentChoices } from '../../web/admin/src/pages/consent/consentRules.ts';
import { permissionRows } from '../../web/admin/src/pages/enterprise-apps/permissionRows.ts';
import { appPaths, matchAppsRoute } from '../../web/admin/src/router/appRoutes.ts';
import { matchRoute } from '../../web/admin/src/router/routes.ts';

/**
 * Issue 16, item 7: the admin center's Enterprise applications, App registrations and Consent and
 * permissions rules, without a browser: the sections' routes, redirect URIs per platform, what
 * "Granted for {tenant}" means, requiredResourceAccess edits, certificate files, exposed scopes and
 * app roles, the permissions list of an enterprise app, and the user consent setting, checked
 * against the server's own rules so the page can only ever send what the API accepts.
 */
const APP_ID = '6b0f7c2e-1d3a-4f5b-8c9d-0e1f2a3b4c5d';

function application(overrides: Partial<Application> = {}): Application {
  return {
    id: 'a1',
    appId: APP_ID,
    displayName: 'Contoso Portal',
    signInAudience: 'AzureADMyOrg',
    web: { redirectUris: ['https://portal.contoso.example/signin-oidc'] },
    spa: { redirectUris: [] },
    publicClient: { redirectUris: [] },
    ...overrides,
  };
}

const graphSp: ServicePrincipal = {
  id: 'graph-sp',
  appId: '00000003-0000-0000-c000-000000000000',
  displayName: 'Microsoft Graph',
  oauth2PermissionScopes: [
    { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', value: 'User.Read', type: 'User', isEnabled: true, adminConsentDisplayName: 'Sign in and read user profile', userConsentDisplayName: 'Read your profile' },
    { id: 'a154be20-db9c-4678-8ab7-66f6cc099a59', value: 'User.Read.All', type: 'Admin', isEnabled: true, adminConsentDisplayName: "Read all users' full profiles" },
  ],
  appRoles: [{ id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All', displayName: "Read all users' full profiles", description: '', allowedMemberTypes: ['Application'], isEnabled: true }],
};

describe('routes of the three sections', () => {
  test('every page path matches back to its route, tabs included', () => {
    const cases = [
      [appPaths.enterpriseApps, { page: 'enterpriseApps' }],
      [appPaths.enterpriseApp('sp1'), { page: 'enterpriseApp', id: 'sp1', tab: 'overview' }],
      [appPaths.enterpriseApp('sp1', 'permissions'), { page: 'enterpriseApp', id: 'sp1', tab: 'permissions' }],
      [appPaths.enterpriseApp('sp1', 'users'), { page: 'enterpriseApp', id: 'sp1', tab: 'users' }],
      [appPaths.appRegistrations, { page: 'appRegistrations' }],
      [appPaths.newAppRegistration, { page: 'newAppRegistration' }],
      [appPaths.appRegistration('a1'), { page: 'appRegistration', id: 'a1', tab: 'overview' }],
      [appPaths.appRegistration('a1', 'credentials'), { page: 'appRegistration', id: 'a1', tab: 'credentials' }],
      [appPaths.appRegistration('a1', 'apiPermissions'), { page: 'appRegistration', id: 'a1', tab: 'apiPermissions' }],
      [appPaths.appRegistration('a1', 'exposeApi'), { page: 'appRegistration', id: 'a1', tab: 'exposeApi' }],
      [appPaths.appRegistration('a1', 'branding'), { page: 'appRegistration', id: 'a1', tab: 'branding' }],
      [appPaths.appRegistration('a1', 'authentication'), { page: 'appRegistration', id: 'a1', tab: 'authentication' }],
      [appPaths.consentSettings, { page: 'consent', tab: 'settings' }],
      [appPaths.classifications, { page: 'consent', tab: 'classifications' }],
    ] as const;
    for (const [path, route] of cases) assert.deepEqual(matchRoute(path), { page: 'apps', route }, path);
  });

  test('ids are encoded and decoded; unknown tabs and deeper paths are not found', () => {
    assert.equal(appPaths.enterpriseApp('a/b'), '/enterprise-apps/a%2Fb');
    assert.deepEqual(matchRoute('/enterprise-apps/a%2Fb'), { page: 'apps', route: { page: 'enterpriseApp', id: 'a/b', tab: 'overview' } });
    for (const path of ['/enterprise-apps/sp1/nope', '/app-registrations/a1/credentials/x', '/app-registrations/new/x', '/consent-and-permissions/x', '/consent-and-permissions/permission-classifications/x']) {
      assert.deepEqual(matchRoute(path), { page: 'notFound' }, path);
    }
    assert.equal(matchAppsRoute('users', []), null);
  });
});

describe('app registrations', () => {
  test('redirect URIs: https, http only to this machine, never a fragment; custom schemes only for public clients', () => {
    assert.equal(checkRedirectUri('https://app.contoso.example/cb', 'web'), null);
    assert.equal(checkRedirectUri('http://localhost:5173/', 'spa'), null);
    assert.equal(checkRedirectUri('http://127.0.0.1:8400', 'publicClient'), null);
    assert.match(checkRedirectUri('http://app.contoso.example/cb', 'web')!, /https/);
    assert.match(checkRedirectUri('https://app.contoso.example/cb#x', 'spa')!, /fragment/);
    assert.match(checkRedirectUri('', 'web')!, /Enter/);
    assert.match(checkRedirectUri('not a uri', 'web')!, /absolute/);
    assert.equal(checkRedirectUri(`msal${APP_ID}://auth`, 'publicClient'), null);
    assert.notEqual(checkRedirectUri(`msal${APP_ID}://auth`, 'web'), null);
    assert.notEqual(checkRedirectUri('javascript://alert(1)', 'publicClient'), null);
    assert.match(checkRedirectUri(`https://a.example/${'x'.repeat(260)}`, 'web')!, /256/);
  });

  test('adding a redirect URI already registered on any platform is refused', () => {
    const app = application();
    assert.deepEqual(addRedirectUri(app, 'spa', ' https://spa.contoso.example/ '), { uris: ['https://spa.contoso.example/'] });
    assert.deepEqual(addRedirectUri(app, 'spa', 'https://portal.contoso.example/signin-oidc'), { problem: 'This redirect URI is already registered.' });
    assert.ok('problem' in addRedirectUri(app, 'web', 'ftp://x.example/'));
  });

  test('requiredResourceAccess: adding merges per resource without duplicates; removing the last drops the resource', () => {
    const graph = '00000003-0000-0000-c000-000000000000';
    const one = withPermissions([], graph, [{ id: 's1', type: 'Scope' }]);
    const two = withPermissions(one, graph, [
      { id: 's1', type: 'Scope' },
      { id: 'r1', type: 'Role' },
    ]);
    assert.deepEqual(two, [{ resourceAppId: graph, resourceAccess: [{ id: 's1', type: 'Scope' }, { id: 'r1', type: 'Role' }] }]);
    assert.deepEqual(one, [{ resourceAppId: graph, resourceAccess: [{ id: 's1', type: 'Scope' }] }], 'the input is not changed');
    assert.deepEqual(withoutPermission(two, graph, { id: 's1', type: 'Scope' }), [{ resourceAppId: graph, resourceAccess: [{ id: 'r1', type: 'Role' }] }]);
    assert.deepEqual(withoutPermission(withoutPermission(two, graph, { id: 's1', type: 'Scope' }), graph, { id: 'r1', type: 'Role' }), []);
    // a scope and a role may share an id in Graph's catalog; removing one keeps the other
    const same = withPermissions([], graph, [
      { id: 'x', type: 'Scope' },
      { id: 'x', type: 'Role' },
    ]);
    assert.deepEqual(withoutPermission(same, graph, { id: 'x', type: 'Role' })[0]!.resourceAccess, [{ id: 'x', type: 'Scope' }]);
  });

  test('"Granted for {tenant}": a scope in a tenant-wide grant on that resource, or an app role assignment; user consent does not count', () => {
    const userRead = { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' as const };
    const readAllRole = { id: 'df021288-bdef-4463-88db-98f22de89214', type: 'Role' as const };
    const grant = (consentType: 'AllPrincipals' | 'Principal', scope: string, resourceId = graphSp.id): OAuth2PermissionGrant => ({
      id: `g-${consentType}`,
      clientId: 'client',
      consentType,
      principalId: consentType === 'Principal' ? 'u1' : null,
      resourceId,
      scope,
    });
    assert.equal(grantStatus(userRead, graphSp, [grant('AllPrincipals', 'openid user.read')], []), 'granted', 'scope values compare case-insensitively');
    assert.equal(grantStatus(userRead, graphSp, [grant('Principal', 'User.Read')], []), 'notGranted');
    assert.equal(grantStatus(userRead, graphSp, [grant('AllPrincipals', 'User.Read', 'another-resource')], []), 'notGranted');
    assert.equal(grantStatus(userRead, graphSp, [grant('AllPrincipals', 'User.ReadWrite')], []), 'notGranted', 'no prefix matches');
    assert.equal(grantStatus(userRead, null, [grant('AllPrincipals', 'User.Read')], []), 'notGranted', 'a resource not in this tenant');
    const assignment: AppRoleAssignment = { id: 'ra', appRoleId: readAllRole.id, principalId: 'client', principalType: 'ServicePrincipal', resourceId: graphSp.id };
    assert.equal(grantStatus(readAllRole, graphSp, [grant('AllPrincipals', 'User.Read.All')], []), 'notGranted', 'a delegated grant is not an application permission');
    assert.equal(grantStatus(readAllRole, graphSp, [], [assignment]), 'granted');
  });

  test('certificate files: PEM is unwrapped to base64 DER, DER taken as is, private keys and other files refused', () => {
    const der = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x01]);
    const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    assert.deepEqual(certificateKey(new Uint8Array(der)), { key: der.toString('base64') });
    assert.deepEqual(certificateKey(new TextEncoder().encode(pem)), { key: der.toString('base64') });
    assert.ok('problem' in certificateKey(new TextEncoder().encode('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n')));
    assert.ok('problem' in certificateKey(new TextEncoder().encode('hello')));
    assert.ok('problem' in certificateKey(new Uint8Array()));
    assert.ok('problem' in certificateKey(new Uint8Array(70 * 1024).fill(0x30)));
  });

  test('keyCredentials are sent back whole: kept ones by keyId, the removed one left out, a new one with its key', () => {
    const existing = [
      { keyId: 'k1', type: 'AsymmetricX509Cert', usage: 'Verify', displayName: 'one', key: null, endDateTime: '2030-01-01T00:00:00Z' },
      { keyId: 'k2', type: 'AsymmetricX509Cert', usage: 'Verify', displayName: 'two', key: null },
    ];
    assert.deepEqual(keyCredentialsWith(existing, null, 'k1'), [{ keyId: 'k2', type: 'AsymmetricX509Cert', usage: 'Verify', displayName: 'two' }]);
    const added = { type: 'AsymmetricX509Cert', usage: 'Verify', key: 'MIIB', displayName: 'three' };
    assert.deepEqual(keyCredentialsWith(existing, added).map((k) => k.keyId ?? k.key), ['k1', 'k2', 'MIIB']);
  });

  test('exposed scopes and app roles: values are unique across both, without spaces, at most 120 characters', () => {
    const app = application({
      api: { oauth2PermissionScopes: [{ id: 's', value: 'Files.Read', type: 'User', isEnabled: true }] },
      appRoles: [{ id: 'r', value: 'Approver', displayName: 'Approver', description: '', allowedMemberTypes: ['User'], isEnabled: true }],
    });
    assert.deepEqual(takenValues(app), ['Files.Read', 'Approver']);
    assert.equal(checkPermissionValue('Files.Write', takenValues(app)), null);
    assert.match(checkPermissionValue('files.read', takenValues(app))!, /already/);
    assert.match(checkPermissionValue('approver', takenValues(app))!, /already/);
    assert.match(checkPermissionValue('Files Read', [])!, /spaces/);
    assert.match(checkPermissionValue('x'.repeat(121), [])!, /120/);
    assert.match(checkPermissionValue('', [])!, /required/);
    const scope = newScope({ value: ' Files.Write ', type: 'Admin', adminConsentDisplayName: 'Write files', adminConsentDescription: 'Writes files', userConsentDisplayName: ' ', userConsentDescription: '' }, 'id1');
    assert.deepEqual(scope, { id: 'id1', value: 'Files.Write', type: 'Admin', isEnabled: true, adminConsentDisplayName: 'Write files', adminConsentDescription: 'Writes files', userConsentDisplayName: null, userConsentDescription: null });
    assert.deepEqual(newAppRole({ displayName: 'Reader', value: 'Reader', description: 'Reads', members: 'both' }, 'id2').allowedMemberTypes, ['User', 'Application']);
    assert.equal(checkIdentifierUri(`api://${APP_ID}`), null);
    assert.equal(checkIdentifierUri('https://contoso.example/api'), null);
    assert.notEqual(checkIdentifierUri('urn:contoso'), null);
    assert.notEqual(checkIdentifierUri('api://x y'), null);
  });

  test('a secret expires the chosen number of months later', () => {
    assert.equal(secretEnd(new Date('2026-01-31T10:00:00Z'), 6), '2026-07-31T10:00:00.000Z');
    assert.equal(secretEnd(new Date('2026-12-02T00:00:00Z'), 24), '2028-12-02T00:00:00.000Z');
  });
});

describe('enterprise application permissions', () => {
  test('a row per granted scope and per application permission, admin and user consent apart, with who granted it', () => {
    const rows = permissionRows({
      grants: [
        { id: 'g1', clientId: 'c', consentType: 'AllPrincipals', principalId: null, resourceId: graphSp.id, scope: 'User.Read User.Read.All' },
        { id: 'g2', clientId: 'c', consentType: 'Principal', principalId: 'U1', resourceId: graphSp.id, scope: 'user.read' },
      ],
      assignments: [{ id: 'a1', appRoleId: 'df021288-bdef-4463-88db-98f22de89214', principalId: 'c', principalType: 'ServicePrincipal', resourceId: graphSp.id }],
      resources: new Map([[graphSp.id, graphSp]]),
      users: new Map([['u1', { id: 'U1', displayName: 'Megan Bowen' }]]),
    });
    assert.deepEqual(
      rows.map((row) => [row.kind, row.permission, row.grantedBy, row.description]),
      [
        ['user', 'user.read', 'Megan Bowen', 'Read your profile'],
        ['admin', 'User.Read', 'An administrator (for all users)', 'Sign in and read user profile'],
        ['admin', 'User.Read.All', 'An administrator (for all users)', "Read all users' full profiles"],
        ['application', 'User.Read.All', 'An administrator', "Read all users' full profiles"],
      ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
    assert.ok(rows.every((row) => row.api === 'Microsoft Graph'));
  });
});

describe('user consent setting', () => {
  test("Entra's three options, each written as graph-reference §6 says and read back the same by the server", () => {
    assert.deepEqual(
      userConsentChoices.map((choice) => choice.value),
      ['none', 'low', 'legacy'],
    );
    const owned = 'ManagePermissionGrantsForOwnedResource.DeveloperConsent';
    assert.deepEqual(assignedForChoice('none', ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy', owned]), [owned], 'no ForSelf entry; owner consent kept');
    assert.deepEqual(assignedForChoice('low', [owned]), [owned, 'ManagePermissionGrantsForSelf.microsoft-user-default-low']);
    assert.deepEqual(assignedForChoice('legacy', ['managePermissionGrantsForSelf.microsoft-user-default-low']), ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']);
    for (const { value } of userConsentChoices) {
      for (const before of [[], [owned], ['ManagePermissionGrantsForSelf.microsoft-user-default-low'], ['ManagePermissionGrantsForSelf.microsoft-user-default-recommended', owned]]) {
        const sent = assignedForChoice(value, before);
        assert.equal(permissionGrantPoliciesProblem(sent), null, `the server accepts ${JSON.stringify(sent)}`);
        assert.equal(userConsentSetting(sent), value, 'and reads it as the same setting');
        assert.equal(userConsentChoiceOf(sent), value, 'as does the page');
      }
    }
  });

  test('a stored value the portal has no option for is recognized as such, case-insensitively otherwise', () => {
    assert.equal(userConsentChoiceOf(['MANAGEPERMISSIONGRANTSFORSELF.MICROSOFT-USER-DEFAULT-LOW']), 'low');
    assert.equal(userConsentChoiceOf(['ManagePermissionGrantsForSelf.microsoft-user-default-recommended']), null);
    assert.equal(userConsentChoiceOf(['ManagePermissionGrantsForSelf.microsoft-user-default-low', 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy']), null);
    assert.equal(userConsentChoiceOf(['ManagePermissionGrantsForOwnedResource.DeveloperConsent']), 'none');
  });
});

test("every scope of the admin center's grant is a Microsoft Graph permission of the catalog (or an OpenID Connect scope)", () => {
  for (const value of ADMIN_CENTER_SCOPES.split(' ')) {
    assert.ok(graphPermission(value)?.scopeId, `${value} is a delegated permission in graph-permissions.ts`);
  }
  for (const needed of ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Policy.ReadWrite.PermissionGrant', 'Policy.ReadWrite.ConsentRequest', 'ConsentRequest.ReadWrite.All']) {
    assert.ok(ADMIN_CENTER_SCOPES.split(' ').includes(needed), needed);
  }
});

test('role-aware: Application and Cloud Application Administrators manage apps, a Global Reader only reads, the consent setting is a Global Administrator\'s', () => {
  const can = (roleTemplateId: string, action: string) => allows(grantedActions('Member', [roleTemplateId]), action);
  const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
  const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
  const managers = ['158c047a-c907-4556-b7ef-446551a6b5f7', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'];
  const manage = [
    Actions.createApplications,
    Actions.updateApplications,
    Actions.updateApplicationCredentials,
    Actions.deleteApplications,
    Actions.createServicePrincipals,
    Actions.updateServicePrincipals,
    Actions.updatePermissionGrants,
    Actions.updateAppRoleAssignments,
    Actions.grantAdminConsent,
    Actions.updatePermissionClassifications,
  ];
  const read = [Actions.readApplications, Actions.readServicePrincipals, Actions.readPolicies];
  for (const role of [GLOBAL_ADMINISTRATOR, ...managers]) for (const action of [...read, ...manage]) assert.ok(can(role, action), `${role} ${action}`);
  for (const action of read) assert.ok(can(GLOBAL_READER, action), action);
  for (const action of manage) assert.ok(!can(GLOBAL_READER, action), `a Global Reader may not ${action}`);
  assert.ok(can(GLOBAL_ADMINISTRATOR, Actions.updateAuthorizationPolicy));
  for (const role of [GLOBAL_READER, ...managers]) assert.ok(!can(role, Actions.updateAuthorizationPolicy), `${role} does not change the user consent setting`);
});
