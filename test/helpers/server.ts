import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import type { DialectName } from '../../src/storage/database.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { TestTokens } from './principals.ts';
import { freePort } from './ports.ts';

export interface Harness {
  container: Container;
  app: FastifyInstance;
  db: TestDatabase;
  tokens: TestTokens;
  /** a tenant with a Global Administrator, and a token for that admin with Directory.ReadWrite.All */
  tenant: { id: string; domain: string; adminId: string; adminToken: string };
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ TESSERA_SECRET: 'test-secret-0123456789abcdef', TESSERA_LOG_LEVEL: 'silent', TESSERA_DATA_DIR: '/tmp/tessera-test-data' }, { generateSecret: false }),
    ...overrides,
  };
}

let counter = 0;


/** A migrated database, a container with test tokens, a server (not listening) and one tenant. */
export async function createHarness(
  dialect: DialectName,
  options: { listen?: boolean; config?: Partial<Config>; clock?: Clock; /** accept only real JWTs from the OIDC provider (no test tokens) */ realTokens?: boolean; } = {},
): Promise<Harness> {
  const db = await createTestDatabase(dialect);
  const tokens = new TestTokens();
  const config = testConfig(options.config);
  // The port, and with it the base URL, is known before the server is built, so every surface
  // that takes the base URL at registration (page CSP, the admin center's config) gets the real one.
  const port = options.listen ? await freePort() : 0;
  if (options.listen && !options.config?.baseUrl) config.baseUrl = `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const container = await createContainer(config, {
    database: db,
    ...(options.clock ? { clock: options.clock } : {}),
    logger: createLogger('silent'),
    migrate: false,
  });
  // Test tokens (`test.…`) stand for any principal; every other token is a real JWT from the
  // tenant's OpenID provider, verified as in production (`realTokens: true` turns test tokens off).
  const real = container.tokenVerifier;
  container.tokenVerifier = options.realTokens ? real : { verify: (token) => (token.startsWith('test.') ? tokens.verify(token) : real.verify(token)) };
  const app = await buildServer(container);
  if (options.listen) {
    await app.listen({ port, host: '127.0.0.1' });
    const address = app.server.address();
    if (address && typeof address === 'object') (container.config as { baseUrl: string }).baseUrl = `${config.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  } else {
    await app.ready();
  }
  const domain = `contoso${process.pid}x${++counter}.example`;
  const { tenant, adminUserId } = await container.tenants.create({
    displayName: 'Contoso',
    domain,
    countryLetterCode: 'NL',
    admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' },
  });
  const adminToken = tokens.user(tenant.id, adminUserId!, ['Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory']);
  return {
    container,
    app,
    db,
    tokens,
    tenant: { id: tenant.id, domain, adminId: adminUserId!, adminToken },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
