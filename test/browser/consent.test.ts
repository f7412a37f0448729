import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GRAPH_APP_ID, graphPermission } from '../../src/modules/consent/index.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { freePort } from '../helpers/ports.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * Issue 16's consent acceptance in Chromium (playwright-core): with user consent on (legacy), a
 * user of Contoso (A) consents to a multi-tenant app registered in Fabrikam (B) and the access
 * token's `scp` is what they accepted; Cancel returns access_denied; with `-low` an unverified
 * publisher's app gets "Need admin approval"; an administrator consenting on behalf of the
 * organization means a second user is not asked; revoking the consent brings the prompt back.
 * One server for the file: PostgreSQL when TEST_DATABASE_URL is set, SQLite otherwise.
 */
const PASSWORD = 'Contoso-Passw0rd!';
const ADMIN_PASSWORD = 'Admin-Passw0rd!';

/** The app's side on loopback: its redirect URI, recording what comes back. */
async function startApp(): Promise<{ origin: string; callbacks: URL[]; close(): Promise<void> }> {
  const port = await freePort();
  const callbacks: URL[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://localhost:${port}`);
    // the redirect URI only (not the browser's favicon request)
    if (url.pathname === '/signin') callbacks.push(url);
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><title>Fabrikam Notes</title><h1>${url.searchParams.get('error') ? `Fabrikam Notes: ${url.searchParams.get('error')}` : 'Signed in to Fabrikam Notes'}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://localhost:${port}`, callbacks, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('consent in Chromium', { skip: chromiumMissing }, () => {
  const dialect = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
  let h: Harness;
  let base: string;
  let tid: string;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;
  let admin: Graph;
  let fabrikam: Graph;
  const upn = (name: string) => `${name}@${h.tenant.domain}`;

  before(async () => {
    h = await createHarness(dialect, { listen: true });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    app = await startApp();
    admin = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Directory.ReadWrite.All', 'Policy.ReadWrite.Authorization', 'DelegatedPermissionGrant.ReadWrite.All']));
    const domain = `fabrikam${process.pid}.example`;
    const b = await h.container.tenants.create({ displayName: 'Fabrikam', domain, admin: { email: `admin@${domain}`, password: ADMIN_PASSWORD } });
    fabrikam = graphCaller(h.app, h.tokens.user(b.tenant.id, b.adminUserId!, ['Directory.ReadWrite.All', 'Application.ReadWrite.All']));
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      await h.container.users.createMember(tenantScope(tid), { kind: 'system', tenantId: tid }, { userPrincipalName: upn(name), displayName: name, mailNickname: name, accountEnabled: true, password: PASSWORD });
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await app?.close();
  });

  /** A multi-tenant app registered in Fabrikam, asking for Graph's User.Read, with a client secret. */
  async function registerNotes(displayName: string): Promise<{ appId: string; secret: string }> {
    const created = await fabrikam('POST', '/applications', {
      displayName,
      signInAudience: 'AzureADMultipleOrgs',
      web: { redirectUris: [`${app.origin}/signin`] },
      info: { termsOfServiceUrl: 'https://notes.example/terms', privacyStatementUrl: 'https://notes.example/privacy' },
      requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: graphPermission('User.Read')!.scopeId!, type: 'Scope' }] }],
    });
    assert.equal(created.status, 201, created.text);
    const password = await fabrikam('POST', `/applications/${created.body.id}/addPassword`, { passwordCredential: { displayName: 'browser test' } });
    assert.equal(password.status, 200, password.text);
    return { appId: created.body.appId, secret: password.body.secretText };
  }

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    return { context, page: await context.newPage() };
  }

  /** openid-client as the app: an authorization URL for `scope`, and the code exchange afterwards. */
  async function authorization(notes: { appId: string; secret: string }, scope: string) {
    const config = await client.discovery(new URL(`${base}/${tid}/v2.0`), notes.appId, notes.secret, undefined, { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: `${app.origin}/signin`, scope, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    return {
      url: url.toString(),
      tokens: async () => client.authorizationCodeGrant(config, app.callbacks.at(-1)!, { pkceCodeVerifier: verifier, expectedState: state }),
    };
  }

  async function signIn(page: Page, url: string, username: string, password = PASSWORD): Promise<void> {
    await page.goto(url);
    await page.getByLabel('Email or username').fill(username);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function setUserConsent(value: string[]): Promise<void> {
    const response = await admin('PATCH', '/policies/authorizationPolicy', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: value } });
    assert.equal(response.status, 204, response.text);
  }

  let notes: { appId: string; secret: string };

  test("a user consents to another tenant's multi-tenant app; the token's scp is what they accepted; Cancel returns access_denied", async () => {
    notes = await registerNotes('Fabrikam Notes');
    const flow = await authorization(notes, 'openid profile User.Read');
    const { context, page } = await newPage();
    await signIn(page, flow.url, upn('alice'));
    await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
    await page.getByText('Publisher: Fabrikam').waitFor();
    await page.getByText('unverified').waitFor();
    await page.getByText('Sign you in and read your profile').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Terms of service' }).getAttribute('href'), 'https://notes.example/terms');
    assert.equal(await page.getByRole('link', { name: 'Privacy statement' }).getAttribute('href'), 'https://notes.example/privacy');
    assert.equal(await page.getByLabel('Consent on behalf of your organization').count(), 0, 'a user is not offered consent for everyone');
    await screenshot(page, 'consent-1-prompt');
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Signed in to Fabrikam Notes' }).waitFor();
    const tokens = await flow.tokens();
    assert.equal(decodeJwt(tokens.access_token).scp, 'User.Read');
    await context.close();

    // Bob cancels: the app is told access_denied, and nothing is recorded for him
    const cancelFlow = await authorization(notes, 'openid User.Read');
    const bob = await newPage();
    await signIn(bob.page, cancelFlow.url, upn('bob'));
    await bob.page.getByRole('button', { name: 'Cancel' }).click();
    await bob.page.getByRole('heading', { name: 'Fabrikam Notes: access_denied' }).waitFor();
    assert.match(app.callbacks.at(-1)!.searchParams.get('error_description') ?? '', /^AADSTS65004/);
    await bob.context.close();
  });

  test('with -low, an unverified publisher of another tenant gets "Need admin approval"', async () => {
    const other = await registerNotes('Fabrikam Sketches');
    await setUserConsent(['ManagePermissionGrantsForSelf.microsoft-user-default-low']);
    try {
      const flow = await authorization(other, 'openid User.Read');
      const { context, page } = await newPage();
      await signIn(page, flow.url, upn('carol'));
      await page.getByRole('heading', { name: 'Need admin approval' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 0);
      await screenshot(page, 'consent-2-need-admin-approval');
      await page.getByRole('button', { name: 'Return to the application without granting consent' }).click();
      await page.getByRole('heading', { name: 'Fabrikam Notes: access_denied' }).waitFor();
      await context.close();
    } finally {
      await setUserConsent(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy']);
    }
  });

  test('an administrator consents on behalf of the organization: a second user is not asked', async () => {
    const orgWide = await registerNotes('Fabrikam Whiteboard');
    const flow = await authorization(orgWide, 'openid User.Read');
    const first = await newPage();
    await signIn(first.page, flow.url, `admin@${h.tenant.domain}`, ADMIN_PASSWORD);
    await first.page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
    await first.page.getByLabel('Consent on behalf of your organization').check();
    await screenshot(first.page, 'consent-3-admin-on-behalf');
    await first.page.getByRole('button', { name: 'Accept' }).click();
    await first.page.getByRole('heading', { name: 'Signed in to Fabrikam Notes' }).waitFor();
    await first.context.close();

    const second = await authorization(orgWide, 'openid User.Read');
    const dave = await newPage();
    await signIn(dave.page, second.url, upn('dave'));
    await dave.page.getByRole('heading', { name: 'Signed in to Fabrikam Notes' }).waitFor();
    assert.equal(decodeJwt((await second.tokens()).access_token).scp, 'User.Read');
    await dave.context.close();
  });

  test("revoking the consent in My Account (Apps) brings the prompt back", async () => {
    const { context, page } = await newPage();
    await signIn(page, `${base}/myaccount/apps`, upn('alice'));
    await page.getByRole('heading', { name: 'Apps and permissions' }).waitFor();
    const entry = page.locator(`[data-app-id="${notes.appId}"]`);
    await entry.getByText('Fabrikam Notes').first().waitFor();
    await screenshot(page, 'consent-4-my-apps');
    await entry.getByRole('button', { name: 'Revoke permissions' }).click();
    await page.getByText('Permissions revoked.').waitFor();

    // the same browser is signed in at Contoso: straight to the consent prompt, no sign-in
    const flow = await authorization(notes, 'openid User.Read');
    await page.goto(flow.url);
    await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
    await screenshot(page, 'consent-5-prompt-after-revoke');
    await context.close();
  });
});
