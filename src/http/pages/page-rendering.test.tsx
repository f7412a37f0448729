import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { pagesPlugin } from './index.ts';
import { buildFixture, csrfTokenIn, TEST_SECRET } from './pages.fixture.tsx';

const HOSTILE = '"><script>alert(1)</script>';

async function postForm(fields: Record<string, string>) {
  const { app } = await buildFixture();
  const form = await app.inject({ url: '/test/form' });
  const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return app.inject({
    method: 'POST',
    url: '/test/form',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ csrf_token: csrfTokenIn(form.body), ...fields }).toString(),
  });
}

describe('page rendering', () => {
  test('a page is a complete, responsive HTML document', async () => {
    const { app } = await buildFixture();
    const { body, statusCode } = await app.inject({ url: '/test/form' });
    assert.equal(statusCode, 200);
    assert.ok(body.startsWith('<!doctype html><html lang="en"><head><meta charSet="utf-8"/>'));
    assert.match(body, /<meta name="viewport" content="width=device-width, initial-scale=1"\/>/);
    assert.match(body, /<title>Sign in - Tessera<\/title>/);
    assert.match(body, /<link rel="stylesheet" href="\/assets\/pages\.css\?v=[0-9a-f]{12}"\/>/);
    assert.ok(!/<script/i.test(body), 'no client JavaScript');
  });

  test('security headers', async () => {
    const { app } = await buildFixture();
    const { headers } = await app.inject({ url: '/test/form' });
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(headers['cache-control'], 'no-store');
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    const csp = String(headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'none'", "img-src 'self' https: data:", "style-src 'self'", "form-action 'self' http://localhost", "frame-ancestors 'none'", "base-uri 'none'"]) {
      assert.ok(csp.split('; ').includes(directive), directive);
    }
  });

  test('the stylesheet is served with a long cache life', async () => {
    const { app } = await buildFixture();
    const response = await app.inject({ url: '/assets/pages.css?v=whatever' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
    assert.match(String(response.headers['cache-control']), /max-age=31536000, immutable/);
    assert.match(response.body, /:focus-visible/);
  });

  test('hostile values are escaped: tenant name, query value, posted value', async () => {
    const { app } = await buildFixture({ branding: { tenantName: `Contoso${HOSTILE}`, logoUrl: null, backgroundColor: null } });
    const { body } = await app.inject({ url: `/test/form?username=${encodeURIComponent(HOSTILE)}` });
    assert.ok(!body.includes('<script>'));
    assert.ok(body.includes('<title>Sign in - Contoso&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>'));
    assert.ok(body.includes('<p class="brand-name">Contoso&quot;&gt;&lt;script&gt;'));
    assert.ok(body.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));

    const reposted = await postForm({ username: HOSTILE, password: '' });
    assert.ok(!reposted.body.includes('<script>'));
    assert.ok(reposted.body.includes('value="&quot;&gt;&lt;script&gt;'));
  });

  test('a password is never echoed back', async () => {
    const response = await postForm({ username: '', password: 'hunter2' });
    assert.ok(!response.body.includes('hunter2'));
  });
});

describe('content components', () => {
  test('a wide page with sections, a description list and a status message', async () => {
    const { app } = await buildFixture();
    const { body } = await app.inject({ url: '/test/profile?signedOut', headers: { 'accept-language': 'nl' } });
    assert.match(body, /<main class="card card--wide">/);
    assert.match(body, /<div class="alert alert--success" role="status">U bent bij alle sessies afgemeld<\/div>/);
    const sections = [...body.matchAll(/<section class="section" aria-labelledby="([^"]+)"><h2 id="([^"]+)">([^<]+)<\/h2>/g)];
    assert.deepEqual(sections.map((match) => match[3]), ['Profiel', 'Sessies']);
    for (const [, labelledBy, id] of sections) assert.equal(labelledBy, id);
    assert.notEqual(sections[0]?.[1], sections[1]?.[1], 'each heading has its own id');
    assert.match(body, /<dl class="details"><div><dt>Naam<\/dt><dd>Adele Vance<\/dd><\/div>/);
  });

  test('a form with an action posts there, with its CSRF token', async () => {
    const { app } = await buildFixture();
    const page = await app.inject({ url: '/test/profile' });
    assert.match(page.body, /<form class="form" noValidate="" action="\/test\/profile\/sign-out-everywhere" method="post"><input type="hidden" name="csrf_token"/);
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await app.inject({
      method: 'POST',
      url: '/test/profile/sign-out-everywhere',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: `csrf_token=${csrfTokenIn(page.body)}`,
    });
    assert.equal(response.statusCode, 303);
  });
});

describe('branding', () => {
  test('a valid background colour is applied through a style the CSP allows by hash', async () => {
    const { app } = await buildFixture({ branding: { tenantName: 'Contoso', logoUrl: 'https://cdn.contoso.com/logo.png', backgroundColor: '#1F3A5F' } });
    const { body, headers } = await app.inject({ url: '/test/form' });
    const css = /<style>([^<]*)<\/style>/.exec(body)?.[1];
    assert.equal(css, ':root{--page-bg:#1f3a5f;--page-fg:#ffffff}');
    const hash = createHash('sha256').update(css).digest('base64');
    assert.match(String(headers['content-security-policy']), new RegExp(`style-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    assert.match(body, /<img class="brand-logo" src="https:\/\/cdn\.contoso\.com\/logo\.png" alt="Contoso"\/>/);
  });

  test('a hostile colour or logo is ignored', async () => {
    const { app } = await buildFixture({ branding: { tenantName: 'Contoso', logoUrl: 'javascript:alert(1)', backgroundColor: 'red;}body{background:url(https://evil)}' } });
    const { body, headers } = await app.inject({ url: '/test/form' });
    assert.ok(!body.includes('<style>'));
    assert.ok(!body.includes('evil'));
    assert.ok(!body.includes('javascript:'));
    assert.match(body, /<p class="brand-name">Contoso<\/p>/);
    assert.match(String(headers['content-security-policy']), /style-src 'self';/);
  });

  test('a failing branding lookup still renders the page, unbranded', async () => {
    const app = Fastify({ logger: false });
    await app.register(async (pages) => {
      await pages.register(pagesPlugin, {
        secret: TEST_SECRET,
        baseUrl: 'http://localhost',
        resolveBranding: async () => {
          throw new Error('database down');
        },
      });
      pages.get('/x', async (_request, reply) => reply.page(<p>ok</p>, { title: 'X' }));
    });
    const response = await app.inject({ url: '/x' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<p class="brand-name">Tessera<\/p>/);
  });
});

describe('form accessibility', () => {
  test('every input has a label', async () => {
    const { app } = await buildFixture();
    const { body } = await app.inject({ url: '/test/form' });
    const ids = [...body.matchAll(/<input[^>]* id="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(ids, ['field-username', 'field-password']);
    for (const id of ids) assert.ok(body.includes(`<label class="field-label" for="${id}">`), id);
  });

  test('without errors, the field that asks for it gets focus', async () => {
    const { app } = await buildFixture();
    const { body } = await app.inject({ url: '/test/form' });
    assert.equal(body.match(/autofocus=""/g)?.length, 1);
    assert.match(body, /<input[^>]*id="field-username"[^>]*autofocus=""/);
  });

  test('errors are summarized in an alert, linked to their fields, and the first invalid field gets focus', async () => {
    const { body, statusCode } = await postForm({ username: '', password: '' });
    assert.equal(statusCode, 400);
    assert.match(body, /<div class="alert alert--error" role="alert"><strong class="alert-title">There is a problem<\/strong><ul><li><a href="#field-username">Please enter your username\.<\/a><\/li><li><a href="#field-password">Please enter your password\.<\/a><\/li><\/ul><\/div>/);
    for (const name of ['username', 'password']) {
      const input = new RegExp(`<input[^>]*id="field-${name}"[^>]*>`).exec(body)?.[0] ?? '';
      assert.match(input, new RegExp(`aria-describedby="field-${name}-error"`));
      assert.match(input, /aria-invalid="true"/);
      assert.match(body, new RegExp(`<p class="field-error" id="field-${name}-error"><span class="visually-hidden">Error: </span>`));
    }
    assert.equal(body.match(/autofocus=""/g)?.length, 1);
    assert.match(body, /<input[^>]*id="field-username"[^>]*autofocus=""/);
  });

  test('focus goes to the first invalid field, not the first field', async () => {
    const { body } = await postForm({ username: 'adele', password: '' });
    assert.equal(body.match(/autofocus=""/g)?.length, 1);
    assert.match(body, /<input[^>]*id="field-password"[^>]*autofocus=""/);
    assert.doesNotMatch(/<input[^>]*id="field-username"[^>]*>/.exec(body)?.[0] ?? '', /aria-invalid/);
  });
});

describe('pagesPlugin registration', () => {
  test('reuses cookie and form-body support the app already has, and stays inside its scope', async () => {
    const app = Fastify({ logger: false });
    await app.register(fastifyCookie);
    await app.register(fastifyFormbody);
    app.get('/api', async () => {
      throw new Error('boom');
    });
    await app.register(async (pages) => {
      await pages.register(pagesPlugin, { secret: TEST_SECRET, baseUrl: 'http://localhost' });
      pages.get('/page', async (request, reply) => reply.page(<p>{request.t('signIn.next')}</p>, { title: 'X' }));
    });
    await app.ready();
    assert.equal((await app.inject({ url: '/page' })).statusCode, 200);
    assert.equal(app.hasReplyDecorator('page'), false, 'reply.page does not leak out of the pages scope');
    const api = await app.inject({ url: '/api' });
    assert.equal(api.headers['content-type'], 'application/json; charset=utf-8', 'the error handler does not leak either');
  });

  test('refuses a short secret', async () => {
    const app = Fastify({ logger: false });
    app.register(pagesPlugin, { secret: 'short', baseUrl: 'http://localhost' });
    await assert.rejects(async () => app.ready(), /at least 16 characters/);
  });
});
