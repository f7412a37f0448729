import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFixture, csrfTokenIn } from './pages.fixture.tsx';

/** GETs the form; returns its token and the `name=value` of the CSRF cookie it was issued with. */
async function openForm(app: Awaited<ReturnType<typeof buildFixture>>['app'], headers: Record<string, string> = {}) {
  const response = await app.inject({ url: '/test/form', headers });
  const cookie = response.cookies.find((c) => c.name.endsWith('tessera_csrf'));
  assert.ok(cookie, 'the form page issues a CSRF cookie');
  return { token: csrfTokenIn(response.body), cookie, response };
}

function post(app: Awaited<ReturnType<typeof buildFixture>>['app'], fields: Record<string, string>, cookie?: string) {
  return app.inject({
    method: 'POST',
    url: '/test/form',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    payload: new URLSearchParams(fields).toString(),
  });
}

describe('CSRF protection', () => {
  test('a form page carries a token and sets an HttpOnly SameSite=Lax cookie for it', async () => {
    const { app } = await buildFixture();
    const { token, cookie } = await openForm(app);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(cookie.name, 'tessera_csrf');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    assert.notEqual(cookie.value, token, 'the token is derived from the cookie, not a copy of it');
  });

  test('over HTTPS the cookie is __Host- prefixed and Secure', async () => {
    const { app } = await buildFixture();
    // A forwarded protocol counts only behind a trusted proxy; a spoofed header changes nothing.
    const response = await app.inject({ url: '/test/form', headers: { 'x-forwarded-proto': 'https' } });
    assert.ok(response.cookies.some((c) => c.name === 'tessera_csrf'), 'without trustProxy the request is plain HTTP');

    const { app: behindProxy } = await buildFixture({ trustProxy: true });
    const secure = await behindProxy.inject({ url: '/test/form', headers: { 'x-forwarded-proto': 'https' } });
    const cookie = secure.cookies.find((c) => c.name === '__Host-tessera_csrf');
    assert.ok(cookie, 'HTTPS requests get the __Host- cookie');
    assert.equal(cookie.secure, true);
    assert.equal(cookie.path, '/');
    assert.equal(cookie.domain, undefined);
  });

  test('a returning browser keeps its cookie and gets the same token', async () => {
    const { app } = await buildFixture();
    const first = await openForm(app);
    const again = await app.inject({ url: '/test/form', headers: { cookie: `${first.cookie.name}=${first.cookie.value}` } });
    assert.equal(csrfTokenIn(again.body), first.token);
    assert.equal(again.headers['set-cookie'], undefined, 'no new cookie while the old one is valid');
  });

  test('a POST with a valid token reaches the handler', async () => {
    const { app, submissions } = await buildFixture();
    const { token, cookie } = await openForm(app);
    const response = await post(app, { csrf_token: token, username: 'adele', password: 'pw' }, `${cookie.name}=${cookie.value}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /You have signed out/);
    assert.equal(submissions.length, 1);
  });

  test('a POST without a token gets a 403 page and changes nothing', async () => {
    const { app, submissions } = await buildFixture();
    const { cookie } = await openForm(app);
    const response = await post(app, { username: 'adele', password: 'pw' }, `${cookie.name}=${cookie.value}`);
    assert.equal(response.statusCode, 403);
    assert.match(response.headers['content-type'] as string, /^text\/html; charset=utf-8/);
    assert.match(response.body, /Something went wrong/);
    assert.match(response.body, /this form could not be sent/);
    assert.match(response.body, /<a href="\/test\/form">Go back<\/a>/, 'offers to reload the form');
    assert.deepEqual(submissions, []);
  });

  test('a POST without a cookie gets a 403 page, even with a token from another browser', async () => {
    const { app, submissions } = await buildFixture();
    const { token } = await openForm(app);
    const response = await post(app, { csrf_token: token, username: 'adele', password: 'pw' });
    assert.equal(response.statusCode, 403);
    assert.deepEqual(submissions, []);
  });

  test("a token from another browser's cookie is refused", async () => {
    const { app, submissions } = await buildFixture();
    const victim = await openForm(app);
    const attacker = await openForm(app);
    const response = await post(app, { csrf_token: attacker.token, username: 'adele', password: 'pw' }, `${victim.cookie.name}=${victim.cookie.value}`);
    assert.equal(response.statusCode, 403);
    assert.deepEqual(submissions, []);
  });

  test('a token made with another server secret is refused', async () => {
    const { app, submissions } = await buildFixture();
    const { app: otherServer } = await buildFixture({ secret: 'a-different-secret-for-another-server' });
    const { cookie } = await openForm(app);
    const forged = await otherServer.inject({ url: '/test/form', headers: { cookie: `${cookie.name}=${cookie.value}` } });
    const response = await post(app, { csrf_token: csrfTokenIn(forged.body), username: 'a', password: 'b' }, `${cookie.name}=${cookie.value}`);
    assert.equal(response.statusCode, 403);
    assert.deepEqual(submissions, []);
  });

  test('the 403 page is localized', async () => {
    const { app, submissions } = await buildFixture();
    const response = await app.inject({
      method: 'POST',
      url: '/test/form',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'nl-NL,nl;q=0.9' },
      payload: 'username=a&password=b',
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /<html lang="nl">/);
    assert.match(response.body, /Er is iets misgegaan/);
    assert.match(response.body, /Om veiligheidsredenen/);
    assert.deepEqual(submissions, []);
  });

  test('a POST route without verifyCsrf is refused when the app starts', async () => {
    const unprotected = buildFixture({
      extraRoutes: (pages) => {
        pages.post('/test/unprotected', async () => 'oops');
      },
    });
    await assert.rejects(unprotected, /POST \/test\/unprotected must verify its CSRF token/);
  });
});
