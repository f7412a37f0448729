import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { parseForm } from '../helpers/form-client.ts';
import { authorizeUrl, pkce } from '../helpers/oidc-flow.ts';
import { testDialects } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * One route per endpoint (issue 13, item 5): every OIDC path and every sign-in form post is
 * matched canonically before any rate limiter. Spellings of an endpoint that are not its one
 * canonical path (case, trailing or doubled slashes, encoded slashes and dots, `;` parameters)
 * answer 404 and reach neither the provider nor the Entra scope translation, so they can't
 * skip the limiter; the canonical path answers 429 once its limit is spent.
 */

const LIMIT = 3;
const REDIRECT = 'http://localhost:8765/callback';
const PASSWORD = 'Erin-Passw0rd!';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | null;
}

/**
 * One request with the path sent byte for byte as given (fetch and URL would normalize `..`,
 * `%2e` and the like before sending, which is exactly what an attacker's client does not do).
 */
function raw(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...(options.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | null;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Spellings of `/{prefix}/{endpoint}` that are not it. */
function variants(prefix: string, endpoint: string): string[] {
  const upper = endpoint.toUpperCase();
  const capital = endpoint[0]!.toUpperCase() + endpoint.slice(1);
  return [
    `${prefix}/${endpoint}/`,
    `${prefix}/${upper}`,
    `${prefix}/${capital}`,
    `${prefix}/${endpoint}%2f`,
    `${prefix}/${endpoint}%2F`,
    `${prefix}/${endpoint}%2fx`,
    `${prefix}//${endpoint}`,
    `${prefix}/${endpoint};x=1`,
    `${prefix}/${endpoint};`,
    `${prefix}/%2e/${endpoint}`,
    `${prefix}/x/%2e%2e/${endpoint}`,
    `${prefix}/x/%2E%2E/${endpoint}`,
    `${prefix}/x/../${endpoint}`,
    `${prefix}/./${endpoint}`,
    `${prefix}/${endpoint}%20`,
    `${prefix}/${endpoint}%00`,
    `${prefix}/${endpoint}/x`,
  ];
}

/** `/{tenant}/oauth2/v2.0/{endpoint}` spelled otherwise, including in the segments before it. */
function oauthVariants(tenant: string, endpoint: string): string[] {
  return [
    ...variants(`/${tenant}/oauth2/v2.0`, endpoint),
    `/${tenant}/oauth2//v2.0/${endpoint}`,
    `/${tenant}/oauth2/V2.0/${endpoint}`,
    `/${tenant}/oauth2/v2.0/./${endpoint}`,
    `/${tenant}/oauth2/v2%2e0/${endpoint}x`,
    `/${tenant}/oauth2/v2.0%2f${endpoint}`,
  ];
}

/** What a 404 from the OAuth surface must look like: no token, an OAuth JSON error. */
function assertOAuth404(response: RawResponse, path: string): void {
  assert.equal(response.status, 404, `${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
  assert.equal(response.json?.access_token, undefined, `${path} issued a token`);
  assert.equal(response.json?.error, 'invalid_request', `${path}: ${response.text.slice(0, 300)}`);
  assert.match(String(response.json?.error_description), /^AADSTS\d+: /, path);
  assert.match(String(response.headers['content-type']), /application\/json/, path);
}

for (const dialect of testDialects) {
  describe(`one canonical route per OIDC endpoint (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let tid: string;
    let daemon: { appId: string; clientSecret: string | null };
    let credentials: string;

    before(async () => {
      h = await createHarness(dialect, { listen: true, realTokens: true, config: { trustProxy: true, rateLimits: { signIn: 1000, token: LIMIT } } });
      base = h.container.config.baseUrl;
      tid = h.tenant.id;
      daemon = await h.container.applications.create(tenantScope(tid), { displayName: 'Daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
      credentials = new URLSearchParams({ grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: 'https://graph.microsoft.com/.default' }).toString();
    });
    after(() => h?.close());

    const from = (ip: string) => ({ 'x-forwarded-for': ip });

    test('token endpoint variants answer 404 with an OAuth error, never a token, before and after the canonical path is limited', async () => {
      const ip = from('203.0.113.10');
      const paths = [...oauthVariants(tid, 'token'), ...oauthVariants(h.tenant.domain, 'token')];
      // hammered well past the limit: none of them issues a token or answers anything but 404
      for (let round = 0; round < 2; round++) {
        for (const path of paths) assertOAuth404(await raw(base, 'POST', path, { headers: ip, body: credentials }), path);
      }
      for (let i = 0; i < LIMIT; i++) {
        const ok = await raw(base, 'POST', `/${tid}/oauth2/v2.0/token`, { headers: ip, body: credentials });
        assert.equal(ok.status, 200, ok.text);
        assert.ok(ok.json?.access_token, 'the canonical path issues tokens up to its limit');
      }
      const limited = await raw(base, 'POST', `/${tid}/oauth2/v2.0/token`, { headers: ip, body: credentials });
      assert.equal(limited.status, 429);
      assert.equal(limited.json?.error, 'temporarily_unavailable');
      assert.equal(limited.json?.access_token, undefined);
      // an unreserved character percent-encoded is the same path (RFC 3986): the same route and limit
      for (const path of [`/${tid}/oauth2/v2.0/tok%65n`, `/${tid}/oauth2/v2.0/%74oken`, `/${tid}/oauth2/v2%2E0/token`]) {
        const same = await raw(base, 'POST', path, { headers: ip, body: credentials });
        assert.equal(same.status, 429, `${path} answered ${same.status}: ${same.text.slice(0, 300)}`);
      }
      // still no way around it
      for (const path of paths) assertOAuth404(await raw(base, 'POST', path, { headers: ip, body: credentials }), path);
    });

    test('case variants of the surface segments never reach the provider either', async () => {
      const ip = from('203.0.113.11');
      for (const path of [`/${tid}/OAUTH2/v2.0/token`, `/${tid}/OAuth2/v2.0/token`, `/${tid}//oauth2/v2.0/token`, `//${tid}/oauth2/v2.0/token`, `/${tid}/oauth2%2fv2.0/token`]) {
        const response = await raw(base, 'POST', path, { headers: ip, body: credentials });
        assert.equal(response.status, 404, `${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
        assert.equal(response.json?.access_token, undefined, `${path} issued a token`);
      }
    });

    test('the organizations, common and tenant token endpoints are one endpoint with one limit', async () => {
      const ip = from('203.0.113.12');
      assert.equal((await raw(base, 'POST', `/${tid}/oauth2/v2.0/token`, { headers: ip, body: credentials })).status, 200);
      // app-only tokens need a tenant: these are refused, but they count
      assert.equal((await raw(base, 'POST', '/organizations/oauth2/v2.0/token', { headers: ip, body: credentials })).status, 400);
      assert.equal((await raw(base, 'POST', '/common/oauth2/v2.0/token', { headers: ip, body: credentials })).status, 400);
      const limited = await raw(base, 'POST', `/${tid}/oauth2/v2.0/token`, { headers: ip, body: credentials });
      assert.equal(limited.status, 429, limited.text);
      assert.equal((await raw(base, 'POST', '/organizations/oauth2/v2.0/token', { headers: ip, body: credentials })).status, 429);
      for (const realm of ['organizations', 'common']) {
        for (const path of oauthVariants(realm, 'token')) {
          const response = await raw(base, 'POST', path, { headers: ip, body: credentials });
          assertOAuth404(response, path);
        }
      }
    });

    test('the revocation endpoint authenticates clients, so it counts against the token limit; its variants are 404', async () => {
      const ip = from('203.0.113.13');
      const revoke = new URLSearchParams({ client_id: daemon.appId, client_secret: 'guess-1', token: 'x' }).toString();
      for (const path of oauthVariants(tid, 'revoke')) assertOAuth404(await raw(base, 'POST', path, { headers: ip, body: revoke }), path);
      for (let i = 0; i < LIMIT; i++) assert.equal((await raw(base, 'POST', `/${tid}/oauth2/v2.0/revoke`, { headers: ip, body: revoke })).status, 401);
      assert.equal((await raw(base, 'POST', `/${tid}/oauth2/v2.0/revoke`, { headers: ip, body: revoke })).status, 429);
      assert.equal((await raw(base, 'POST', `/${tid}/oauth2/v2.0/token`, { headers: ip, body: credentials })).status, 429);
    });

    test('every other path under /{tenant}/oauth2/ is a 404 with an OAuth JSON error', async () => {
      const ip = from('203.0.113.14');
      const unknown: Array<[string, string]> = [
        ['POST', `/${tid}/oauth2/v2.0/devicecode`],
        ['POST', `/${tid}/oauth2/v2.0/introspect`],
        ['POST', `/${tid}/oauth2/v2.0/request`],
        ['GET', `/${tid}/oauth2/v2.0/`],
        ['GET', `/${tid}/oauth2/v2.0`],
        ['GET', `/${tid}/oauth2/`],
        ['GET', `/${tid}/oauth2`],
        ['POST', `/${tid}/oauth2/token`],
        ['GET', `/${tid}/oauth2/authorize`],
        ['GET', `/${tid}/oauth2/v2.0/authorize/`],
        ['GET', `/${tid}/oauth2/v2.0/authorize/a/b`],
        ['GET', `/${tid}/oauth2/v2.0/authorize/a%2fb`],
        ['GET', `/${tid}/oauth2/v2.0/logout/`],
        ['GET', `/${tid}/oauth2/v2.0/logout/confirm`],
        ['POST', `/${tid}/oauth2/v2.0/logout/success`],
        ['GET', `/${tid}/oauth2/v2.0/token`],
        ['PUT', `/${tid}/oauth2/v2.0/token`],
        ['DELETE', `/${tid}/oauth2/v2.0/authorize`],
        ['GET', `/${tid}/oauth2/v2.0/revoke`],
        ['GET', `/${tid}/discovery/v2.0/keys/`],
        ['GET', `/${tid}/discovery/v2.0/KEYS`],
        ['GET', `/${tid}/discovery/keys`],
        ['GET', `/${tid}/v2.0/.well-known/openid-configuration/`],
        ['GET', `/${tid}/v2.0/.well-known/OPENID-configuration`],
        ['GET', `/${tid}/v2.0/.well-known/oauth-authorization-server`],
        ['GET', `/${tid}/oidc/userinfo/`],
        ['GET', `/${tid}/oidc/USERINFO`],
        ['GET', '/organizations/oauth2/v2.0/authorize/'],
        ['POST', '/organizations/oauth2/v2.0/Authorize'],
        ['GET', '/common/discovery/v2.0/keys/'],
      ];
      for (const [method, path] of unknown) assertOAuth404(await raw(base, method, path, { headers: ip, ...(method === 'POST' || method === 'PUT' ? { body: 'client_id=x' } : {}) }), `${method} ${path}`);
      const wrongMethod = await raw(base, 'GET', `/${tid}/oauth2/v2.0/token`, { headers: ip });
      assert.match(String(wrongMethod.json?.error_description), /^AADSTS900561: The endpoint only accepts POST, OPTIONS requests\. Received a GET request\./);
    });

    test('the canonical endpoints still answer', async () => {
      const ip = from('203.0.113.15');
      const discovery = await raw(base, 'GET', `/${tid}/v2.0/.well-known/openid-configuration`, { headers: ip });
      assert.equal(discovery.status, 200);
      assert.equal(discovery.json?.token_endpoint, `${base}/${tid}/oauth2/v2.0/token`);
      assert.equal((await raw(base, 'GET', `/${tid}/discovery/v2.0/keys`, { headers: ip })).status, 200);
      assert.equal((await raw(base, 'GET', `/${h.tenant.domain}/discovery/v2.0/keys`, { headers: ip })).status, 200, 'a verified domain names the tenant');
      assert.equal((await raw(base, 'GET', '/organizations/v2.0/.well-known/openid-configuration', { headers: ip })).status, 200);
      assert.equal((await raw(base, 'GET', '/common/discovery/v2.0/keys', { headers: ip })).status, 200);
      // a CORS preflight on the token endpoint (single-page apps) is the provider's to answer
      const preflight = await raw(base, 'OPTIONS', `/${tid}/oauth2/v2.0/token`, { headers: { ...ip, origin: 'http://localhost:8765', 'access-control-request-method': 'POST' } });
      assert.equal(preflight.status, 204, preflight.text);
      const authorize = await raw(base, 'GET', `/${tid}/oauth2/v2.0/authorize?client_id=${daemon.appId}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid`, { headers: ip });
      assert.equal(authorize.status, 400, 'the provider answers the authorization request (this client has no redirect URI)');
      const userinfo = await raw(base, 'GET', `/${tid}/oidc/userinfo`, { headers: ip });
      assert.equal(userinfo.status, 401);
      const unknownTenant = await raw(base, 'POST', '/no-such-tenant.example/oauth2/v2.0/token', { headers: ip, body: credentials });
      assert.equal(unknownTenant.status, 400);
      assert.equal(unknownTenant.json?.error, 'invalid_tenant');
    });
  });
}

/** A cookie jar over `raw`, enough for the sign-in pages (every cookie goes to every path). */
class RawBrowser {
  readonly #cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly headers: Record<string, string>,
  ) {}

  async send(method: string, path: string, body?: string): Promise<RawResponse> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await raw(this.base, method, path, { headers: { ...this.headers, ...(cookie ? { cookie } : {}) }, ...(body !== undefined ? { body } : {}) });
    const setCookie = response.headers['set-cookie'] ?? [];
    for (const header of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const pair = header.split(';')[0]!;
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  /** GETs `path` and follows redirects to a page; returns it with its path. */
  async page(path: string): Promise<{ response: RawResponse; path: string }> {
    let current = path;
    let response = await this.send('GET', current);
    for (let i = 0; i < 10 && response.status >= 300 && response.status < 400; i++) {
      const next = new URL(String(response.headers.location), new URL(current, this.base));
      current = `${next.pathname}${next.search}`;
      response = await this.send('GET', current);
    }
    return { response, path: current };
  }
}

for (const dialect of testDialects) {
  describe(`one canonical route per sign-in form post (${dialect})`, () => {
    let h: Harness;
    let base: string;
    let tid: string;
    let upn: string;
    let web: { appId: string; clientSecret: string | null };

    before(async () => {
      h = await createHarness(dialect, { listen: true, realTokens: true, config: { trustProxy: true, rateLimits: { signIn: LIMIT, token: 1000 } } });
      base = h.container.config.baseUrl;
      tid = h.tenant.id;
      upn = `erin@${h.tenant.domain}`;
      await h.container.users.createMember(tenantScope(tid), { kind: 'system', tenantId: tid }, { userPrincipalName: upn, displayName: 'Erin', mailNickname: 'erin', accountEnabled: true, password: PASSWORD });
      web = await h.container.applications.create(tenantScope(tid), { displayName: 'Web', redirectUris: [REDIRECT], withSecret: true, delegatedPermissions: ['User.Read'] });
    });
    after(() => h?.close());

    test('password post variants answer 404 and never sign in; the canonical post answers 429 past its limit, even with the right password', async () => {
      const browser = new RawBrowser(base, { 'x-forwarded-for': '203.0.113.20', 'accept-language': 'en' });
      const start = new URL(authorizeUrl(base, tid, { client_id: web.appId, redirect_uri: REDIRECT, scope: 'openid User.Read', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
      const usernamePage = await browser.page(`${start.pathname}${start.search}`);
      const userForm = parseForm(usernamePage.response.text, `${base}${usernamePage.path}`);
      const named = await browser.send('POST', new URL(userForm.action).pathname + new URL(userForm.action).search, new URLSearchParams({ ...userForm.fields, username: upn }).toString());
      assert.equal(named.status, 200, named.text.slice(0, 300));
      const form = parseForm(named.text, userForm.action);
      const action = new URL(form.action);
      assert.match(action.pathname, /\/password$/);
      const prefix = action.pathname.slice(0, action.pathname.lastIndexOf('/'));
      const right = new URLSearchParams({ ...form.fields, password: PASSWORD }).toString();
      const wrong = new URLSearchParams({ ...form.fields, password: 'wrong-password' }).toString();
      for (let round = 0; round < 2; round++) {
        for (const path of variants(prefix, 'password')) {
          const response = await browser.send('POST', `${path}${action.search}`, right);
          assert.equal(response.status, 404, `${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
          assert.equal(response.headers.location, undefined, `${path} redirected (signed in?)`);
        }
      }
      for (let i = 0; i < LIMIT; i++) {
        const response = await browser.send('POST', `${action.pathname}${action.search}`, wrong);
        assert.equal(response.status, 400, response.text.slice(0, 300));
        assert.match(response.text, /account or password is incorrect/);
      }
      const limited = await browser.send('POST', `${action.pathname}${action.search}`, right);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.location, undefined);
    });

    test('home-realm discovery post variants answer 404; the canonical post answers 429 past its limit', async () => {
      const browser = new RawBrowser(base, { 'x-forwarded-for': '203.0.113.21', 'accept-language': 'en' });
      const query = '?client_id=x&response_type=code';
      const page = await browser.page(`/organizations/oauth2/v2.0/authorize${query}`);
      const form = parseForm(page.response.text, `${base}${page.path}`);
      const body = new URLSearchParams({ ...form.fields, username: upn }).toString();
      for (const realm of ['organizations', 'common']) {
        for (let round = 0; round < 2; round++) {
          for (const path of oauthVariants(realm, 'authorize')) {
            const response = await browser.send('POST', `${path}${query}`, body);
            assertOAuth404(response, path);
            assert.equal(response.headers.location, undefined, `${path} continued the sign-in`);
          }
        }
      }
      const statuses: number[] = [];
      for (let i = 0; i <= LIMIT; i++) statuses.push((await browser.send('POST', `/organizations/oauth2/v2.0/authorize${query}`, body)).status);
      assert.deepEqual(statuses, [303, 303, 303, 429]);
    });
  });
}
