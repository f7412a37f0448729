import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importJWK, SignJWT, type JWK } from 'jose';
import { createContainer, type Container } from '../../src/container.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { AccessTokenVerifier } from '../../src/oidc/access-token-verifier.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/server.ts';

/**
 * The Graph token verifier on two nodes of one database: node B accepts a token signed with a key
 * node A created by rotation after B had cached the tenant's JWKS (an unknown kid refetches it),
 * and refuses tokens for another audience, issuer or tenant.
 */
for (const dialect of testDialects) {
  describe(`access-token verification across nodes (${dialect})`, () => {
    let db: TestDatabase;
    let nodeA: Container;
    let nodeB: Container;
    let tid: string;
    let userId: string;
    const BASE = 'https://id.example';

    before(async () => {
      db = await createTestDatabase(dialect);
      const config = { ...testConfig(), baseUrl: BASE };
      nodeA = await createContainer(config, { database: db, migrate: false, logger: createLogger('silent') });
      nodeB = await createContainer(config, { database: openDatabase(db.url), migrate: false, logger: createLogger('silent') });
      const { tenant, adminUserId } = await nodeA.tenants.create({ displayName: 'T', domain: `verifier-${dialect}-${process.pid}.example`, admin: { email: `admin@verifier-${dialect}-${process.pid}.example`, password: 'Admin-Passw0rd!' } });
      tid = tenant.id;
      userId = adminUserId!;
    });
    after(async () => {
      await nodeB?.close();
      await db?.close();
    });

    async function sign(container: Container, claims: Record<string, unknown>, alg = 'ES256'): Promise<string> {
      const keys = await container.signingKeys.keys(tenantScope(tid));
      const jwk = keys.privateJwks.find((k) => k.alg === alg) as JWK;
      return new SignJWT({ tid, oid: userId, azp: 'client', scp: 'User.Read', idtyp: 'user', ver: '2.0', iss: `${BASE}/${tid}/v2.0`, aud: GRAPH_APP_ID, ...claims })
        .setProtectedHeader({ alg, kid: jwk.kid!, typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(await importJWK(jwk, alg));
    }

    test('a key rotated in on node A is accepted by node B at once', async () => {
      assert.equal((await nodeB.tokenVerifier.verify(await sign(nodeA, {}))).objectId, userId, 'B caches the JWKS');
      await nodeA.oidc.rotateKeys(tenantScope(tid));
      const fresh = await sign(nodeA, {});
      const verified = await nodeB.tokenVerifier.verify(fresh);
      assert.deepEqual({ kind: verified.kind, tenantId: verified.tenantId, scopes: verified.scopes }, { kind: 'user', tenantId: tid, scopes: ['User.Read'] });
    });

    test('a wrong audience, issuer or tenant is refused', async () => {
      for (const token of [
        await sign(nodeA, { aud: 'api://someone-else' }),
        await sign(nodeA, { iss: `${BASE}/00000000-0000-4000-8000-000000000000/v2.0` }),
        await sign(nodeA, { tid: '00000000-0000-4000-8000-000000000000' }),
      ]) {
        await assert.rejects(nodeB.tokenVerifier.verify(token), (error: { kind?: string }) => error.kind === 'unauthenticated');
      }
      const graphAlias = await sign(nodeA, { aud: 'https://graph.microsoft.com' });
      assert.equal((await nodeB.tokenVerifier.verify(graphAlias)).objectId, userId, 'https://graph.microsoft.com is a Graph audience too');
    });

    test('a verified token is reused from the cache only until it expires (by the verifier clock)', async () => {
      let now = new Date();
      const verifier = new AccessTokenVerifier(() => BASE, nodeA.signingKeys, () => now);
      const token = await sign(nodeA, {}); // expires in an hour
      const first = await verifier.verify(token);
      assert.equal(await verifier.verify(token), first, 'the second request reuses the verified claims');
      assert.ok(Object.isFrozen(first), 'shared claims cannot be changed by one request');
      now = new Date(now.getTime() + 3600_000 + 31_000); // past exp and the 30 s tolerance
      await assert.rejects(verifier.verify(token), (error: { kind?: string; message?: string }) => error.kind === 'unauthenticated' && /expired/.test(error.message ?? ''));
    });
  });
}
