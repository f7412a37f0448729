import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Container } from '../../src/container.ts';
import { resolveItemUrl } from '../../src/http/graph/batch-item-url.ts';
import { batchRoutes } from '../../src/http/graph/batch.routes.ts';
import { sendGraphError } from '../../src/http/graph/graph-errors.ts';
import '../../src/http/graph/request-context.ts';
import { inTransaction } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';

/**
 * `$batch` stays inside Graph (issue 13, item 2): every item URL is a relative path under the batch's own
 * version, items run as the outer client (never as loopback), and one batch has a budget.
 */
const REMOTE = '203.0.113.9';
const SECRET_SUBJECT = 'Your invitation link 7f3a';

for (const dialect of testDialects) {
  describe(`$batch stays inside Graph (${dialect})`, () => {
    let h: Harness;
    const batch = async (requests: unknown[], options: { remoteAddress?: string; payload?: string } = {}) => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1.0/$batch',
        remoteAddress: options.remoteAddress ?? REMOTE,
        headers: { authorization: `Bearer ${h.tenant.adminToken}`, 'content-type': 'application/json' },
        payload: options.payload ?? JSON.stringify({ requests }),
      });
      const body = String(response.headers['content-type'] ?? '').includes('json') ? JSON.parse(response.body) : response.body;
      return { status: response.statusCode, body, text: response.body };
    };
    const byId = (body: any) => Object.fromEntries((body.responses ?? []).map((r: any) => [r.id, r]));

    before(async () => {
      h = await createHarness(dialect);
      await inTransaction(h.db, tenantScope(h.tenant.id), (tdb) =>
        h.container.mail.send(tdb, { template: 'test', locale: 'en', to: ['guest@partner.example'], subject: SECRET_SUBJECT, text: 'Open https://x.example/redeem?ticket=secret', html: '<p>secret</p>' }),
      );
    });
    after(() => h.close());

    test('the development mailbox answers loopback only (the premise)', async () => {
      assert.equal((await h.app.inject({ method: 'GET', url: '/dev/mail' })).statusCode, 200);
      assert.equal((await h.app.inject({ method: 'GET', url: '/dev/mail', remoteAddress: REMOTE })).statusCode, 404);
    });

    const escapes = () => [
      '../dev/mail',
      '/../dev/mail',
      './../dev/mail',
      'users/../../dev/mail',
      '%2e%2e/dev/mail',
      '.%2E/dev/mail',
      '%2E./dev/mail',
      'users/%2e%2e/%2e%2e/dev/mail',
      '..%2fdev%2fmail',
      'users%2F..%2F..%2Fdev%2Fmail',
      '..\\dev\\mail',
      '..%5cdev%5cmail',
      '.\t./dev/mail',
      '.\n./dev/mail',
      '../admin',
      '../admin/',
      `../${h.tenant.id}/oauth2/v2.0/authorize?client_id=x`,
      `../${h.tenant.id}/v2.0/.well-known/openid-configuration`,
      '../healthz',
      '../beta/organization',
      'http://127.0.0.1/dev/mail',
      'HTTPS://graph.microsoft.com/v1.0/users',
      'http:dev/mail',
      '//127.0.0.1/dev/mail',
      '\\\\127.0.0.1\\dev\\mail',
      '/\\127.0.0.1/dev/mail',
      'javascript:alert(1)',
      '/v1.0/users',
      'v1.0/users',
      '/beta/users',
      '/BETA/users',
      '$batch',
      '/$batch',
      '%24batch',
      '/%24BATCH',
      'users/%24batch',
      '$%62atch',
      ' %24batch',
      '%24batch ',
      ' //127.0.0.1/dev/mail',
      '',
    ];

    test('escaping or malformed item URLs are refused per item with 400, the other items run, nothing leaks', async () => {
      for (const url of escapes()) {
        const response = await batch([
          { id: 'bad', method: 'GET', url },
          { id: 'ok', method: 'GET', url: '/organization' },
          { id: 'after', method: 'GET', url: 'users?$top=1', dependsOn: ['bad'] },
        ]);
        assert.equal(response.status, 200, `${JSON.stringify(url)}: the batch itself runs (${response.text.slice(0, 300)})`);
        const items = byId(response.body);
        assert.equal(items.bad.status, 400, `${JSON.stringify(url)} answered ${items.bad.status}: ${JSON.stringify(items.bad.body).slice(0, 300)}`);
        assert.equal(typeof items.bad.body.error.code, 'string', JSON.stringify(url));
        assert.equal(typeof items.bad.body.error.message, 'string', JSON.stringify(url));
        assert.ok(items.bad.body.error.innerError['request-id'], JSON.stringify(url));
        assert.equal(items.bad.headers['content-type'], 'application/json', JSON.stringify(url));
        assert.equal(items.ok.status, 200, JSON.stringify(url));
        assert.equal(items.after.status, 424, `${JSON.stringify(url)}: an item depending on a refused one fails its dependency`);
        assert.ok(!response.text.includes(SECRET_SUBJECT), `${JSON.stringify(url)} leaked the development mailbox`);
        assert.ok(!response.text.includes('<html'), `${JSON.stringify(url)} reached a page outside Graph`);
      }
    });

    test('even a loopback client cannot reach /dev/mail through an item', async () => {
      const response = await batch([{ id: 'm', method: 'GET', url: '../dev/mail' }], { remoteAddress: '127.0.0.1' });
      assert.equal(response.status, 200);
      assert.equal(byId(response.body).m.status, 400);
      assert.ok(!response.text.includes(SECRET_SUBJECT));
    });

    test("a version prefix in an item URL is Graph's 'Resource not found for the segment' error", async () => {
      const response = await batch([{ id: 'v', method: 'GET', url: '/v1.0/users' }]);
      const item = byId(response.body).v;
      assert.equal(item.status, 400);
      assert.equal(item.body.error.code, 'BadRequest');
      assert.equal(item.body.error.message, "Resource not found for the segment 'v1.0'.");
    });

    test('legitimate item URLs still run: with or without a leading slash, dots and encoded slashes in the query, alternate keys, item headers', async () => {
      const response = await batch([
        { id: 'slash', method: 'GET', url: '/users?$top=1' },
        { id: 'bare', method: 'GET', url: 'users?$top=1' },
        { id: 'dots', method: 'GET', url: "users?$filter=displayName eq 'a..b'" },
        { id: 'encoded', method: 'GET', url: "users?$filter=startswith(displayName,'a%2Fb%5C..')" },
        { id: 'upn', method: 'GET', url: `users/admin@${h.tenant.domain}` },
        { id: 'key', method: 'GET', url: "directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')" },
        { id: 'count', method: 'GET', url: 'users/$count', headers: { ConsistencyLevel: 'eventual' } },
        { id: 'noCount', method: 'GET', url: 'users/$count' },
      ]);
      assert.equal(response.status, 200, response.text);
      const items = byId(response.body);
      for (const id of ['slash', 'bare', 'dots', 'encoded', 'upn', 'key', 'count']) assert.equal(items[id].status, 200, `${id}: ${JSON.stringify(items[id].body)}`);
      assert.equal(items.upn.body.id, h.tenant.adminId);
      assert.equal(items.key.body.roleTemplateId, '62e90394-69f5-4237-9190-012177145e10');
      assert.equal(items.count.body, '1');
      assert.equal(items.noCount.status, 400, 'item headers still reach the item');
    });

    test('the beta batch runs its items under /beta', async () => {
      const graph = graphCaller(h.app, h.tenant.adminToken);
      const response = await graph('POST', '/beta/$batch', { requests: [{ id: 'b', method: 'GET', url: `organization/${h.tenant.id}/branding` }, { id: 'v', method: 'GET', url: '/v1.0/organization' }] });
      const items = byId(response.body);
      assert.equal(items.b.status, 200);
      assert.equal(items.v.status, 400);
    });

    describe('budget: over it, the whole batch is refused and nothing runs', () => {
      const createsGroup = (nickname: string) => ({ id: 'g', method: 'POST', url: '/groups', headers: { 'Content-Type': 'application/json' }, body: { displayName: nickname, mailNickname: nickname, mailEnabled: false, securityEnabled: true } });
      const nothingCreated = async (nickname: string) => {
        const graph = graphCaller(h.app, h.tenant.adminToken);
        const found = await graph('GET', `/groups?$filter=mailNickname eq '${nickname}'`);
        assert.equal(found.body.value.length, 0, `${nickname} was created`);
      };
      const refusedWhole = (response: { status: number; body: any; text: string }, limit: RegExp) => {
        assert.ok(response.status === 400 || response.status === 413, `expected 400/413, got ${response.status}: ${response.text.slice(0, 300)}`);
        assert.equal(typeof response.body.error.code, 'string');
        assert.match(response.body.error.message, limit);
        assert.equal(response.body.responses, undefined);
      };

      test('an item URL longer than a direct request URL may be', async () => {
        const response = await batch([createsGroup('longurl'), { id: 'long', method: 'GET', url: `users?$filter=displayName eq '${'a'.repeat(9000)}'` }]);
        refusedWhole(response, /URL|url/);
        await nothingCreated('longurl');
      });

      test('an item id that is too long', async () => {
        const response = await batch([createsGroup('longid'), { id: 'x'.repeat(500), method: 'GET', url: 'users' }]);
        refusedWhole(response, /id/);
        await nothingCreated('longid');
      });

      test('too many dependsOn entries, or the same one repeated', async () => {
        const repeated = await batch([createsGroup('deps'), { id: 'd', method: 'GET', url: 'users', dependsOn: Array.from({ length: 500 }, () => 'g') }]);
        refusedWhole(repeated, /dependsOn/);
        const twice = await batch([createsGroup('deps'), { id: 'd', method: 'GET', url: 'users', dependsOn: ['g', 'g'] }]);
        refusedWhole(twice, /dependsOn/);
        await nothingCreated('deps');
      });

      test('too many item headers, oversized or malformed header values', async () => {
        const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-h${i}`, 'v']));
        refusedWhole(await batch([createsGroup('hdrs'), { id: 'h', method: 'GET', url: 'users', headers: many }]), /header/i);
        refusedWhole(await batch([createsGroup('hdrs'), { id: 'h', method: 'GET', url: 'users', headers: { Prefer: 'x'.repeat(20_000) } }]), /header/i);
        refusedWhole(await batch([createsGroup('hdrs'), { id: 'h', method: 'GET', url: 'users', headers: { Prefer: 'a\r\nX-Injected: 1' } }]), /header/i);
        refusedWhole(await batch([createsGroup('hdrs'), { id: 'h', method: 'GET', url: 'users', headers: { 'Bad Name': 'x' } }]), /header/i);
        refusedWhole(await batch([createsGroup('hdrs'), { id: 'h', method: 'GET', url: 'users', headers: { Prefer: { nested: true } } }]), /header/i);
        await nothingCreated('hdrs');
      });

      test('a batch body over the batch size limit is 413', async () => {
        const filler = 'x'.repeat(1_500_000);
        const response = await batch([], { payload: JSON.stringify({ requests: [{ ...createsGroup('huge'), body: { displayName: 'huge', mailNickname: 'huge', mailEnabled: false, securityEnabled: true, description: filler } }] }) });
        assert.equal(response.status, 413, response.text.slice(0, 300));
        assert.equal(response.body.error.code, 'Request_BadRequest');
        await nothingCreated('huge');
      });

      test('a batch larger than one Graph body but within the batch limit runs', async () => {
        const requests = Array.from({ length: 10 }, (_, i) => ({ id: String(i), method: 'GET', url: 'organization', headers: { 'Content-Type': 'application/json' }, body: { note: 'x'.repeat(20_000) } }));
        const response = await batch(requests);
        assert.equal(response.status, 200, response.text.slice(0, 300));
        assert.equal(response.body.responses.length, 10);
      });
    });
  });
}

/**
 * The dispatch itself, on a bare Fastify instance with a route that shows what an item sees: the client
 * address, forwarding headers and host of the OUTER request, whatever the item's own headers say.
 */
describe('$batch items run as the outer client', () => {
  let app: FastifyInstance;
  let proxied: FastifyInstance;
  const build = async (trustProxy: boolean) => {
    const server = Fastify({ trustProxy }) as unknown as FastifyInstance;
    server.setErrorHandler((error, request, reply) => sendGraphError(request, reply, error));
    await server.register(
      async (graph) => {
        const seen = { config: { operation: 'anyAuthenticated' as const } };
        graph.get('/whoami', seen, async (request) => ({ ip: request.ip, forwardedFor: request.headers['x-forwarded-for'] ?? null, realIp: request.headers['x-real-ip'] ?? null, host: request.headers.host, auth: request.headers.authorization ?? null }));
        // answers once three requests wait here together (or, alone, after a while): shows items run concurrently
        let arrived = 0;
        let release: () => void = () => {};
        const together = new Promise<void>((resolve) => (release = resolve));
        graph.get('/barrier', seen, async () => {
          if (++arrived >= 3) release();
          const alone = new Promise<'alone'>((resolve) => setTimeout(() => resolve('alone'), 5000).unref());
          return { together: (await Promise.race([together.then(() => 'together' as const), alone])) === 'together' };
        });
        // 300 KB per item: 20 of them are far over the batch's response budget
        graph.get('/big', seen, async () => ({ value: 'x'.repeat(300_000) }));
        // the dispatch reads only the dialect from the container (items overlap on PostgreSQL)
        await graph.register(batchRoutes, { container: { database: { dialect: 'postgres' } } as Container, root: () => graph });
      },
      { prefix: '/v1.0' },
    );
    await server.ready();
    return server;
  };
  before(async () => {
    app = await build(false);
    proxied = await build(true);
  });
  after(async () => {
    await app.close();
    await proxied.close();
  });

  const run = async (server: FastifyInstance, requests: unknown[], options: { remoteAddress: string; headers?: Record<string, string> }) => {
    const response = await server.inject({
      method: 'POST',
      url: '/v1.0/$batch',
      remoteAddress: options.remoteAddress,
      headers: { host: 'graph.contoso.test', authorization: 'Bearer outer', 'content-type': 'application/json', ...options.headers },
      payload: JSON.stringify({ requests }),
    });
    return { status: response.statusCode, body: JSON.parse(response.body), size: response.rawPayload.length };
  };

  test('an item has the outer client address and host; its own forwarding and host headers are ignored', async () => {
    const response = await run(app, [{ id: 'w', method: 'GET', url: 'whoami', headers: { 'X-Forwarded-For': '127.0.0.1', 'X-Real-IP': '127.0.0.1', Forwarded: 'for=127.0.0.1', Host: 'localhost', Authorization: 'Bearer item' } }], { remoteAddress: REMOTE });
    assert.equal(response.status, 200);
    const seen = response.body.responses[0].body;
    assert.equal(seen.ip, REMOTE);
    assert.equal(seen.forwardedFor, null);
    assert.equal(seen.realIp, null);
    assert.equal(seen.host, 'graph.contoso.test');
    assert.equal(seen.auth, 'Bearer outer');
  });

  test('behind a trusted proxy, an item sees the same client address as the batch', async () => {
    const response = await run(proxied, [{ id: 'w', method: 'GET', url: 'whoami', headers: { 'X-Forwarded-For': '127.0.0.1' } }], { remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '198.51.100.7' } });
    const seen = response.body.responses[0].body;
    assert.equal(seen.ip, '198.51.100.7');
    assert.equal(seen.forwardedFor, '198.51.100.7');
  });

  test('items still run concurrently (on PostgreSQL; the SQLite driver is synchronous anyway)', async () => {
    const response = await run(app, Array.from({ length: 3 }, (_, i) => ({ id: String(i), method: 'GET', url: 'barrier' })), { remoteAddress: REMOTE });
    assert.deepEqual(response.body.responses.map((r: any) => r.body.together), [true, true, true]);
  });

  test('a batch whose responses together exceed the response budget is refused whole', async () => {
    const small = await run(app, Array.from({ length: 3 }, (_, i) => ({ id: String(i), method: 'GET', url: 'big' })), { remoteAddress: REMOTE });
    assert.equal(small.status, 200);
    const large = await run(app, Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: 'GET', url: 'big' })), { remoteAddress: REMOTE });
    assert.ok(large.status === 400 || large.status === 413, `got ${large.status}`);
    assert.match(large.body.error.message, /response/i);
    assert.ok(large.size < 10_000, 'no item responses are returned');
  });
});

describe('item URL resolution (property)', () => {
  // pieces that matter to path resolution, so random strings hit the interesting cases often
  const piece = fc.constantFrom('..', '.', '/', '\\', '%2e', '%2E', '%2f', '%5c', '%25', '%24batch', '$%62atch', '$batch', 'v1.0', '%761.0', 'beta', 'users', 'dev', 'mail', '?', '#', ':', '//', 'http:', '\t', '\n', ' ', '\u3000', '@', "'", '(', ')', '=', ';');
  const url = fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join('')));

  test('any item URL either runs strictly under the version root or is refused', () => {
    fc.assert(
      fc.property(url, fc.constantFrom('v1.0' as const, 'beta' as const), (raw, version) => {
        const result = resolveItemUrl(raw, version);
        if ('problem' in result) return;
        const { path } = result;
        assert.ok(path.startsWith(`/${version}/`), path);
        const pathname = path.split('?')[0]!;
        // nothing the router or a later decoding could read as a step up or as another root
        assert.doesNotMatch(pathname, /\.\.|%2e|%2f|%5c|\\/i, path);
        assert.equal(new URL(path, 'http://x').pathname, pathname);
        const decoded = pathname.split('/').map((segment) => {
          try {
            return decodeURIComponent(segment);
          } catch {
            return segment;
          }
        });
        assert.ok(!decoded.some((segment) => segment.toLowerCase() === '$batch'), path);
        assert.ok(!['v1.0', 'beta'].includes(decoded[2]!.toLowerCase()), path);
      }),
      { numRuns: 2000 },
    );
  });
});
