import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { ADMIN_CSP, adminPlugin } from './admin.plugin.ts';

const BASE_URL = 'https://id.example.test';
const CLIENT_ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const INDEX_HTML = '<!doctype html><title>Tessera admin center</title><div id="root"></div>';

async function appFor(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  // a trailing slash on the base URL must not double up in the generated URLs
  await app.register(adminPlugin, { baseUrl: `${BASE_URL}/`, adminClientId: CLIENT_ID, distDir });
  await app.ready();
  return app;
}

describe('adminPlugin with a build', () => {
  let root: string;
  let app: FastifyInstance;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tessera-admin-'));
    const dist = join(root, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), INDEX_HTML);
    await writeFile(join(dist, 'assets', 'index-Bx12aZ.js'), 'console.log("admin");');
    await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // a file beside the build that must never be reachable through /admin/
    await writeFile(join(root, 'secret.txt'), 'do not serve');
    app = await appFor(dist);
  });

  after(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  test('config.json tells the SPA where to sign in and which API to call, uncached', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/config.json' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.deepEqual(response.json(), {
      clientId: CLIENT_ID,
      authorizeUrl: `${BASE_URL}/organizations/oauth2/v2.0/authorize`,
      scopes: `openid profile offline_access ${BASE_URL}/.default`,
      redirectUri: `${BASE_URL}/admin/`,
      graphBaseUrl: `${BASE_URL}/v1.0`,
      postLogoutRedirectUri: `${BASE_URL}/admin/`,
    });
  });

  test('hashed assets are cached immutably', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/assets/index-Bx12aZ.js' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, 'console.log("admin");');
    assert.match(String(response.headers['content-type']), /javascript/);
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  test('unhashed files are revalidated', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/favicon.svg' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-cache');
  });

  test('index.html is served at /admin/ with no-cache and the strict CSP', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, INDEX_HTML);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['content-security-policy'], ADMIN_CSP);
    for (const directive of ["default-src 'self'", "connect-src 'self'", "img-src 'self' https: data:", "frame-ancestors 'none'"]) {
      assert.ok(ADMIN_CSP.includes(directive), directive);
    }
  });

  test('deep links fall back to index.html for the client-side router', async () => {
    for (const url of ['/admin/users', '/admin/users/6a1f0c2e-1111-4222-8333-944455556666', '/admin/groups/new?from=x']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, INDEX_HTML, url);
      assert.equal(response.headers['cache-control'], 'no-cache', url);
    }
  });

  test('a missing asset is a 404, not the SPA shell', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/assets/index-gone.js' });
    assert.equal(response.statusCode, 404);
    assert.notEqual(response.body, INDEX_HTML);
  });

  test('/admin redirects to /admin/ so relative asset URLs resolve', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin' });
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, '/admin/');
  });

  test('works beside another @fastify/static registration in an enclosing scope', async () => {
    const outer = Fastify();
    await outer.register(fastifyStatic, { root, serve: false });
    await outer.register(adminPlugin, { baseUrl: BASE_URL, adminClientId: CLIENT_ID, distDir: join(root, 'dist') });
    try {
      const page = await outer.inject({ method: 'GET', url: '/admin/groups' });
      assert.equal(page.body, INDEX_HTML);
      const asset = await outer.inject({ method: 'GET', url: '/admin/assets/index-Bx12aZ.js' });
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    } finally {
      await outer.close();
    }
  });

  test('paths that climb out of the build folder never reach other files', async () => {
    for (const url of ['/admin/../secret.txt', '/admin/%2e%2e/secret.txt', '/admin/assets/%2e%2e/%2e%2e/secret.txt']) {
      const response = await app.inject({ method: 'GET', url });
      assert.ok(!response.body.includes('do not serve'), url);
    }
  });
});

describe('adminPlugin without a build', () => {
  let root: string;
  let app: FastifyInstance;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tessera-admin-missing-'));
    app = await appFor(join(root, 'dist'));
  });

  after(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  test('pages answer 503 with a plain message saying how to build', async () => {
    for (const url of ['/admin/', '/admin/users', '/admin/assets/index-Bx12aZ.js']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 503, url);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      assert.match(response.body, /npm run build/);
    }
  });

  test('config.json is still served', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/config.json' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().clientId, CLIENT_ID);
  });

  test('a build made while the server runs is picked up without a restart', async () => {
    const dist = join(root, 'dist');
    await mkdir(dist, { recursive: true });
    await writeFile(join(dist, 'index.html'), INDEX_HTML);
    const response = await app.inject({ method: 'GET', url: '/admin/' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, INDEX_HTML);
  });
});
