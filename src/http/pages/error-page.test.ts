import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../kernel/errors.ts';
import { buildFixture } from './pages.fixture.tsx';

const nl = { 'accept-language': 'nl' };

describe('error pages', () => {
  const cases = [
    { kind: 'badRequest', status: 400, en: 'Domain says &lt;b&gt;badRequest&lt;/b&gt;', nl: 'Domain says &lt;b&gt;badRequest&lt;/b&gt;' },
    { kind: 'unauthenticated', status: 401, en: 'Sign in to continue.', nl: 'Meld u aan om door te gaan.' },
    { kind: 'forbidden', status: 403, en: 'You don&#x27;t have permission to do this.', nl: 'U hebt geen toestemming om dit te doen.' },
    { kind: 'notFound', status: 404, en: 'The page you&#x27;re looking for doesn&#x27;t exist or has been removed.', nl: 'De pagina die u zoekt bestaat niet of is verwijderd.' },
    { kind: 'conflict', status: 409, en: 'Domain says &lt;b&gt;conflict&lt;/b&gt;', nl: 'Domain says &lt;b&gt;conflict&lt;/b&gt;' },
    { kind: 'throttled', status: 429, en: 'Too many requests. Try again in a minute.', nl: 'Te veel aanvragen. Probeer het over een minuut opnieuw.' },
    { kind: 'unavailable', status: 503, en: 'The service is temporarily unavailable. Try again in a few minutes.', nl: 'De service is tijdelijk niet beschikbaar. Probeer het over een paar minuten opnieuw.' },
    { kind: 'internal', status: 500, en: 'An unexpected error occurred. Try again later.', nl: 'Er is een onverwachte fout opgetreden. Probeer het later opnieuw.' },
  ] as const;

  for (const { kind, status, en, nl: dutch } of cases) {
    test(`AppError ${kind} -> ${status}, in English and Dutch`, async () => {
      const { app } = await buildFixture();
      const english = await app.inject({ url: `/test/throw/${kind}` });
      assert.equal(english.statusCode, status);
      assert.equal(english.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(english.headers['cache-control'], 'no-store');
      assert.ok(english.body.includes('<h1>Something went wrong</h1>'));
      assert.ok(english.body.includes(`<p>${en}</p>`), english.body);

      const inDutch = await app.inject({ url: `/test/throw/${kind}`, headers: nl });
      assert.equal(inDutch.statusCode, status);
      assert.ok(inDutch.body.includes('<h1>Er is iets misgegaan</h1>'));
      assert.ok(inDutch.body.includes(`<p>${dutch}</p>`), inDutch.body);
    });
  }

  test('an unexpected error is a generic 500 with the request id, and reveals nothing', async () => {
    const { app } = await buildFixture();
    const response = await app.inject({ url: '/test/crash' });
    assert.equal(response.statusCode, 500);
    assert.match(response.body, /An unexpected error occurred/);
    assert.match(response.body, /<p class="request-id">Request ID: req-[\w-]+<\/p>/);
    assert.ok(!response.body.includes('hunter2'));
    assert.ok(!response.body.includes('pages.fixture'), 'no stack');
  });

  test("Fastify's own client errors keep their status with a generic message", async () => {
    const { app } = await buildFixture();
    const response = await app.inject({ method: 'POST', url: '/test/form', headers: { 'content-type': 'application/x-unknown' }, payload: 'x' });
    assert.equal(response.statusCode, 415);
    assert.match(response.body, /The request was not valid\./);
  });

  test('a failure in an earlier hook still gets a localized page', async () => {
    const { app } = await buildFixture({
      rootHooks: (root) =>
        root.addHook('onRequest', async (request) => {
          if (request.url === '/test/form') throw new AppError('throttled', 'test.throttled', 'slow down');
        }),
    });
    const response = await app.inject({ url: '/test/form', headers: { cookie: 'tessera_lang=nl' } });
    assert.equal(response.statusCode, 429);
    assert.match(response.body, /<html lang="nl">/, 'the language cookie is still read');
    assert.match(response.body, /Te veel aanvragen/);
    assert.equal(response.headers['set-cookie'], undefined, "the browser's CSRF cookie is left alone");
  });
});
