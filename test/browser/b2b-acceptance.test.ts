import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { JobRunner } from '../../src/jobs/runner.ts';
import { registerJobHandlers } from '../../src/jobs/handlers.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { freePort } from '../helpers/ports.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp.ts';
import { decodeMail } from '../graph/invitations.helpers.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';

/**
 * Issue 15's acceptance test in Chromium (playwright-core), with every mail received by a real SMTP
 * server on loopback: an administrator of Contoso (A) invites a member of Fabrikam (B) through
 * Graph; the invitee opens the link from the mail, signs in at Fabrikam, accepts Review permissions
 * showing Contoso's privacy statement and lands on the redirect URL; then opens an app of Contoso
 * directly (openid-client) and the ID token carries Contoso's tid, the guest's oid there and an idp
 * naming Fabrikam. A second invitee signs in through the partner's own OpenID provider (a bare
 * oidc-provider on loopback), a third has no account and creates one (code from the mail), a
 * fourth redeems with an alias address. One server for the file: PostgreSQL when
 * TEST_DATABASE_URL is set, SQLite otherwise. Screenshots go to test-artifacts/screenshots/.
 */
const PASSWORD = 'Fabrikam-Passw0rd!';

interface MailBox {
  url: string;
  received: { to: string[]; raw: string }[];
  close(): Promise<void>;
}

