import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerJobHandlers } from '../../src/jobs/handlers.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { type ReceivedMail, startSmtpServer } from '../helpers/smtp.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * Issue 15, item 9 (and the admin center parts of items 1, 7 and 8) in a real browser: an
 * administrator invites a guest through the form and the invitation mail reaches a real SMTP
 * server; uploads a small CSV, follows it to per-row results (one row failing) and downloads
 * them; filters the guest list to pending invitations; resets a guest's redemption; puts a domain
 * on the deny list, after which an invitation to it shows Graph's refusal in the form. One server
 * per database dialect, one browser, one sign-in each; the API's own rules are tested server-side.
 */
const tls = testTls();
const skip = chromiumMissing || (tls ? false : 'no test TLS certificate (run through npm test)');
const MAIL_WAIT_MS = 15_000;

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Email or username').fill(username);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Mail bodies are quoted-printable or base64; undo the soft line breaks and `=XX` escapes enough to find a URL. */
function decodedBody(mail: ReceivedMail): string {
  const qp = mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const base64Parts = [...mail.raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map((match) =>
    Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64').toString('utf8'),
  );
  return [qp, ...base64Parts].join('\n');
}

async function mailTo(received: ReceivedMail[], address: string, after = 0): Promise<ReceivedMail> {
  const deadline = Date.now() + MAIL_WAIT_MS;
  for (;;) {
    const mail = received.slice(after).find((item) => item.to.some((to) => to.toLowerCase() === address.toLowerCase()));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('admin center External identities, in Chromium', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const dialect of testDialects) {
    describe(dialect, () => externalIdentities(() => browser, dialect));
  }
});

function externalIdentities(browserOf: () => Browser, dialect: (typeof testDialects)[number]): void {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let runner: JobRunner;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const scope = () => tenantScope(h.tenant.id);
  const shot = (name: string) => screenshot(page, `admin-external-${name}-${dialect}`);
  /** Each test starts from the section's navigation, so one failing test leaves the next one a known page. */
  const openTab = async (tab: 'guests' | 'invite' | 'bulk' | 'settings') => {
    await page.getByTestId('nav-external-identities').click();
    await page.getByRole('heading', { name: 'Guest users' }).waitFor();
    await page.getByTestId(`external-tab-${tab}`).click();
  };

  /** A guest by the address it was invited with (mail), straight from the directory. */
  const guestByMail = async (address: string) => {
    const response = await h.app.inject({
      method: 'GET',
      url: `/v1.0/users?$filter=mail eq '${address}'&$select=id,mail,otherMails,externalUserState,userType`,
      headers: { authorization: `Bearer ${h.tenant.adminToken}` },
    });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { value: { id: string; mail: string; otherMails: string[]; externalUserState: string; userType: string }[] }).value[0] ?? null;
  };

  before(async () => {
    smtp = await startSmtpServer();
    // one SMTP connection per mail (not the server's pool), so closing the SMTP server does not wait for idle connections
    h = await createHarness(dialect, { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key }, smtpUrl: `${smtp.url}?pool=false` } });
    base = h.container.config.baseUrl;
    // the server's job runner: delivers the outbox's mail and processes bulk operations
    runner = new JobRunner(h.container.queue, createLogger('silent'), { pollMs: 100 });
    registerJobHandlers(runner, h.container);
    runner.start();
    context = await browserOf().newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${base}/admin/`);
    await signIn(page, `admin@${h.tenant.domain}`, 'Admin-Passw0rd!');
    await page.getByTestId('nav-external-identities').click();
    await page.getByRole('heading', { name: 'Guest users' }).waitFor();
  });
  after(async () => {
    await context?.close();
    await runner?.stop();
    await h?.close();
    await smtp?.close();
  });

  test('invites a guest through the form; bad addresses are refused beside the field; the mail arrives', async () => {
    await openTab('invite');
    const form = page.getByTestId('invite-form');
    await form.waitFor();
    assert.equal(await form.getByLabel('Redirect URL').inputValue(), `${base}/myaccount`, 'the redirect URL defaults to My Account');

    // checked in the page first: nothing is sent
    await form.getByLabel('Email address').fill('alice at fabrikam');
    await form.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByTestId('invite-email-error').waitFor();

    // refused by the API (consumer domains are off by default): Graph's message, nothing created
    await form.getByLabel('Email address').fill('alice.home@gmail.com');
    await form.getByRole('button', { name: 'Invite', exact: true }).click();
    await form.getByText(/consumer e-mail domains/).waitFor();
    assert.equal(await guestByMail('alice.home@gmail.com'), null);

    const before = smtp.received.length;
    await form.getByLabel('Email address').fill('alice@fabrikam.example');
    await form.getByLabel('Display name').fill('Alice Fabrikam');
    await form.getByLabel('Message').fill('Welcome to the Contoso project space.');
    await form.getByLabel('Cc recipient').fill('sponsor@fabrikam.example');
    await form.getByRole('button', { name: 'Invite', exact: true }).click();
    const result = page.getByTestId('invite-result');
    await result.waitFor();
    assert.match(await page.getByTestId('invite-status').innerText(), /Pending acceptance/);
    const redeemUrl = await page.getByTestId('invite-redeem-url').inputValue();
    assert.match(redeemUrl, new RegExp(`^${base}/redeem\\?tenant=${h.tenant.id}&user=[0-9a-f-]+&ticket=[A-Za-z0-9_-]+&ver=2\\.0$`));
    await shot('invited');

    const alice = await guestByMail('alice@fabrikam.example');
    assert.ok(alice, 'the guest exists at once');
    assert.equal(alice.userType, 'Guest');
    assert.equal(alice.externalUserState, 'PendingAcceptance');
    assert.ok(redeemUrl.includes(`user=${alice.id}`));

    const mail = await mailTo(smtp.received, 'alice@fabrikam.example', before);
    const body = decodedBody(mail);
    assert.ok(body.includes(redeemUrl) || body.includes(redeemUrl.replaceAll('&', '&amp;')), 'the mail carries the redemption link');
    assert.ok(body.includes('Welcome to the Contoso project space.'), 'with the message');
    assert.ok(mail.to.some((to) => to === 'sponsor@fabrikam.example'), 'and the cc recipient gets a copy');

    // "Invite another" starts over with an empty form
    await page.getByTestId('invite-another').click();
    assert.equal(await page.getByTestId('invite-form').getByLabel('Email address').inputValue(), '');
  });

  test('uploads a CSV, follows its progress to per-row results with one failing row, and downloads them', async () => {
    await openTab('bulk');
    await page.getByTestId('bulk-upload-form').waitFor();

    // the template to fill in
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-template').click()]);
    const templateText = await readFile((await template.path())!, 'utf8');
    assert.match(templateText, /^(\uFEFF)?version:v1\.0\r?\n.*\[inviteeEmail\]/);

    // a file with the wrong header is refused whole, with the API's reason, and creates nothing
    await page.getByTestId('bulk-file').setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('Name,Address\nBob,bob@northwind.example\n') });
    await page.getByTestId('upload-csv').click();
    await page.getByTestId('bulk-upload-error').waitFor();
    assert.equal(await guestByMail('bob@northwind.example'), null);

    const csv = [
      'version:v1.0',
      'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]',
      `bob@northwind.example,${base}/myaccount,true,Hello Bob`,
      `not-an-address,${base}/myaccount,true,`,
      `carol@northwind.example,${base}/myaccount,false,`,
    ].join('\r\n');
    await page.getByTestId('bulk-file').setInputFiles({ name: 'partners.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('upload-csv').click();
    await page.getByRole('heading', { name: 'partners.csv' }).waitFor();
    await page.getByTestId('bulk-summary').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('bulk-succeeded').innerText(), '2');
    assert.equal(await page.getByTestId('bulk-failed').innerText(), '1');

    const results = page.getByTestId('bulk-results-table');
    await results.locator('tbody tr').nth(2).waitFor();
    const failed = results.locator('tbody tr[data-status="failed"]');
    assert.equal(await failed.count(), 1);
    assert.match(await failed.innerText(), /not-an-address/);
    assert.ok((await failed.locator('td.bulk-error').innerText()).trim().length > 0, 'the failing row says why');
    assert.equal(await results.locator('tbody tr[data-status="succeeded"]').count(), 2);
    await shot('bulk-results');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-results').click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const resultsCsv = await readFile((await download.path())!, 'utf8');
    assert.match(resultsCsv, /bob@northwind\.example/);
    assert.match(resultsCsv, /carol@northwind\.example/);
    assert.match(resultsCsv, /not-an-address/);

    assert.ok(await guestByMail('bob@northwind.example'));
    assert.ok(await guestByMail('carol@northwind.example'));

    // the upload is listed among past bulk operations
    await page.getByRole('link', { name: 'Bulk invite' }).first().click();
    await page.getByTestId('bulk-operations-table').getByRole('link', { name: 'partners.csv' }).waitFor();
  });

  test('filters the guest list by invitation state', async () => {
    // an accepted guest: invited through Graph, redeemed through the service (redemption is tested in test/e2e/b2b-*)
    const invited = await h.app.inject({
      method: 'POST',
      url: '/v1.0/invitations',
      headers: { authorization: `Bearer ${h.tenant.adminToken}`, 'content-type': 'application/json' },
      payload: { invitedUserEmailAddress: 'dave@fabrikam.example', invitedUserDisplayName: 'Dave Fabrikam', inviteRedirectUrl: `${base}/myaccount`, sendInvitationMessage: false },
    });
    assert.equal(invited.statusCode, 201, invited.body);
    const daveId = (invited.json() as { invitedUser: { id: string } }).invitedUser.id;
    await h.container.invitations.redeem(scope(), {
      guestId: daveId,
      home: { kind: 'emailOtp', issuer: 'mail', subject: 'dave@fabrikam.example', email: 'dave@fabrikam.example' },
    });

    await openTab('guests');
    const table = page.getByTestId('guests-table');
    await table.getByRole('link', { name: 'Dave Fabrikam' }).waitFor();
    await table.getByRole('link', { name: 'Alice Fabrikam' }).waitFor();

    await page.getByTestId('guests-state').selectOption('PendingAcceptance');
    await table.getByRole('link', { name: 'Dave Fabrikam' }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'Alice Fabrikam' }).waitFor();
    const pendingText = await table.innerText();
    assert.doesNotMatch(pendingText, /\bAccepted\b/);
    await shot('pending-guests');

    await page.getByTestId('guests-state').selectOption('Accepted');
    await table.getByRole('link', { name: 'Alice Fabrikam' }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'Dave Fabrikam' }).waitFor();
    assert.doesNotMatch(await table.innerText(), /Pending acceptance/);
  });

  test("resets an accepted guest's redemption to a new address", async () => {
    await openTab('guests');
    await page.getByTestId('guests-table').getByRole('link', { name: 'Dave Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Dave Fabrikam' }).waitFor();
    assert.match(await page.getByTestId('guest-state').innerText(), /Accepted/);

    const before = smtp.received.length;
    await page.getByTestId('reset-redemption').click();
    const dialog = page.getByTestId('reset-redemption-dialog');
    await dialog.getByLabel('New e-mail address').fill('dave at fabrikam');
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await page.getByTestId('reset-redemption-email-error').waitFor();
    await dialog.getByLabel('New e-mail address').fill('dave.new@fabrikam.example');
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await page.getByTestId('guest-outcome').waitFor();
    assert.match(await page.getByTestId('guest-redeem-url').inputValue(), /\/redeem\?tenant=/);
    await page.getByTestId('guest-state').getByText('Pending acceptance').waitFor();
    await shot('reset-redemption');

    const dave = await guestByMail('dave@fabrikam.example');
    assert.ok(dave, 'the same guest object');
    assert.equal(dave.externalUserState, 'PendingAcceptance');
    assert.ok(dave.otherMails.map((m) => m.toLowerCase()).includes('dave.new@fabrikam.example'), 'the new address is one of the guest\u2019s addresses');
    await mailTo(smtp.received, 'dave.new@fabrikam.example', before);
  });

  test('puts a domain on the deny list; an invitation to it then shows Graph\u2019s refusal in the form', async () => {
    await openTab('settings');
    const form = page.getByTestId('collaboration-form');
    await form.waitFor();
    // this tenant has no privacy contact: leaving is not on offer yet, and the page says why
    await page.getByTestId('leave-needs-privacy-contact').waitFor();

    await form.getByLabel('Deny invitations to the specified domains').check();
    const domain = form.getByLabel('Domain', { exact: true });
    await domain.fill('not a domain');
    await page.getByTestId('add-domain').click();
    await page.getByTestId('collaboration-domain-error').waitFor();
    await domain.fill('blocked.example');
    await domain.press('Enter');
    await page.getByTestId('collaboration-domains').getByText('blocked.example').waitFor();

    // switching to the allow list would discard the deny list: the page asks first, and Cancel keeps it
    await form.getByLabel('Allow invitations only to the specified domains (most restrictive)').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.ok(await form.getByLabel('Deny invitations to the specified domains').isChecked());

    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    await shot('deny-list');
    const settings = await h.container.invitations.externalSettings(scope());
    assert.deepEqual(settings.blockedDomains, ['blocked.example']);
    assert.deepEqual(settings.allowedDomains, []);

    await openTab('invite');
    const invite = page.getByTestId('invite-form');
    await invite.getByLabel('Email address').fill('eve@blocked.example');
    await invite.getByRole('button', { name: 'Invite', exact: true }).click();
    await invite.getByText(/blocked/).first().waitFor();
    assert.match(await invite.innerText(), /blocked\.example/);
    assert.equal(await page.getByTestId('invite-result').count(), 0);
    assert.equal(await guestByMail('eve@blocked.example'), null, 'nothing was created');
    await shot('denied-invite');
  });
}
