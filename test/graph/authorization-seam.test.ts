import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * "No Graph route is ever served without the authorization hook": every route under /v1.0 and
 * /beta, called without a token, answers 401 InvalidAuthenticationToken, and with a token that
 * carries no permission, 403 (or the 400/404 of input checked after authorization never runs).
 */
describe('the Graph authorization seam covers every route', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness('sqlite');
  });
  after(() => h.close());

  const graphRoutes = () => {
    // printRoutes draws the radix tree: each line is a path fragment at a depth of 4 characters
    // per level, optionally followed by its methods; joining fragments down the tree gives the path.
    const routes: { method: string; url: string }[] = [];
    const stack: string[] = [];
    for (const line of h.app.printRoutes().split('\n')) {
      const match = /^([│ ]*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
      if (!match) continue;
      const depth = match[1]!.length / 4;
      stack.length = depth;
      stack.push(match[2]!);
      const url = stack.join('');
      if (!match[3] || !/^\/(v1\.0|beta)\//.test(url)) continue;
      for (const method of match[3].split(', ')) {
        if (method === 'HEAD') continue;
        routes.push({ method, url: url.replace(/:[A-Za-z]+/g, '3f2504e0-4f89-11d3-9a0c-0305e82c3301') });
      }
    }
    return routes;
  };

  test('the route list is complete enough to mean something', () => {
    const urls = graphRoutes().map((r) => `${r.method} ${r.url}`);
    assert.ok(urls.length >= 40, urls.join('\n'));
    assert.ok(urls.includes('POST /v1.0/$batch'));
  });

  test('without a token: 401 InvalidAuthenticationToken everywhere', async () => {
    for (const route of graphRoutes()) {
      const response = await h.app.inject({ method: route.method as 'GET', url: route.url, headers: { 'content-type': 'application/json' }, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}' });
      assert.equal(response.statusCode, 401, `${route.method} ${route.url}: ${response.body}`);
      assert.equal(response.json().error.code, 'InvalidAuthenticationToken', `${route.method} ${route.url}`);
    }
  });

  test('with a token that grants nothing: 403 everywhere but $batch', async () => {
    const token = h.tokens.user(h.tenant.id, h.tenant.adminId, []);
    for (const route of graphRoutes()) {
      if (route.url.endsWith('$batch')) continue;
      const response = await h.app.inject({ method: route.method as 'GET', url: route.url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}' });
      assert.equal(response.statusCode, 403, `${route.method} ${route.url}: ${response.body}`);
      assert.equal(response.json().error.code, 'Authorization_RequestDenied');
    }
  });
});
