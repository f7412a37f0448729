import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PAGE_FORM_BODY_LIMIT } from './form-body.ts';
import { buildFixture, csrfTokenIn } from './pages.fixture.tsx';

/**
 * Issue 13 item 4 for forms: a page's form body never carries `__proto__`, `constructor` or
 * `prototype` to a handler (400, the handler does not run), and form bodies have a size limit.
 */
async function openForm() {
  const fixture = await buildFixture();
  const page = await fixture.app.inject({ url: '/test/form' });
  const cookie = page.cookies.find((c) => c.name.endsWith('tessera_csrf'))!;
  return { ...fixture, token: csrfTokenIn(page.body), cookie: `${cookie.name}=${cookie.value}` };
}

function post(app: Awaited<ReturnType<typeof buildFixture>>['app'], payload: string, cookie: string) {
  return app.inject({ method: 'POST', url: '/test/form', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload });
}

describe('page forms', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    test(`a form field named '${key}' is refused before the handler (400 page)`, async () => {
      const { app, token, cookie, submissions } = await openForm();
      for (const payload of [
        `csrf_token=${token}&username=adele&password=pw&${key}=x`,
        `${encodeURIComponent(key)}=x&csrf_token=${token}&username=adele&password=pw`,
        `csrf_token=${token}&username=adele&password=pw&${key}=a&${key}=b`,
      ]) {
        const response = await post(app, payload, cookie);
        assert.equal(response.statusCode, 400, payload);
        assert.match(response.headers['content-type'] as string, /text\/html/);
        assert.match(response.body, new RegExp(`The name (&#x27;|')${key}(&#x27;|') is not allowed in the form`));
      }
      assert.deepEqual(submissions, [], 'the handler never ran');
    });
  }

  test('an ordinary form still parses into a null-prototype object', async () => {
    const { app, token, cookie, submissions } = await openForm();
    const response = await post(app, `csrf_token=${token}&username=adele%40contoso.example&password=a+b&password=c`, cookie);
    assert.equal(response.statusCode, 200);
    assert.equal(submissions.length, 1);
    const [body] = submissions as Record<string, unknown>[];
    assert.equal(Object.getPrototypeOf(body), null);
    assert.equal(body!.username, 'adele@contoso.example');
    assert.deepEqual(body!.password, ['a b', 'c']);
  });

  test(`a form body over ${PAGE_FORM_BODY_LIMIT} bytes is refused (413) before it is parsed`, async () => {
    const { app, token, cookie, submissions } = await openForm();
    const response = await post(app, `csrf_token=${token}&username=adele&password=${'p'.repeat(PAGE_FORM_BODY_LIMIT)}`, cookie);
    assert.equal(response.statusCode, 413);
    assert.deepEqual(submissions, []);
  });
});
