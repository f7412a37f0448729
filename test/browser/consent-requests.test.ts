import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerJobHandlers } from '../../src/jobs/handlers.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { freePort } from '../helpers/ports.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { type ReceivedMail, startSmtpServer } from '../helpers/smtp.ts';
import { testTls } from '../helpers/tls.ts';
import { decodeMail } from '../graph/invitations.helpers.ts';

/**
 * Issue 16's admin consent workflow in Chromium (playwright-core), mail received by a real SMTP
 * server (smtp-server): with user consent off, the Global Administrator turns the workflow on in
 * the admin center with the Global Administrator role as reviewers; a user asks for an app with a
 * reason on "Approval required" and goes back to the app (access_denied, AADSTS90095); the
 * reviewer gets the mail, follows its link to the admin center and approves; the requester gets
 * the outcome mail and then signs in with no prompt (the token's scp is what was asked). A denied
 * request tells the requester, who may ask again; a blocked app refuses sign-in and requests.
 * One server for the file: PostgreSQL when TEST_DATABASE_URL is set, SQLite otherwise.
 */
const tls = testTls();
const skip = chromiumMissing || (tls ? false : 'no test TLS certificate (run through npm test)');
const PASSWORD = 'Contoso-Passw0rd!';
const ADMIN_PASSWORD = 'Admin-Passw0rd!';
const MAIL_WAIT_MS = 15_000;

