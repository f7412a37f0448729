import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { chromiumMissing, launchChromium, screenshot } from '../helpers/browser.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { testTls } from '../helpers/tls.ts';

/**
 * My Account in Chromium, in Dutch: home-realm discovery, the tenant's sign-in pages, the profile
 * (on a desktop and on a phone), and "Sign out everywhere". No page runs script, so this is what
 * a user without JavaScript gets too. Screenshots go to test-artifacts/screenshots/.
 */
const tls = testTls();

describe('My Account in Chromium (Dutch)', { skip: chromiumMissing }, () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  const password = 'Lidia!Passw0rd';
  let upn: string;

  before(async () => {
    h = await createHarness('sqlite', { listen: true, ...(tls ? { config: { tls: { cert: tls.cert, key: tls.key } } } : {}) });
    base = h.container.config.baseUrl;
    upn = `lidia@${h.tenant.domain}`;
    const scope = tenantScope(h.tenant.id);
    const system = { kind: 'system' as const, tenantId: h.tenant.id };
    await h.container.users.createMember(scope, system, {
      userPrincipalName: upn,
      displayName: 'Lidia Holloway',
      mailNickname: 'lidia',
      mail: upn,
      accountEnabled: true,
      password,
      jobTitle: 'Productmanager',
      department: 'Retail',
      officeLocation: 'Utrecht',
    });
    await h.container.tenants.updateBranding(scope, system, { backgroundColor: '#0f5132' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('a user signs in to /myaccount in Dutch, sees their profile and signs out everywhere', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'nl-NL', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/myaccount?ui_locales=nl`);
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await screenshot(page, 'myaccount-nl-1-sign-in-name');
    await page.getByLabel('E-mailadres of gebruikersnaam').fill(upn);
    await page.getByRole('button', { name: 'Volgende' }).click();
    // the tenant's own sign-in page may ask to confirm the name it was given
    const passwordField = page.getByLabel('Wachtwoord');
    const next = page.getByRole('button', { name: 'Volgende' });
    await passwordField.or(next).first().waitFor();
    if (await next.isVisible()) await next.click();
    await passwordField.fill(password);
    await screenshot(page, 'myaccount-nl-2-password');
    await page.getByRole('button', { name: 'Aanmelden' }).click();

    await page.getByRole('heading', { name: 'Mijn account' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/myaccount');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    const profile = page.getByRole('region', { name: 'Profiel' });
    for (const text of ['Lidia Holloway', upn, 'Productmanager', 'Retail', 'Utrecht', 'Contoso']) await profile.getByText(text, { exact: true }).first().waitFor();
    await screenshot(page, 'myaccount-nl-3-profile');

    // the same page on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'myaccount-nl-4-profile-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Overal afmelden' }).click();
    await page.getByRole('heading', { name: 'U bent bij alle sessies afgemeld' }).waitFor();
    await screenshot(page, 'myaccount-nl-5-signed-out-everywhere');

    // back to My Account means signing in again
    await page.getByRole('link', { name: 'Opnieuw aanmelden' }).click();
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await context.close();
  });
});
