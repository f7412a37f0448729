import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildFixture, type Fixture } from './pages.fixture.tsx';

/** Real-browser check of the page framework: layout at phone and desktop widths, keyboard use, CSP. */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(import.meta.dirname, '../../../test-artifacts/screenshots');

describe('pages in Chromium', { skip: existsSync(CHROMIUM) ? false : 'chromium not installed' }, () => {
  let browser: Browser;
  let fixture: Fixture;
  let origin: string;

  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    fixture = await buildFixture({ branding: { tenantName: 'Contoso', logoUrl: null, backgroundColor: '#1f3a5f' } });
    origin = await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await fixture?.app.close();
  });

  /** A fresh browser context (its own cookies) that fails the test on any CSP violation. */
  async function openPage(width: number, height: number): Promise<{ page: Page; violations: string[] }> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    return { page, violations };
  }

  // Browser-side expressions are strings: this project's TypeScript has no DOM types.
  const inBrowser = <T>(page: Page, expression: string) => page.evaluate<T>(expression);
  const focusedId = (page: Page) => inBrowser<string | null>(page, 'document.activeElement?.id ?? null');
  const focusOutline = (page: Page) => inBrowser<string>(page, "document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : 'none'");
  const scrollsSideways = (page: Page) => inBrowser<boolean>(page, 'document.documentElement.scrollWidth > window.innerWidth');

  test('desktop: a centred card; keyboard-only sign-in with error focus and CSRF', async () => {
    const { page, violations } = await openPage(1280, 800);
    await page.goto(`${origin}/test/form`);
    assert.equal(await focusedId(page), 'field-username', 'the first field has focus on load');

    const card = await page.locator('main').boundingBox();
    assert.ok(card && card.width <= 440 && Math.abs(card.x + card.width / 2 - 640) < 2, 'the card is centred and narrow');
    assert.equal(await inBrowser<string>(page, 'getComputedStyle(document.body).backgroundColor'), 'rgb(31, 58, 95)', 'the brand colour applies');

    // Tab in from the heading (clicking it moves the focus starting point there, focusing nothing).
    await page.locator('h1').click();
    assert.equal(await focusedId(page), '');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'field-username');
    assert.notEqual(await focusOutline(page), 'none', 'the focused field shows a focus ring');
    await page.screenshot({ path: join(SCREENSHOTS, 'pages-desktop.png') });

    // Submitting empty by keyboard shows the errors and focuses the first invalid field.
    await page.keyboard.press('Enter');
    await page.locator('[role="alert"]').waitFor();
    assert.equal(await focusedId(page), 'field-username');
    await page.screenshot({ path: join(SCREENSHOTS, 'pages-desktop-errors.png') });

    // Fill in by keyboard and tab to the primary button; its focus ring must show.
    await page.keyboard.type('adele@contoso.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse');
    await page.keyboard.press('Tab'); // "Forgot my password"
    await page.keyboard.press('Tab'); // "Back"
    await page.keyboard.press('Tab'); // "Sign in"
    assert.equal(await inBrowser<string>(page, 'document.activeElement?.textContent'), 'Sign in');
    assert.notEqual(await focusOutline(page), 'none');
    await page.screenshot({ path: join(SCREENSHOTS, 'pages-desktop-button-focus.png') });
    await page.keyboard.press('Enter');
    // Reaching the handler proves the CSRF cookie and token work in a real browser.
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    assert.equal(fixture.submissions.length, 1);
    assert.deepEqual(violations, []);
  });

  test('phone: full-width card, and the language switcher switches to Dutch on the same page', async () => {
    const { page, violations } = await openPage(390, 844);
    await page.goto(`${origin}/test/form`);
    const card = await page.locator('main').boundingBox();
    assert.equal(card?.width, 390, 'the card spans the phone screen');
    assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling');
    await page.screenshot({ path: join(SCREENSHOTS, 'pages-phone.png'), fullPage: true });

    await page.getByRole('link', { name: 'Nederlands' }).click();
    await page.waitForURL((url) => url.pathname === '/test/form');
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await page.screenshot({ path: join(SCREENSHOTS, 'pages-phone-nl.png'), fullPage: true });
    assert.deepEqual(violations, []);
  });

  test('a wide content page, on a desktop and a phone', async () => {
    for (const [name, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]] as const) {
      const { page, violations } = await openPage(width, height);
      await page.goto(`${origin}/test/profile`);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.getByRole('status').waitFor();
      assert.equal(await scrollsSideways(page), false);
      await page.screenshot({ path: join(SCREENSHOTS, `pages-wide-${name}.png`), fullPage: true });
      assert.deepEqual(violations, []);
    }
  });
});