/** The app's side on loopback: the invitation's landing page and the OpenID client's redirect URI. */
async function startApp(): Promise<{ origin: string; codes: URL[]; close(): Promise<void> }> {
  const port = await freePort();
  const codes: URL[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://localhost:${port}`);
    if (url.pathname === '/signin') codes.push(url);
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><title>Contoso Portal</title><h1>${url.pathname === '/signin' ? 'Signed in to Contoso Portal' : 'Welcome to Contoso Portal'}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://localhost:${port}`, codes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function startPartnerIdp(redirectUri: string, domain: string): Promise<{ issuer: string; close(): Promise<void> }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'tessera-guests', client_secret: 'partner-client-secret-0123456789', redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic' }],
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, email: `${id}@${domain}`, email_verified: true, name: 'Kim Partner' }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['partner-cookie-key-0123456789'] },
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('B2B acceptance in Chromium', { skip: chromiumMissing }, () => {
  const dialect = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
  let h: Harness;
  let base: string;
  let mail: MailBox;
  let runner: JobRunner;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;
  let partner: Awaited<ReturnType<typeof startPartnerIdp>>;
  let admin: Graph;
  let fabrikam: { id: string; domain: string };
  let partnerDomain: string;

  before(async () => {
    mail = await startSmtpServer();
    h = await createHarness(dialect, { listen: true, config: { smtpUrl: mail.url } });
    base = h.container.config.baseUrl;
    runner = new JobRunner(h.container.queue, createLogger('silent'), { pollMs: 100 });
    registerJobHandlers(runner, { mail: h.container.mail });
    runner.start();
    app = await startApp();
    partnerDomain = `partner${process.pid}.example`;
    partner = await startPartnerIdp(`${base}/federation/callback`, partnerDomain);
    admin = graphCaller(h.app, h.tenant.adminToken);
    // Contoso publishes a privacy statement (shown on Review permissions); Fabrikam is another tenant here
    assert.equal((await admin('PATCH', `/organization/${h.tenant.id}`, { privacyProfile: { statementUrl: `${app.origin}/privacy`, contactEmail: 'privacy@contoso.example' } })).status, 204);
    fabrikam = { id: '', domain: `fabrikam${process.pid}.example` };
    const { tenant } = await h.container.tenants.create({ displayName: 'Fabrikam', domain: fabrikam.domain, admin: { email: `admin@${fabrikam.domain}`, password: PASSWORD } });
    fabrikam.id = tenant.id;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await runner?.stop();
    await h?.close();
    await mail?.close();
    await app?.close();
    await partner?.close();
  });

  async function fabrikamMember(alias: string, displayName: string): Promise<string> {
    const upn = `${alias}@${fabrikam.domain}`;
    await h.container.users.createMember(tenantScope(fabrikam.id), { kind: 'system', tenantId: fabrikam.id }, { userPrincipalName: upn, displayName, mailNickname: alias, mail: upn, accountEnabled: true, password: PASSWORD });
    return upn;
  }

  /** The newest mail to `address` that matches `pattern`, waiting for the outbox job to deliver it. */
  async function mailTo(address: string, pattern: RegExp): Promise<{ subject: string; text: string; html: string }> {
    for (let i = 0; i < 200; i++) {
      const found = mail.received.filter((m) => m.to.includes(address.toLowerCase())).map((m) => decodeMail(m.raw)).reverse().find((m) => pattern.test(m.text));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`no mail to ${address} matching ${pattern}`);
  }

  async function invite(address: string): Promise<{ guestId: string; link: string }> {
    const response = await admin('POST', '/invitations', {
      invitedUserEmailAddress: address,
      inviteRedirectUrl: `${app.origin}/welcome`,
      sendInvitationMessage: true,
      invitedUserMessageInfo: { customizedMessageBody: 'Welcome to the Contoso partner portal.' },
    });
    assert.equal(response.status, 201, response.text);
    const received = await mailTo(address, /redeem\?/);
    const link = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/redeem\\?[^\\s"<>]+`).exec(received.text)?.[0]?.replace(/&amp;/g, '&');
    assert.ok(link, `the mail carries the redeem link:\n${received.text}`);
    return { guestId: response.body.invitedUser.id, link };
  }

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    return { context, page: await context.newPage() };
  }

  async function accept(page: Page, name: string): Promise<void> {
    await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await page.getByRole('link', { name: "Read Contoso's privacy statement" }).waitFor();
    await screenshot(page, `b2b-${name}-review-permissions`);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Welcome to Contoso Portal' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/welcome');
  }

  async function guestState(id: string): Promise<Record<string, any>> {
    return (await admin('GET', `/users/${id}?$select=externalUserState,identities,mail`)).body;
  }

  test('a member of another tenant redeems the mailed link, then opens an app of the inviting tenant as the guest', async () => {
    const upn = await fabrikamMember('alice', 'Alice Fabrikam');
    const { guestId, link } = await invite(upn);
    const { context, page } = await newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: "You're invited" }).waitFor();
    await page.getByText('Administrator from Contoso invited you').waitFor();
    await screenshot(page, 'b2b-alice-1-invitation');
    assert.equal(await page.getByLabel('Sign in with').inputValue(), upn);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Fabrikam's own sign-in page, for Alice's own password
    await page.getByLabel('Password').waitFor();
    assert.ok(page.url().startsWith(`${base}/${fabrikam.id}/interaction/`), page.url());
    await page.getByText('Fabrikam').first().waitFor();
    await screenshot(page, 'b2b-alice-2-home-sign-in');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByRole('link', { name: "Read Contoso's privacy statement" }).getAttribute('href'), `${app.origin}/privacy`);
    await accept(page, 'alice-3');
    assert.equal((await guestState(guestId)).externalUserState, 'Accepted');

    // an app of Contoso, straight away (openid-client as the app): the guest's own tokens from Contoso
    const registered = await h.container.applications.create(tenantScope(h.tenant.id), { displayName: 'Contoso Portal', redirectUris: [`${app.origin}/signin`], isPublic: true, delegatedPermissions: ['User.Read'] });
    const insecure = base.startsWith('http:');
    const config = await client.discovery(new URL(`${base}/${h.tenant.id}/v2.0`), registered.appId, undefined, client.None(), { execute: insecure ? [client.allowInsecureRequests] : [] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorize = client.buildAuthorizationUrl(config, {
      redirect_uri: `${app.origin}/signin`,
      scope: 'openid profile email User.Read',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    // another day, another browser: the name goes home to Fabrikam, Review permissions is not shown again
    await context.close();
    const later = await newPage();
    await later.page.goto(authorize.toString());
    await later.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await later.page.getByLabel('Email or username').fill(upn);
    await screenshot(later.page, 'b2b-alice-4-app-sign-in');
    await later.page.getByRole('button', { name: 'Next' }).click();
    await later.page.getByLabel('Password').fill(PASSWORD);
    await later.page.getByRole('button', { name: 'Sign in' }).click();
    await later.page.getByRole('heading', { name: 'Signed in to Contoso Portal' }).waitFor();
    await later.context.close();
    const callback = app.codes.at(-1)!;
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    assert.equal(claims.tid, h.tenant.id, "tid: Contoso's");
    assert.equal(claims.oid, guestId, "oid: the guest's object in Contoso");
    assert.equal(claims.idp, `${base}/${fabrikam.id}/v2.0`, 'idp: Fabrikam');
  });

  test("a partner's guest signs in through the partner's own OpenID provider", async () => {
    const configured = await admin('POST', '/beta/identity/identityProviders', {
      '@odata.type': '#microsoft.graph.openIdConnectIdentityProvider',
      displayName: 'Partner Keycloak',
      issuer: partner.issuer,
      clientId: 'tessera-guests',
      clientSecret: 'partner-client-secret-0123456789',
      domains: [partnerDomain],
    });
    assert.equal(configured.status, 201, configured.text);
    const { guestId, link } = await invite(`kim@${partnerDomain}`);
    const { context, page } = await newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // the partner's provider (oidc-provider's own development sign-in pages)
    await page.locator('input[name="login"]').waitFor();
    assert.equal(new URL(page.url()).origin, partner.issuer);
    await screenshot(page, 'b2b-kim-1-partner-sign-in');
    await page.locator('input[name="login"]').fill('kim');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').or(page.getByRole('heading', { name: 'Review permissions' })).first().waitFor();
    if (await page.locator('input[name="prompt"][value="consent"]').count()) await page.locator('button[type="submit"]').click();
    await accept(page, 'kim-2');
    const guest = await guestState(guestId);
    assert.equal(guest.externalUserState, 'Accepted');
    assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(h.tenant.id), guestId), partner.issuer);
    await context.close();
  });

  test('an invitee without any account creates one with a code from the mail', async () => {
    const address = `pat@nowhere${process.pid}.example`;
    const { guestId, link } = await invite(address);
    const { context, page } = await newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // e-mail one-time passcode is offered first (on by default); Pat makes a personal account instead
    await page.getByRole('link', { name: 'Use or create a personal account instead' }).click();
    await page.getByRole('heading', { name: 'Create account' }).waitFor();
    await screenshot(page, 'b2b-pat-1-create-account');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Code').waitFor();
    const code = /^(\d{6})$/m.exec((await mailTo(address, /^\d{6}$/m)).text)?.[1];
    assert.ok(code);
    await page.getByLabel('Code').fill(code);
    await screenshot(page, 'b2b-pat-2-code');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name').fill('Pat Example');
    await page.getByLabel('Create password').fill('Personal-Passw0rd!');
    await page.getByLabel('Confirm password').fill('Personal-Passw0rd!');
    await screenshot(page, 'b2b-pat-3-details');
    await page.getByRole('button', { name: 'Create account' }).click();
    await accept(page, 'pat-4');
    assert.equal((await guestState(guestId)).externalUserState, 'Accepted');
    await context.close();
  });

  test('an invitee redeems with an alias address: the link binds, not the address', async () => {
    const upn = await fabrikamMember('dora', 'Dora Fabrikam');
    const alias = `dora.alias@dora-mail${process.pid}.example`;
    const { guestId, link } = await invite(alias);
    const { context, page } = await newPage();
    await page.goto(link);
    await page.getByLabel('Sign in with').fill(upn);
    await screenshot(page, 'b2b-dora-1-alias');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${upn}`).waitFor();
    await accept(page, 'dora-2');
    const guest = await guestState(guestId);
    assert.equal(guest.externalUserState, 'Accepted');
    assert.equal(guest.mail, alias);
    assert.equal(await h.container.invitations.guestHomeIssuer(tenantScope(h.tenant.id), guestId), `${base}/${fabrikam.id}/v2.0`);
    await context.close();
  });
});
