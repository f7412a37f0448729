import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFixture, csrfTokenIn } from './pages.fixture.tsx';

const langOf = (html: string) => /<html lang="(\w+)">/.exec(html)?.[1];

describe('page language', () => {
  test('ui_locales > tessera_lang cookie > Accept-Language > English', async () => {
    const { app } = await buildFixture();
    const page = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers }).then((r) => langOf(r.body));
    assert.equal(await page('/test/form?ui_locales=nl', { cookie: 'tessera_lang=en', 'accept-language': 'en' }), 'nl');
    assert.equal(await page('/test/form?ui_locales=fr%20en', { cookie: 'tessera_lang=nl' }), 'en');
    assert.equal(await page('/test/form', { cookie: 'tessera_lang=nl', 'accept-language': 'en-US,en;q=0.9' }), 'nl');
    assert.equal(await page('/test/form', { 'accept-language': 'en;q=0.4, nl-BE;q=0.6' }), 'nl');
    assert.equal(await page('/test/form', { 'accept-language': 'fr-FR' }), 'en');
    assert.equal(await page('/test/form'), 'en');
  });

  test('ui_locales in a form body sets the language of the response', async () => {
    const { app } = await buildFixture();
    const form = await app.inject({ url: '/test/form' });
    const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await app.inject({
      method: 'POST',
      url: '/test/form',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ csrf_token: csrfTokenIn(form.body), ui_locales: 'nl', username: '' }).toString(),
    });
    assert.equal(response.statusCode, 400);
    assert.equal(langOf(response.body), 'nl');
    assert.match(response.body, /Voer uw gebruikersnaam in\./);
  });

  test('a Dutch page is Dutch throughout', async () => {
    const { app } = await buildFixture();
    const { body } = await app.inject({ url: '/test/form', headers: { 'accept-language': 'nl' } });
    for (const text of ['<title>Aanmelden - Tessera</title>', '<h1>Aanmelden</h1>', 'E-mailadres of gebruikersnaam', 'Wachtwoord', 'Ik ben mijn wachtwoord vergeten', '>Terug</a>', 'aria-label="Taal"']) {
      assert.ok(body.includes(text), text);
    }
    assert.ok(!body.includes('Sign in'));
  });
});

describe('language switcher', () => {
  test('links to every other language and marks the current one', async () => {
    const { app } = await buildFixture();
    const { body } = await app.inject({ url: '/test/form?username=adele' });
    assert.match(body, /<li lang="en"><span aria-current="true">English<\/span><\/li>/);
    assert.match(body, /<li lang="nl"><a href="\/language\?lang=nl&amp;return=%2Ftest%2Fform%3Fusername%3Dadele" hrefLang="nl">Nederlands<\/a><\/li>/);
  });

  test('sets the tessera_lang cookie and returns to the same page, without a ui_locales that would override it', async () => {
    const { app } = await buildFixture();
    const response = await app.inject({ url: `/language?lang=nl&return=${encodeURIComponent('/test/form?ui_locales=en&username=adele')}` });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/test/form?username=adele');
    const cookie = response.cookies.find((c) => c.name === 'tessera_lang');
    assert.equal(cookie?.value, 'nl');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Lax');
    assert.ok((cookie?.maxAge ?? 0) > 30 * 24 * 3600, 'the choice is remembered');

    const next = await app.inject({ url: response.headers.location, headers: { cookie: `tessera_lang=${cookie?.value}` } });
    assert.equal(langOf(next.body), 'nl');
  });

  test('never redirects off-site', async () => {
    const { app } = await buildFixture();
    for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const response = await app.inject({ url: `/language?lang=nl&return=${encodeURIComponent(target)}` });
      assert.equal(response.headers.location, '/', target);
    }
  });

  test('refuses an unsupported language with an error page', async () => {
    const { app } = await buildFixture();
    const response = await app.inject({ url: '/language?lang=xx&return=/test/form' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.cookies.find((c) => c.name === 'tessera_lang'), undefined);
    assert.match(response.body, /The request was not valid\./);
  });
});
