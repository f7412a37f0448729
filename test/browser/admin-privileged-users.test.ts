import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';

/**
 * Issue #13, item 1, admin center: the signed-in administrator is not offered delete or disable on
 * their own account nor on the tenant's last enabled Global Administrator, and deleting or disabling
 * another administrator asks them to type that administrator's name first (Entra's typed confirmation).
 * One browser for every database dialect, one session and sign-in each; the API's own refusals are
 * tested on the server side.
 */
const tls = testTls();
const skip = chromiumMissing || (tls ? false : 'no test TLS certificate (run through npm test)');
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Email or username').fill(username);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the page has decided which actions it offers (the note says why some are not). */
async function actionsNote(page: Page): Promise<string> {
  const note = page.getByTestId('user-actions-note');
  await note.waitFor({ timeout: 10_000 });
  return note.innerText();
}

describe('admin center guards privileged users, in Chromium', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const dialect of testDialects) {
    describe(dialect, () => privilegedUserPages(() => browser, dialect));
  }
});

function privilegedUserPages(browserOf: () => Browser, dialect: (typeof testDialects)[number]): void {
  let h: Harness;
  let base: string;

  before(async () => {
    h = await createHarness(dialect, { listen: true, config: { tls: { cert: tls!.cert, key: tls!.key } } });
    base = h.container.config.baseUrl;
  });
  after(async () => {
    await h?.close();
  });

  /** A second Global Administrator, created and assigned through Graph as the first one. */
  async function createGlobalAdministrator(): Promise<{ id: string; upn: string }> {
    const headers = { authorization: `Bearer ${h.tenant.adminToken}` };
    const upn = `alex@${h.tenant.domain}`;
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1.0/users',
      headers,
      payload: { accountEnabled: true, displayName: 'Alex Wilber', mailNickname: 'alex', userPrincipalName: upn, passwordProfile: { password: 'Alex!Passw0rd-1' } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json<{ id: string }>().id;
    const role = await h.app.inject({ method: 'GET', url: `/v1.0/directoryRoles(roleTemplateId='${GLOBAL_ADMINISTRATOR}')`, headers });
    assert.equal(role.statusCode, 200, role.body);
    const assigned = await h.app.inject({
      method: 'POST',
      url: `/v1.0/directoryRoles/${role.json<{ id: string }>().id}/members/$ref`,
      headers,
      payload: { '@odata.id': `${base}/v1.0/directoryObjects/${id}` },
    });
    assert.equal(assigned.statusCode, 204, assigned.body);
    return { id, upn };
  }

  test('no delete or disable on oneself or the last Global Administrator; typed confirmation for another one', async () => {
    const alex = await createGlobalAdministrator();
    const context = await browserOf().newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    // own user page, straight after sign-in: neither action, and the page says why
    await page.goto(`${base}/admin/users/${h.tenant.adminId}`);
    await signIn(page, `admin@${h.tenant.domain}`, 'Admin-Passw0rd!');
    const ownNote = await actionsNote(page);
    assert.match(ownNote, /You can't delete or disable your own account\./);
    assert.doesNotMatch(ownNote, /only enabled Global Administrator/, 'a second Global Administrator exists');
    assert.equal(await page.getByTestId('delete-user').count(), 0);
    assert.equal(await page.getByTestId('toggle-account').count(), 0);
    await screenshot(page, `admin-own-user-guarded-${dialect}`);

    // another Global Administrator: both actions, each behind a typed confirmation
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').getByRole('link', { name: 'Alex Wilber' }).click();
    await page.getByTestId('delete-user').waitFor();
    assert.match(await actionsNote(page), /Alex Wilber holds an administrator role/);

    await page.getByTestId('toggle-account').click();
    const dialog = page.getByTestId('confirm-dialog');
    const disable = dialog.getByRole('button', { name: 'Disable', exact: true });
    assert.equal(await disable.isDisabled(), true, 'nothing typed yet');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('delete-user').click();
    const remove = dialog.getByRole('button', { name: 'Delete', exact: true });
    const typed = dialog.getByLabel(/^Type the user principal name or display name/);
    // the typing field has the focus, so a keyboard user just types
    assert.equal(await page.evaluate('document.activeElement.id'), await typed.getAttribute('id'));
    assert.equal(await remove.isDisabled(), true, 'nothing typed yet');
    await page.keyboard.type('Alex');
    assert.equal(await remove.isDisabled(), true, 'a prefix of the name is not the name');
    await page.keyboard.press('Enter');
    assert.ok(await h.container.users.find(tenantScope(h.tenant.id), alex.upn), 'Enter does not confirm before the name matches');
    await typed.fill(`${alex.upn}x`);
    assert.equal(await remove.isDisabled(), true);
    await typed.fill(alex.upn);
    assert.equal(await remove.isDisabled(), false);
    await screenshot(page, `admin-delete-admin-typed-confirmation-${dialect}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('notice').waitFor();
    assert.equal(await h.container.users.find(tenantScope(h.tenant.id), alex.upn), undefined, 'Alex was deleted');

    // now the signed-in administrator is the only enabled Global Administrator left
    await page.getByTestId('users-table').getByRole('link', { name: 'Administrator', exact: true }).click();
    const lastNote = await actionsNote(page);
    assert.match(lastNote, /This is the only enabled Global Administrator; assign another one first\./);
    assert.equal(await page.getByTestId('delete-user').count(), 0);
    assert.equal(await page.getByTestId('toggle-account').count(), 0);
    await screenshot(page, `admin-last-global-admin-guarded-${dialect}`);
    await context.close();
  });
}
