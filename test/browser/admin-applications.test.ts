import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { testDialects } from '../helpers/databases.ts';
import { tokenRequest } from '../helpers/oidc-flow.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * Issue 16, item 7 in a real browser: an administrator registers an app with a redirect URI (a bad
 * one refused beside the field first), adds a client secret that is shown once and really works at
 * the token endpoint, asks for a Microsoft Graph delegated and application permission, grants admin
 * consent, finds the grants under Enterprise applications and revokes one; edits redirect URIs,
 * certificates, the exposed API and branding; assigns a user with an app role; sets the user consent
 * setting (read back through Graph) and classifies a permission as low impact. A Global Reader sees
 * the same pages without the controls that change anything. One server per database dialect, one
 * browser; the API's own rules are tested server-side.
 */
const tls = testTls();
const skip = chromiumMissing || (tls ? false : 'no test TLS certificate (run through npm test)');
const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const SELF = 'managepermissiongrantsforself.';

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Email or username').fill(username);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('admin center applications and consent, in Chromium', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const dialect of testDialects) {
    describe(dialect, () => applicationPages(() => browser, dialect));
  }
});

function applicationPages(browserOf: () => Browser, dialect: (typeof testDialects)[number]): void {
  let h: Harness;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  const shot = (name: string) => screenshot(page, `admin-applications-${name}-${dialect}`);
  const graph = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const response = await h.app.inject({ method, url, headers: { authorization: `Bearer ${h.tenant.adminToken}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.body === '' ? null : response.json();
  };
  /** the registration's service principal here, and what it was granted, straight from Graph */
  const granted = async (appId: string) => {
    const sp = (await graph('GET', `/v1.0/servicePrincipals?$filter=appId eq '${appId}'`)).value[0] as { id: string } | undefined;
    if (!sp) return { sp: null, delegated: [] as string[], roles: [] as string[] };
    const grants = (await graph('GET', `/v1.0/servicePrincipals/${sp.id}/oauth2PermissionGrants`)).value as { consentType: string; scope: string }[];
    const roles = (await graph('GET', `/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`)).value as { appRoleId: string }[];
    const delegated = grants.filter((g) => g.consentType === 'AllPrincipals').flatMap((g) => g.scope.split(' ').filter(Boolean));
    return { sp, delegated: delegated.sort(), roles: roles.map((r) => r.appRoleId) };
  };
  const graphSp = async () => (await graph('GET', `/v1.0/servicePrincipals?$filter=appId eq '${GRAPH_APP_ID}'`)).value[0] as { id: string; appRoles: { id: string; value: string }[] };

  before(async () => {
    h = await createHarness(dialect, { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key } } });
    base = h.container.config.baseUrl;
    context = await browserOf().newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${base}/admin/`);
    await signIn(page, `admin@${h.tenant.domain}`, 'Admin-Passw0rd!');
    await page.getByTestId('nav-app-registrations').waitFor();
  });
  after(async () => {
    await context?.close();
    await h?.close();
  });

  let appId = '';
  let secret = '';

  test('registers an app with a redirect URI; a bad one is refused beside the field and nothing is created', async () => {
    await page.getByTestId('nav-app-registrations').click();
    await page.getByTestId('new-app-registration').click();
    const form = page.getByTestId('new-app-form');
    await form.getByLabel('Name', { exact: true }).fill('Contoso Expenses');
    await form.getByLabel('Redirect URI', { exact: true }).fill('http://expenses.contoso.example/signin-oidc');
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByTestId('new-app-redirectUri-error').waitFor();
    assert.equal((await graph('GET', "/v1.0/applications?$filter=displayName eq 'Contoso Expenses'")).value.length, 0);

    await form.getByLabel('Redirect URI', { exact: true }).fill('https://expenses.contoso.example/signin-oidc');
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByTestId('notice').waitFor();
    appId = (await page.getByTestId('app-client-id').innerText()).trim();
    const created = (await graph('GET', `/v1.0/applications?$filter=appId eq '${appId}'`)).value[0];
    assert.equal(created.displayName, 'Contoso Expenses');
    assert.equal(created.signInAudience, 'AzureADMyOrg');
    assert.deepEqual(created.web.redirectUris, ['https://expenses.contoso.example/signin-oidc']);
    assert.ok((await granted(appId)).sp, 'registering also creates the enterprise application, as the portal does');
    await shot('registered');
  });

  test('adds a client secret that is shown once and works at the token endpoint', async () => {
    await page.getByTestId('app-tab-credentials').click();
    await page.getByTestId('new-client-secret').click();
    const dialog = page.getByTestId('new-secret-dialog');
    await dialog.getByLabel('Description').fill('CI deploy');
    await dialog.getByTestId('add-secret').click();
    secret = await page.getByTestId('new-secret-value').inputValue();
    assert.ok(secret.length >= 30, 'the secret value is shown');
    await page.getByTestId('client-secrets-table').getByText('CI deploy').waitFor();
    assert.ok(!(await page.getByTestId('client-secrets-table').innerText()).includes(secret), 'the list shows only a hint');

    const token = await tokenRequest(base, h.tenant.id, { grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: `${base}/.default` });
    assert.equal(token.status, 200, JSON.stringify(token.body));

    // Once the page is left, the value is gone for good.
    await page.reload();
    await page.getByTestId('client-secrets-table').getByText('CI deploy').waitFor();
    assert.equal(await page.getByTestId('new-secret-value').count(), 0);
    assert.ok(!(await page.locator('main').innerText()).includes(secret));
  });

  test('asks for Graph permissions, grants admin consent, and the grants are what the app gets', async () => {
    await page.getByTestId('app-tab-apiPermissions').click();
    await page.getByTestId('add-permission').click();
    let dialog = page.getByTestId('add-permission-dialog');
    await dialog.getByTestId('permission-filter').fill('User.Read');
    await dialog.getByTestId('permission-option-User.Read').check();
    await dialog.getByTestId('add-permissions').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('add-permission').click();
    dialog = page.getByTestId('add-permission-dialog');
    await dialog.getByLabel(/Application permissions/).check();
    await dialog.getByTestId('permission-filter').fill('User.Read.All');
    await dialog.getByTestId('permission-option-User.Read.All').check();
    await dialog.getByTestId('add-permissions').click();
    await dialog.waitFor({ state: 'detached' });

    const table = page.getByTestId('api-permissions-table');
    await table.locator('tr[data-permission="User.Read.All"]').waitFor();
    // the statuses come from this tenant's grants, read once the permissions are saved
    await table.locator('tr[data-status="notGranted"]').nth(1).waitFor();
    assert.match(await table.locator('tr[data-permission="User.Read"]').innerText(), /Not granted for Contoso/);
    assert.deepEqual(await granted(appId).then((g) => [g.delegated, g.roles]), [[], []], 'asking is not granting');

    await page.getByTestId('grant-admin-consent').click();
    await page.getByTestId('api-permissions-outcome').getByText('Granted admin consent for Contoso').waitFor();
    await table.locator('tr[data-permission="User.Read"][data-status="granted"]').waitFor();
    await table.locator('tr[data-permission="User.Read.All"][data-status="granted"]').waitFor();
    assert.match(await table.locator('tr[data-permission="User.Read.All"]').innerText(), /\tGranted for Contoso/);
    await shot('api-permissions-granted');

    const readAll = (await graphSp()).appRoles.find((role) => role.value === 'User.Read.All')!;
    const after = await granted(appId);
    assert.deepEqual(after.delegated, ['User.Read']);
    assert.deepEqual(after.roles, [readAll.id]);
    const token = await tokenRequest(base, h.tenant.id, { grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: `${base}/.default` });
    assert.deepEqual(decodeJwt(String(token.body.access_token)).roles, ['User.Read.All'], 'the app-only token carries the granted application permission');
  });

  test('Enterprise applications lists the grants with who granted them, and revokes one', async () => {
    await page.getByTestId('nav-enterprise-apps').click();
    await page.getByTestId('enterprise-apps-search').fill('Expenses');
    await page.getByTestId('enterprise-apps-table').getByRole('link', { name: 'Contoso Expenses' }).click();
    assert.equal((await page.getByTestId('enterprise-app-id').innerText()).trim(), appId);
    assert.match(await page.getByTestId('enterprise-home-tenant').innerText(), /Registered in this organization/);
    await page.getByTestId('enterprise-tab-permissions').click();
    const table = page.getByTestId('admin-consent-table');
    const delegated = table.locator('tr[data-permission="User.Read"]');
    await delegated.waitFor();
    assert.match(await delegated.innerText(), /Delegated[\s\S]*Admin consent[\s\S]*An administrator/);
    assert.match(await table.locator('tr[data-permission="User.Read.All"]').innerText(), /Application[\s\S]*Admin consent/);
    assert.match(await page.getByTestId('user-consent-permissions').innerText(), /No user has consented/);
    await shot('enterprise-permissions');

    await delegated.getByRole('button', { name: 'Revoke User.Read' }).click();
    await page.getByTestId('enterprise-permissions-outcome').getByText('Revoked User.Read').waitFor();
    await delegated.waitFor({ state: 'detached' });
    const after = await granted(appId);
    assert.deepEqual(after.delegated, [], 'the tenant-wide grant is gone');
    assert.equal(after.roles.length, 1, 'the application permission stays');
  });

  test("edits the registration's redirect URIs, certificates, exposed API and branding; bad input is refused beside the field", async () => {
    const application = async () => (await graph('GET', `/v1.0/applications?$filter=appId eq '${appId}'`)).value[0];
    await page.getByTestId('nav-app-registrations').click();
    await page.getByTestId('app-registrations-table').getByRole('link', { name: 'Contoso Expenses' }).click();

    // Authentication: a single-page app redirect URI, checked in the page first
    await page.getByTestId('app-tab-authentication').click();
    await page.getByTestId('redirect-uri-spa-input').fill('https://expenses.contoso.example/spa#x');
    await page.getByTestId('redirect-uri-spa-add').click();
    await page.getByTestId('redirect-uri-spa-error').waitFor();
    await page.getByTestId('redirect-uri-spa-input').fill('https://expenses.contoso.example/spa');
    await page.getByTestId('redirect-uri-spa-add').click();
    await page.getByTestId('redirect-uris-spa').getByText('https://expenses.contoso.example/spa', { exact: true }).waitFor();
    assert.deepEqual((await application()).spa.redirectUris, ['https://expenses.contoso.example/spa']);
    await page.getByRole('button', { name: 'Remove https://expenses.contoso.example/spa' }).click();
    await page.getByTestId('redirect-uris-spa').getByText('No redirect URIs for this platform.').waitFor();
    const afterRemove = await application();
    assert.deepEqual(afterRemove.spa.redirectUris, []);
    assert.deepEqual(afterRemove.web.redirectUris, ['https://expenses.contoso.example/signin-oidc'], 'the web platform is untouched');

    // Certificates & secrets: a private key is refused before anything is sent; the public certificate is uploaded and removed
    await page.getByTestId('app-tab-credentials').click();
    await page.getByTestId('certificate-file').setInputFiles({ name: 'deploy.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(tls!.key) });
    await page.getByTestId('upload-certificate').click();
    await page.getByTestId('certificate-file-error').waitFor();
    assert.deepEqual((await application()).keyCredentials, []);
    await page.getByTestId('certificate-file').setInputFiles({ name: 'deploy.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(tls!.cert) });
    await page.getByTestId('certificate-upload-form').getByLabel('Description').fill('Deploy certificate');
    await page.getByTestId('upload-certificate').click();
    await page.getByTestId('certificates-table').getByText('Deploy certificate').waitFor();
    const [certificate] = (await application()).keyCredentials as { keyId: string; displayName: string; customKeyIdentifier: string }[];
    assert.equal(certificate?.displayName, 'Deploy certificate');
    assert.ok((await page.getByTestId('certificates-table').innerText()).includes(certificate.customKeyIdentifier), 'the thumbprint is shown');
    await page.getByRole('button', { name: 'Remove Deploy certificate' }).click();
    await page.getByTestId('certificates').getByText('No certificates have been added').waitFor();
    const credentials = await application();
    assert.deepEqual(credentials.keyCredentials, []);
    assert.equal(credentials.passwordCredentials.length, 1, 'the client secret stays');

    // Expose an API: the Application ID URI, a scope (disabled, then deleted) and an app role
    await page.getByTestId('app-tab-exposeApi').click();
    assert.equal(await page.getByTestId('identifier-uri-input').inputValue(), `api://${appId}`);
    await page.getByTestId('identifier-uri-save').click();
    await page.getByTestId('expose-api-outcome').getByText(`The Application ID URI is now api://${appId}.`).waitFor();
    await page.getByTestId('add-scope').click();
    let dialog = page.getByTestId('add-scope-dialog');
    await dialog.getByLabel('Scope name').fill('Expenses Read');
    await dialog.getByTestId('save-scope').click();
    await dialog.getByText('The value cannot contain spaces.').waitFor();
    await dialog.getByLabel('Scope name').fill('Expenses.Read');
    await dialog.getByLabel('Admins and users').check();
    await dialog.getByLabel('Admin consent display name').fill('Read expense reports');
    await dialog.getByLabel('Admin consent description').fill('Reads the expense reports of the signed-in user.');
    await dialog.getByTestId('save-scope').click();
    await dialog.waitFor({ state: 'detached' });
    const scopeRow = page.getByTestId('exposed-scopes-table').locator('tr[data-scope="Expenses.Read"]');
    assert.match(await scopeRow.innerText(), /Admins and users[\s\S]*Enabled/);
    await page.getByTestId('add-app-role').click();
    dialog = page.getByTestId('add-app-role-dialog');
    await dialog.getByLabel('Display name').fill('Approver');
    await dialog.getByLabel('Value').fill('Expenses.Approve');
    await dialog.getByLabel('Description').fill('Approves expense reports.');
    await dialog.getByTestId('save-app-role').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('app-roles-table').locator('tr[data-role="Expenses.Approve"]').waitFor();
    let exposed = await application();
    assert.deepEqual(exposed.identifierUris, [`api://${appId}`]);
    assert.deepEqual(exposed.api.oauth2PermissionScopes.map((s: { value: string; type: string; isEnabled: boolean }) => [s.value, s.type, s.isEnabled]), [['Expenses.Read', 'User', true]]);
    assert.deepEqual(exposed.appRoles.map((r: { value: string; allowedMemberTypes: string[] }) => [r.value, r.allowedMemberTypes]), [['Expenses.Approve', ['User']]]);
    assert.equal(await scopeRow.getByRole('button', { name: /^Delete/ }).count(), 0, 'an enabled scope cannot be deleted');
    await scopeRow.getByRole('button', { name: /^Disable/ }).click();
    await scopeRow.getByText('Disabled').waitFor();
    await scopeRow.getByRole('button', { name: /^Delete/ }).click();
    await scopeRow.waitFor({ state: 'detached' });
    exposed = await application();
    assert.deepEqual(exposed.api.oauth2PermissionScopes, []);

    // Branding & properties: the links the consent prompt shows
    await page.getByTestId('app-tab-branding').click();
    const branding = page.getByTestId('app-branding-form');
    await branding.getByLabel('Terms of service URL').fill('http://expenses.contoso.example/terms');
    await branding.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('app-branding-termsOfServiceUrl-error').waitFor();
    await branding.getByLabel('Terms of service URL').fill('https://expenses.contoso.example/terms');
    await branding.getByLabel('Privacy statement URL').fill('https://expenses.contoso.example/privacy');
    await branding.getByRole('button', { name: 'Save' }).click();
    await branding.getByText('Saved.').waitFor();
    const info = (await application()).info;
    assert.equal(info.termsOfServiceUrl, 'https://expenses.contoso.example/terms');
    assert.equal(info.privacyStatementUrl, 'https://expenses.contoso.example/privacy');
  });

  test('assigns a user to the app with an app role, requires assignment, and removes the assignment', async () => {
    const sp = (await granted(appId)).sp!;
    await page.getByTestId('nav-enterprise-apps').click();
    await page.getByTestId('enterprise-apps-search').fill('Expenses');
    await page.getByTestId('enterprise-apps-table').getByRole('link', { name: 'Contoso Expenses' }).click();

    const signIn = page.getByTestId('enterprise-sign-in-form');
    await signIn.getByLabel('Assignment required').check();
    await signIn.getByRole('button', { name: 'Save' }).click();
    await signIn.getByText('Saved.').waitFor();
    assert.equal((await graph('GET', `/v1.0/servicePrincipals/${sp.id}`)).appRoleAssignmentRequired, true);

    await page.getByTestId('enterprise-tab-users').click();
    await page.getByTestId('app-assignments').getByText('No users or groups are assigned').waitFor();
    await page.getByTestId('add-assignment').click();
    const dialog = page.getByTestId('assign-dialog');
    await dialog.getByTestId('assign-search').fill('Administrator');
    await dialog.getByTestId('assign-result').first().click();
    await dialog.getByTestId('assign-role').selectOption({ label: 'Approver' });
    await dialog.getByTestId('assign-submit').click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('app-assignments-table').locator('tbody tr').first();
    await row.waitFor();
    assert.match(await row.innerText(), /User[\s\S]*Approver/);
    const role = (await graph('GET', `/v1.0/servicePrincipals/${sp.id}`)).appRoles.find((r: { value: string }) => r.value === 'Expenses.Approve');
    const assigned = (await graph('GET', `/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`)).value as { principalId: string; appRoleId: string }[];
    assert.deepEqual(assigned.map((a) => [a.principalId, a.appRoleId]), [[h.tenant.adminId, role.id]]);
    await shot('assignments');

    await row.getByRole('button', { name: /^Remove/ }).click();
    await page.getByTestId('app-assignments').getByText('No users or groups are assigned').waitFor();
    assert.deepEqual((await graph('GET', `/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`)).value, []);
  });

  test('sets the user consent setting, read back through Graph', async () => {
    const assigned = async () =>
      ((await graph('GET', '/v1.0/policies/authorizationPolicy')).defaultUserRolePermissions.permissionGrantPoliciesAssigned as string[]).filter((entry) => entry.toLowerCase().startsWith(SELF));
    await page.getByTestId('nav-consent-and-permissions').click();
    const form = page.getByTestId('user-consent-form');
    await form.getByLabel('Do not allow user consent').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    assert.deepEqual(await assigned(), []);

    await form.getByLabel('Allow user consent for apps from verified publishers, for selected permissions').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    assert.deepEqual(await assigned(), ['ManagePermissionGrantsForSelf.microsoft-user-default-low']);

    await page.reload();
    assert.ok(await page.getByTestId('user-consent-form').getByLabel('Allow user consent for apps from verified publishers, for selected permissions').isChecked(), 'the page reads the setting back');
  });

  test('classifies a Graph permission as low impact, and removes the classification', async () => {
    await page.getByTestId('consent-tab-classifications').click();
    const select = page.getByTestId('classification-permission');
    const option = await select.locator('option', { hasText: /^User\.ReadBasic\.All:/ }).getAttribute('value');
    assert.ok(option, 'User.ReadBasic.All (users may consent to it) can be classified');
    assert.equal(await select.locator('option', { hasText: /^User\.Read\.All:/ }).count(), 0, 'permissions that need an administrator cannot');
    await select.selectOption(option);
    await page.getByTestId('classification-add').click();
    const row = page.getByTestId('classifications-table').locator('tr[data-permission="User.ReadBasic.All"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Low impact/);
    await shot('classifications');
    const classifications = async () =>
      ((await graph('GET', `/v1.0/servicePrincipals/${(await graphSp()).id}/delegatedPermissionClassifications`)).value as { permissionName: string; classification: string }[]).map(
        (c) => `${c.permissionName}:${c.classification}`,
      );
    assert.deepEqual(await classifications(), ['User.ReadBasic.All:low']);

    await row.getByRole('button', { name: 'Remove User.ReadBasic.All' }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await classifications(), []);
  });

  test('a Global Reader sees applications and settings but is offered nothing that changes them', async () => {
    const reader = await h.container.users.createMember(tenantScope(h.tenant.id), { kind: 'system', tenantId: h.tenant.id }, {
      userPrincipalName: `reader@${h.tenant.domain}`,
      displayName: 'Rita Reader',
      mailNickname: 'reader',
      accountEnabled: true,
      password: 'Reader!Passw0rd-1',
    });
    const role = await graph('GET', `/v1.0/directoryRoles(roleTemplateId='${GLOBAL_READER}')`);
    await graph('POST', `/v1.0/directoryRoles/${role.id}/members/$ref`, { '@odata.id': `${base}/v1.0/directoryObjects/${reader.id}` });

    const readerContext = await browserOf().newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    try {
      const own = await readerContext.newPage();
      await own.goto(`${base}/admin/`);
      await signIn(own, `reader@${h.tenant.domain}`, 'Reader!Passw0rd-1');
      await own.getByTestId('nav-app-registrations').click();
      await own.getByTestId('app-registrations-table').getByRole('link', { name: 'Contoso Expenses' }).click();
      await own.getByTestId('app-client-id').waitFor();
      assert.equal(await own.getByTestId('new-app-registration').count(), 0);
      assert.equal(await own.getByTestId('delete-app').count(), 0);
      await own.getByTestId('app-tab-apiPermissions').click();
      await own.getByTestId('api-permissions-table').waitFor();
      assert.equal(await own.getByTestId('add-permission').count(), 0);
      assert.equal(await own.getByTestId('grant-admin-consent').count(), 0);
      await own.getByTestId('app-tab-credentials').click();
      await own.getByTestId('client-secrets-table').waitFor();
      assert.equal(await own.getByTestId('new-client-secret').count(), 0);

      await own.getByTestId('nav-consent-and-permissions').click();
      const form = own.getByTestId('user-consent-form');
      await form.waitFor();
      assert.ok(await form.getByLabel('Do not allow user consent').isDisabled());
      assert.equal(await form.getByRole('button', { name: 'Save' }).count(), 0);
      await screenshot(own, `admin-applications-reader-${dialect}`);
    } finally {
      await readerContext.close();
    }
  });
}
