import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRepo } from '../../src/modules/audit/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { appToken, ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * The external collaboration policies on Graph (issue 15 item 5): authorizationPolicy (v1.0),
 * externalIdentitiesPolicy and b2bManagementPolicy (beta), the e-mail method's guest OTP switch;
 * shapes, defaults, validation with nothing changed, who may read and change them, audit.
 */
const AUTHZ = '/policies/authorizationPolicy';
const EMAIL = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email';

for (const dialect of testDialects) {
  describe(`external collaboration policies (${dialect})`, () => {
    let h: Harness;
    let ga: Graph;

    before(async () => {
      h = await createHarness(dialect, { config: { baseUrl: 'https://tessera.test' } });
      ga = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['Policy.Read.All', 'Policy.ReadWrite.Authorization', 'Policy.ReadWrite.AuthenticationMethod']));
    });
    after(() => h?.close());

    const auditActions = async () => (await auditRepo.list(scoped(h.container.database, tenantScope(h.tenant.id)), 100)).map((e) => e.action);

    test("authorizationPolicy: Graph's full shape with Entra's defaults, on v1.0 and beta", async () => {
      for (const version of ['v1.0', 'beta']) {
        const response = await ga('GET', `/${version}${AUTHZ}`);
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, {
          '@odata.context': `https://tessera.test/${version}/$metadata#policies/authorizationPolicy/$entity`,
          id: 'authorizationPolicy',
          displayName: 'Authorization Policy',
          description: 'Used to manage authorization related settings across the company.',
          allowInvitesFrom: 'everyone',
          allowedToSignUpEmailBasedSubscriptions: true,
          allowedToUseSSPR: true,
          allowEmailVerifiedUsersToJoinOrganization: false,
          allowUserConsentForRiskyApps: null,
          blockMsolPowerShell: false,
          guestUserRoleId: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
          defaultUserRolePermissions: {
            allowedToCreateApps: true,
            allowedToCreateSecurityGroups: true,
            allowedToCreateTenants: true,
            allowedToReadBitlockerKeysForOwnedDevice: true,
            allowedToReadOtherUsers: true,
            permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
          },
        });
      }
    });

    test('a US Government tenant starts with allowInvitesFrom none', async () => {
      const gov = await h.container.tenants.create({ displayName: 'Agency', domain: `agency${process.pid}.example`, cloudType: 'government', admin: { email: `boss@agency${process.pid}.example`, password: 'Admin-Passw0rd!' } });
      const graph = graphCaller(h.app, h.tokens.user(gov.tenant.id, gov.adminUserId!, ['Policy.Read.All']));
      assert.equal((await graph('GET', AUTHZ)).body.allowInvitesFrom, 'none');
      assert.equal((await h.container.invitations.externalSettings(tenantScope(gov.tenant.id))).allowInvitesFrom, 'none');
    });

    test('PATCH authorizationPolicy: 204, the change is read back, partial nested updates keep the rest, audited', async () => {
      const patch = await ga('PATCH', AUTHZ, {
        allowInvitesFrom: 'adminsGuestInvitersAndAllMembers',
        guestUserRoleId: '2AF84B1E-32C8-42B7-82BC-DAA82404023B',
        allowedToUseSSPR: false,
        defaultUserRolePermissions: { allowedToCreateApps: false, permissionGrantPoliciesAssigned: ['managePermissionGrantsForSelf.microsoft-user-default-low'] },
      });
      assert.equal(patch.status, 204, patch.text);
      const after = (await ga('GET', AUTHZ)).body;
      assert.equal(after.allowInvitesFrom, 'adminsGuestInvitersAndAllMembers');
      assert.equal(after.guestUserRoleId, '2af84b1e-32c8-42b7-82bc-daa82404023b');
      assert.equal(after.allowedToUseSSPR, false);
      assert.equal(after.defaultUserRolePermissions.allowedToCreateApps, false);
      assert.equal(after.defaultUserRolePermissions.allowedToCreateSecurityGroups, true);
      assert.deepEqual(after.defaultUserRolePermissions.permissionGrantPoliciesAssigned, ['managePermissionGrantsForSelf.microsoft-user-default-low']);
      assert.ok((await auditActions()).includes('Update authorization policy'));
      await ga('PATCH', AUTHZ, { allowInvitesFrom: 'everyone', guestUserRoleId: '10dae51f-b6af-4016-8d66-8c2a99b929b3', allowedToUseSSPR: true });
    });

    test('PATCH authorizationPolicy: bad input is a 400 naming it, and nothing changes', async () => {
      const before = (await ga('GET', AUTHZ)).body;
      const cases: [unknown, RegExp][] = [
        [{ allowInvitesFrom: 'anyone' }, /expected one of 'none'/],
        [{ allowInvitesFrom: null }, /cannot be null/],
        [{ guestUserRoleId: '62e90394-69f5-4237-9190-012177145e10' }, /guest role ids/],
        [{ blockMsolPowerShell: 'true' }, /true or false/],
        [{ id: 'other' }, /read-only/],
        [{ displayName: 'Mine' }, /read-only/],
        [{ somethingElse: 1 }, /somethingElse/],
        [{ defaultUserRolePermissions: { allowedToCreateApps: 'no' } }, /true or false/],
        [{ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['javascript:alert(1)'] } }, /ManagePermissionGrantsForSelf/],
        [{ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: Array.from({ length: 51 }, (_, i) => `ManagePermissionGrantsForSelf.p${i}`) } }, /limit is 50/],
        [{ defaultUserRolePermissions: { unknown: true } }, /unknown/],
        ['{"allowInvitesFrom":"none","__proto__":{"polluted":true}}', /__proto__/],
        [[], /JSON object/],
      ];
      for (const [body, message] of cases) {
        const response = await ga('PATCH', AUTHZ, body);
        assert.equal(response.status, 400, `${JSON.stringify(body)}: ${response.text}`);
        assert.match(response.body.error.message, message);
      }
      assert.deepEqual((await ga('GET', AUTHZ)).body, before);
    });

    test('who may read and change the policies', async () => {
      const reader = graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.globalReader], scopes: ['Policy.Read.All'] })).token);
      const member = graphCaller(h.app, (await userWithRoles(h, { scopes: ['Policy.Read.All', 'Policy.ReadWrite.Authorization'] })).token);
      const userAdmin = graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.userAdministrator], scopes: ['Policy.ReadWrite.Authorization', 'Directory.ReadWrite.All'] })).token);
      const pra = graphCaller(h.app, (await userWithRoles(h, { roles: [ROLE.privilegedRoleAdministrator], scopes: ['Policy.ReadWrite.Authorization'] })).token);
      const gaDirectory = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['Directory.ReadWrite.All']));
      const gaUserRead = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']));
      const appReader = graphCaller(h.app, appToken(h, ['Policy.Read.All']));
      const appWriter = graphCaller(h.app, appToken(h, ['Policy.ReadWrite.Authorization']));
      const appDirectory = graphCaller(h.app, appToken(h, ['Directory.ReadWrite.All']));

      for (const path of [AUTHZ, `/beta${AUTHZ}`, '/beta/policies/externalIdentitiesPolicy', '/beta/policies/b2bManagementPolicy', EMAIL]) {
        assert.equal((await reader('GET', path)).status, 200, `Global Reader ${path}`);
        assert.equal((await appReader('GET', path)).status, 200, `app ${path}`);
        assert.equal((await member('GET', path)).status, 403, `member ${path}`);
        assert.equal((await gaUserRead('GET', path)).status, 403, `User.Read ${path}`);
      }
      const change = { allowedToSignUpEmailBasedSubscriptions: false };
      assert.equal((await reader('PATCH', AUTHZ, change)).status, 403);
      assert.equal((await member('PATCH', AUTHZ, change)).status, 403);
      assert.equal((await userAdmin('PATCH', AUTHZ, change)).status, 403);
      assert.equal((await appReader('PATCH', AUTHZ, change)).status, 403);
      assert.equal((await appDirectory('PATCH', AUTHZ, change)).status, 403);
      assert.equal((await ga('GET', AUTHZ)).body.allowedToSignUpEmailBasedSubscriptions, true);
      assert.equal((await pra('PATCH', AUTHZ, change)).status, 204);
      assert.equal((await appWriter('PATCH', AUTHZ, { allowedToSignUpEmailBasedSubscriptions: true })).status, 204);
      // the admin center's token (Directory.ReadWrite.All) with the Global Administrator role
      assert.equal((await gaDirectory('PATCH', '/beta/policies/b2bManagementPolicy', { allowConsumerDomains: false })).status, 204);
      // the external collaboration policies: Global Administrator only
      assert.equal((await pra('PATCH', '/beta/policies/b2bManagementPolicy', { allowConsumerDomains: true })).status, 403);
      assert.equal((await userAdmin('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: false })).status, 403);
      assert.equal((await userAdmin('PATCH', EMAIL, { allowExternalIdToUseEmailOtp: 'disabled' })).status, 403);
    });

    test('externalIdentitiesPolicy (beta): leaving needs the privacy contact', async () => {
      const initial = await ga('GET', '/beta/policies/externalIdentitiesPolicy');
      assert.equal(initial.status, 200);
      assert.equal(initial.body['@odata.context'], 'https://tessera.test/beta/$metadata#policies/externalIdentitiesPolicy/$entity');
      assert.equal(initial.body.allowExternalIdentitiesToLeave, false);
      assert.equal(initial.body.allowDeletedIdentitiesDataRemoval, false);
      // beta only
      assert.equal((await ga('GET', '/v1.0/policies/externalIdentitiesPolicy')).status, 400);
      const refused = await ga('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: true });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /privacyProfile has a contactEmail/);
      assert.equal((await ga('GET', '/beta/policies/externalIdentitiesPolicy')).body.allowExternalIdentitiesToLeave, false);
      assert.equal((await ga('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: 'yes' })).status, 400);
      const admin = graphCaller(h.app, h.tenant.adminToken);
      assert.equal((await admin('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { contactEmail: 'privacy@contoso.example', statementUrl: null } })).status, 204);
      assert.equal((await ga('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: true })).status, 204);
      assert.equal((await ga('GET', '/beta/policies/externalIdentitiesPolicy')).body.allowExternalIdentitiesToLeave, true);
      assert.equal((await ga('PATCH', '/beta/policies/externalIdentitiesPolicy', { allowExternalIdentitiesToLeave: false })).status, 204);
      assert.ok((await auditActions()).includes('Update external identities policy'));
    });

    test("b2bManagementPolicy (beta): one list at a time, domains checked and lower-cased, 25 KB", async () => {
      const path = '/beta/policies/b2bManagementPolicy';
      const initial = await ga('GET', path);
      assert.deepEqual(initial.body, {
        '@odata.context': 'https://tessera.test/beta/$metadata#policies/b2bManagementPolicy/$entity',
        id: 'b2bManagementPolicy',
        invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: [], blockedDomains: [] },
        allowConsumerDomains: false,
      });
      assert.equal((await ga('GET', `/v1.0${path.slice(5)}`)).status, 400);
      assert.equal((await ga('PATCH', path, { invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: ['Partner.Example', 'partner.example', '*.Friends.example'] } })).status, 204);
      assert.deepEqual((await ga('GET', path)).body.invitationsAllowedAndBlockedDomainsPolicy, { allowedDomains: ['partner.example', '*.friends.example'], blockedDomains: [] });
      const before = (await ga('GET', path)).body;
      const cases: [unknown, RegExp][] = [
        [{ invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: ['a.example'], blockedDomains: ['b.example'] } }, /either allowedDomains or blockedDomains/],
        [{ invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: ['not a domain'] } }, /'not a domain' is not a domain name/],
        [{ invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: ['http://x.example'] } }, /not a domain name/],
        [{ invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: ['*'] } }, /not a domain name/],
        [{ invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: 'x.example' } }, /array of strings/],
        [{ invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: [`${'a'.repeat(300)}.example`] } }, /limit of 255/],
        [{ invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: Array.from({ length: 1200 }, (_, i) => `partner-number-${i}.example`) } }, /larger than the limit of 25600 bytes/],
        [{ allowConsumerDomains: 1 }, /true or false/],
        [{ id: 'x' }, /read-only/],
        [{ other: true }, /other/],
      ];
      for (const [body, message] of cases) {
        const response = await ga('PATCH', path, body);
        assert.equal(response.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${response.text}`);
        assert.match(response.body.error.message, message);
      }
      assert.deepEqual((await ga('GET', path)).body, before);
      // switching the list type discards the old list
      assert.equal((await ga('PATCH', path, { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: ['blocked.example'] } })).status, 204);
      assert.deepEqual((await ga('GET', path)).body.invitationsAllowedAndBlockedDomainsPolicy, { allowedDomains: [], blockedDomains: ['blocked.example'] });
      assert.equal((await ga('PATCH', path, { invitationsAllowedAndBlockedDomainsPolicy: { blockedDomains: [] }, allowConsumerDomains: true })).status, 204);
      const settings = await h.container.invitations.externalSettings(tenantScope(h.tenant.id));
      assert.deepEqual([settings.allowedDomains, settings.blockedDomains, settings.allowConsumerDomains], [[], [], true]);
      await ga('PATCH', path, { allowConsumerDomains: false });
      assert.ok((await auditActions()).includes('Update B2B management policy'));
    });

    test('the e-mail authentication method: shape, the guest OTP switch, validation', async () => {
      const initial = await ga('GET', EMAIL);
      assert.equal(initial.status, 200);
      assert.equal(initial.body['@odata.type'], '#microsoft.graph.emailAuthenticationMethodConfiguration');
      assert.equal(initial.body.id, 'Email');
      assert.equal(initial.body.state, 'enabled');
      assert.equal(initial.body.allowExternalIdToUseEmailOtp, 'default');
      assert.equal((await ga('GET', EMAIL.replace('/email', '/Email'))).status, 200);
      assert.equal((await ga('GET', EMAIL.replace('/email', '/fido2'))).status, 404);
      assert.equal((await ga('PATCH', EMAIL, { '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration', allowExternalIdToUseEmailOtp: 'enabled' })).status, 204);
      assert.equal((await ga('GET', `/beta${EMAIL}`)).body.allowExternalIdToUseEmailOtp, 'enabled');
      for (const body of [{ allowExternalIdToUseEmailOtp: 'sometimes' }, { state: 'on' }, { includeTargets: [] }, { id: 'Fido2' }]) {
        assert.equal((await ga('PATCH', EMAIL, body)).status, 400, JSON.stringify(body));
      }
      assert.equal((await ga('PATCH', EMAIL, { allowExternalIdToUseEmailOtp: 'default' })).status, 204);
      assert.ok((await auditActions()).includes('Update email authentication method policy'));
    });
  });
}