/** The app's side on loopback: its redirect URI, recording what comes back. */
async function startApp(): Promise<{ origin: string; callbacks: URL[]; close(): Promise<void> }> {
  const port = await freePort();
  const callbacks: URL[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://localhost:${port}`);
    // the browser's own requests (its favicon) are not the app's redirect URI
    if (url.pathname === '/signin') callbacks.push(url);
    response.setHeader('content-type', 'text/html; charset=utf-8');
    const error = url.searchParams.get('error');
    response.end(`<!doctype html><title>Expenses</title><h1>${error ? `Expenses: ${error}` : 'Signed in to Expenses'}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://localhost:${port}`, callbacks, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function mailTo(received: ReceivedMail[], address: string, subject: RegExp): Promise<{ subject: string; text: string; html: string }> {
  const deadline = Date.now() + MAIL_WAIT_MS;
  for (;;) {
    const found = received.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase())).map((m) => decodeMail(m.raw)).find((m) => subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('admin consent requests in Chromium', { skip }, () => {
  const dialect = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let runner: JobRunner;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;
  let admin: Graph;
  let adminContext: BrowserContext;
  let adminPage: Page;
  let base: string;
  let tid: string;
  const upn = (name: string) => `${name}@${h.tenant.domain}`;
  const scope = () => tenantScope(tid);

  before(async () => {
    smtp = await startSmtpServer();
    h = await createHarness(dialect, { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key }, smtpUrl: `${smtp.url}?pool=false` } });
    base = h.container.config.baseUrl;
    tid = h.tenant.id;
    runner = new JobRunner(h.container.queue, createLogger('silent'), { pollMs: 100 });
    registerJobHandlers(runner, h.container);
    runner.start();
    app = await startApp();
    admin = graphCaller(h.app, h.tokens.user(tid, h.tenant.adminId, ['Directory.ReadWrite.All', 'Policy.ReadWrite.Authorization', 'Policy.ReadWrite.ConsentRequest', 'ConsentRequest.ReadWrite.All']));
    for (const name of ['alice', 'bob', 'carol']) {
      await h.container.users.createMember(scope(), { kind: 'system', tenantId: tid }, { userPrincipalName: upn(name), displayName: name, mailNickname: name, mail: upn(name), accountEnabled: true, password: PASSWORD });
    }
    // user consent off: users may not consent to anything themselves
    const consentOff = await admin('PATCH', '/policies/authorizationPolicy', { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [] } });
    assert.equal(consentOff.status, 204, consentOff.text);
    browser = await launchChromium();
    adminContext = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    adminPage = await adminContext.newPage();
    await adminPage.goto(`${base}/admin/`);
    await adminPage.getByLabel('Email or username').fill(`admin@${h.tenant.domain}`);
    await adminPage.getByRole('button', { name: 'Next' }).click();
    await adminPage.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await adminPage.getByTestId('nav-consent-requests').waitFor();
  });
  after(async () => {
    await adminContext?.close();
    await browser?.close();
    await runner?.stop();
    await h?.close();
    await smtp?.close();
    await app?.close();
  });

  /** An app of this tenant asking for Graph's User.Read, with a client secret. */
  async function registerApp(displayName: string): Promise<{ appId: string; secret: string }> {
    const created = await h.container.applications.create(scope(), { displayName, redirectUris: [`${app.origin}/signin`], withSecret: true });
    return { appId: created.appId, secret: created.clientSecret! };
  }

  async function newUserPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    return { context, page: await context.newPage() };
  }

  async function authorization(registered: { appId: string; secret: string }, scopeText = 'openid profile User.Read') {
    const config = await client.discovery(new URL(`${base}/${tid}/v2.0`), registered.appId, registered.secret, undefined, { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: `${app.origin}/signin`, scope: scopeText, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    return { url: url.toString(), tokens: async () => client.authorizationCodeGrant(config, app.callbacks.at(-1)!, { pkceCodeVerifier: verifier, expectedState: state }) };
  }

  async function signIn(page: Page, url: string, username: string): Promise<void> {
    await page.goto(url);
    await page.getByLabel('Email or username').fill(username);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in, meets "Approval required", sends the request with `reason`, and goes back to the app (access_denied). */
  async function requestApproval(registered: { appId: string; secret: string }, user: string, reason: string, shot: string): Promise<void> {
    const flow = await authorization(registered);
    const { context, page } = await newUserPage();
    await signIn(page, flow.url, upn(user));
    await page.getByRole('heading', { name: 'Approval required' }).waitFor();
    await page.getByTestId('approval-permissions').locator('[data-scope="User.Read"]').waitFor();
    // the justification is required
    await page.getByRole('button', { name: 'Request approval' }).click();
    await page.getByText('Enter a justification for your request.').first().waitFor();
    await page.getByLabel('Justification for requesting access to this app').fill(reason);
    await screenshot(page, `${shot}-approval-required`);
    await page.getByRole('button', { name: 'Request approval' }).click();
    await page.getByRole('heading', { name: 'Request sent' }).waitFor();
    await page.getByRole('button', { name: 'Back to the app' }).click();
    await page.getByRole('heading', { name: 'Expenses: access_denied' }).waitFor();
    assert.match(app.callbacks.at(-1)!.searchParams.get('error_description') ?? '', /^AADSTS90095/);
    await context.close();
  }

  /** The admin center's My pending list, the request for `appId` in it. */
  async function openPending(appId: string) {
    await adminPage.getByTestId('nav-consent-requests').click();
    await adminPage.getByTestId('consent-requests-tab-pending').click();
    // the list as it is now (the page may have been open since before the request)
    await adminPage.getByTestId('consent-requests-refresh').click();
    const item = adminPage.locator(`[data-testid="consent-request"][data-app-id="${appId}"]`);
    await item.waitFor();
    return item;
  }

  test('the Global Administrator turns the workflow on in the admin center', async () => {
    await adminPage.getByTestId('nav-consent-requests').click();
    await adminPage.getByTestId('consent-requests-tab-settings').click();
    const form = adminPage.getByTestId('consent-workflow-form');
    await form.waitFor();
    await form.getByLabel('Users can request admin consent to apps they are unable to consent to').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Add at least one reviewer before turning the workflow on.').waitFor();
    await form.getByLabel('Add a role').selectOption({ label: 'Global Administrator' });
    await form.getByRole('button', { name: 'Add role' }).click();
    await form.getByText('Role: Global Administrator').waitFor();
    await form.getByLabel('Selected users will receive email notifications for requests').check();
    await form.getByLabel('Consent request expires after (days)').fill('14');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    await screenshot(adminPage, 'consent-requests-settings');
    const policy = await admin('GET', '/policies/adminConsentRequestPolicy');
    assert.equal(policy.body.isEnabled, true);
    assert.equal(policy.body.notifyReviewers, true);
    assert.equal(policy.body.requestDurationInDays, 14);
    assert.equal(policy.body.reviewers.length, 1);
    assert.match(policy.body.reviewers[0].query, /roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'/);
  });

  test('a request, the reviewer mail, approval in the admin center, the outcome mail, then sign-in with no prompt', async () => {
    const expenses = await registerApp('Contoso Expenses');
    await requestApproval(expenses, 'alice', 'I file my travel expenses there', 'consent-requests-approve');

    const notice = await mailTo(smtp.received, `admin@${h.tenant.domain}`, /alice requests admin consent for Contoso Expenses/);
    assert.match(notice.text, /I file my travel expenses there/);
    const link = /(https:\/\/\S+\/admin\/consent-requests)/.exec(notice.text)?.[1];
    assert.ok(link, notice.text);
    assert.equal(new URL(link).origin, new URL(base).origin);

    await adminPage.goto(link);
    const item = adminPage.locator(`[data-testid="consent-request"][data-app-id="${expenses.appId}"]`);
    await item.waitFor();
    await item.getByText('I file my travel expenses there').waitFor();
    await item.getByText('User.Read').first().waitFor();
    await screenshot(adminPage, 'consent-requests-my-pending');
    await item.getByTestId('consent-request-approve').click();
    await adminPage.getByTestId('decision-dialog-approve').getByTestId('decision-confirm').click();
    await adminPage.getByTestId('consent-requests-notice').waitFor();

    const outcome = await mailTo(smtp.received, upn('alice'), /Your request for Contoso Expenses was approved/);
    assert.match(outcome.text, /You can now sign in to Contoso Expenses/);

    // signing in again: no prompt, straight back to the app with a code; the token carries what was asked
    const flow = await authorization(expenses);
    const { context, page } = await newUserPage();
    await signIn(page, flow.url, upn('alice'));
    await page.getByRole('heading', { name: 'Signed in to Expenses' }).waitFor();
    const tokens = await flow.tokens();
    assert.equal(decodeJwt(tokens.access_token).scp, 'User.Read');
    await context.close();
  });

  test('a denied request tells the requester, who may ask again', async () => {
    const travel = await registerApp('Contoso Travel');
    await requestApproval(travel, 'bob', 'Booking trips', 'consent-requests-deny');
    const item = await openPending(travel.appId);
    await item.getByTestId('consent-request-deny').click();
    const dialog = adminPage.getByTestId('decision-dialog-deny');
    await dialog.getByTestId('decision-confirm').click();
    await dialog.getByText('Enter a justification.').waitFor();
    await dialog.getByLabel('Justification').fill('Use the corporate travel desk');
    await dialog.getByTestId('decision-confirm').click();
    await adminPage.getByTestId('consent-requests-notice').waitFor();
    const outcome = await mailTo(smtp.received, upn('bob'), /Your request for Contoso Travel was denied/);
    assert.match(outcome.text, /Use the corporate travel desk/);
    assert.match(outcome.text, /You can ask again later/);
    // History shows the decision
    await adminPage.getByTestId('consent-requests-tab-history').click();
    await adminPage.locator(`[data-testid="consent-request"][data-app-id="${travel.appId}"]`).getByText('Use the corporate travel desk').waitFor();
    // bob asks again: a new request
    await requestApproval(travel, 'bob', 'Booking trips, please reconsider', 'consent-requests-again');
    await (await openPending(travel.appId)).getByText('Booking trips, please reconsider').waitFor();
  });

  test('a blocked app refuses sign-in and further requests', async () => {
    const games = await registerApp('Contoso Games');
    await requestApproval(games, 'carol', 'Team building', 'consent-requests-block');
    const item = await openPending(games.appId);
    await item.getByTestId('consent-request-block').click();
    const dialog = adminPage.getByTestId('decision-dialog-block');
    await dialog.getByLabel('Justification').fill('Not for work');
    await dialog.getByTestId('decision-confirm').click();
    await adminPage.getByTestId('consent-requests-notice').waitFor();
    const outcome = await mailTo(smtp.received, upn('carol'), /Your request for Contoso Games was blocked/);
    assert.match(outcome.text, /Not for work/);
    assert.equal(await h.container.consentRequests.isBlocked(scope(), games.appId), true);

    const callbacks = app.callbacks.length;
    const flow = await authorization(games);
    const { context, page } = await newUserPage();
    await page.goto(flow.url);
    // the app is disabled here: the sign-in is refused before anyone signs in, and no code comes back
    await page.getByRole('heading', { name: "We couldn't sign you in" }).waitFor();
    await page.getByText('invalid_client').waitFor();
    assert.equal(app.callbacks.slice(callbacks).some((url) => url.searchParams.has('code')), false);
    await screenshot(page, 'consent-requests-blocked-signin');
    await context.close();
    const carol = (await h.container.users.find(scope(), upn('carol')))!;
    await assert.rejects(
      h.container.consentRequests.submit(scope(), { userId: carol.id, clientAppId: games.appId, permissions: [{ resourceAppId: '00000003-0000-0000-c000-000000000000', scopes: ['User.Read'], appRoles: [] }], reason: 'again' }),
      (error: any) => error.code === 'consentRequests.appBlocked',
    );
  });
});
