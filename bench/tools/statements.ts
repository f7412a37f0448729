/**
 * `npx tsx bench/tools/statements.ts [sqlite|postgres ...]`: how many SQL statements (BEGIN and COMMIT
 * included) one warm request or flow sends to the database, per hot path the benchmarks measure.
 * It runs Tessera in this process on a fresh database (a temporary SQLite file; a temporary schema
 * on BENCH_DATABASE_URL's PostgreSQL), counts statements through `openDatabase`'s `onStatement`,
 * and prints the count per request with the statements of one request (`--verbose`). Not a
 * benchmark: no timings, just round trips, which the timed benchmarks cannot show.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.ts';
import { createContainer } from '../../src/container.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { openDatabase, type DialectName } from '../../src/storage/database.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { FormClient } from '../../test/helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../../test/helpers/oidc-flow.ts';
import { freePort } from '../../test/helpers/ports.ts';

const REDIRECT_URI = 'http://localhost:8765/callback';
const PASSWORD = 'Bench-Passw0rd!';
const RUNS = 20;

const verbose = process.argv.includes('--verbose');
const dialects = process.argv.slice(2).filter((a) => a === 'sqlite' || a === 'postgres') as DialectName[];

async function measureDialect(dialect: DialectName): Promise<void> {
  let statements: string[] = [];
  const onStatement = (sql: string) => statements.push(sql);
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const schema = `statements_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const u = new URL(base);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
    cleanup = async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-statements-'));
    url = join(dir, 'tessera.db');
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const database = openDatabase(url, { onStatement });
  await migrateToLatest(database);
  const port = await freePort();
  const config = {
    ...loadConfig({ TESSERA_SECRET: `statements-${randomBytes(8).toString('hex')}`, TESSERA_LOG_LEVEL: 'silent', TESSERA_DATA_DIR: tmpdir() }, { generateSecret: false }),
    baseUrl: `http://127.0.0.1:${port}`,
    port,
  };
  const container = await createContainer(config, { database, logger: createLogger('silent'), migrate: false });
  const app = await buildServer(container);
  await app.listen({ port, host: '127.0.0.1' });
  const base = config.baseUrl;
  try {
    const domain = 'statements.example';
    const { tenant } = await container.tenants.create({ displayName: 'Statements', domain, countryLetterCode: 'NL', admin: { email: `admin@${domain}`, password: 'Admin-Passw0rd!' } });
    const scope = tenantScope(tenant.id);
    const daemon = await container.applications.create(scope, { displayName: 'daemon', withSecret: true, applicationPermissions: ['User.Read.All'] });
    const web = await container.applications.create(scope, { displayName: 'web', isPublic: true, redirectUris: [REDIRECT_URI], delegatedPermissions: ['User.Read'] });
    const system = { kind: 'system', tenantId: tenant.id } as const;
    for (let i = 0; i < 150; i++) {
      await container.users.createMember(scope, system, {
        displayName: `User ${i}`,
        mailNickname: `user${i}`,
        userPrincipalName: `user${i}@${domain}`,
        mail: `user${i}@${domain}`,
        accountEnabled: true,
        password: PASSWORD,
        forceChangePasswordNextSignIn: false,
      } as never);
    }
    const clientCredentials = { grant_type: 'client_credentials', client_id: daemon.appId, client_secret: daemon.clientSecret!, scope: `${base}/.default` };
    const appToken = String((await tokenRequest(base, tenant.id, clientCredentials)).body.access_token);
    const graph = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${appToken}` } });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const signInFlow = async () => {
      const { verifier, challenge } = pkce();
      const url = authorizeUrl(base, tenant.id, { client_id: web.appId, redirect_uri: REDIRECT_URI, scope: 'openid profile User.Read', code_challenge: challenge, code_challenge_method: 'S256', state: 's', nonce: 'n' });
      const { redirect, page } = await signInThroughPages(new FormClient({ 'accept-language': 'en' }), url, `user1@${domain}`, PASSWORD, REDIRECT_URI);
      const code = redirect?.searchParams.get('code');
      if (!code) throw new Error(`the sign-in stopped: ${page?.status} ${page?.html.slice(0, 300)}`);
      const token = await tokenRequest(base, tenant.id, { grant_type: 'authorization_code', client_id: web.appId, code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
      if (token.status !== 200) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`);
    };
    const paths: [string, () => Promise<void>][] = [
      ['GET /v1.0/users/{upn}', () => graph(`/v1.0/users/user7@${domain}`)],
      ["GET /v1.0/users?$filter=userPrincipalName eq '…'", () => graph(`/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq 'user7@${domain}'`)}`)],
      ["GET /v1.0/users?$filter=startswith(displayName,'…')", () => graph(`/v1.0/users?$filter=${encodeURIComponent("startswith(displayName,'User 1')")}`)],
      ['GET /v1.0/users?$top=100', () => graph('/v1.0/users?$top=100')],
      ['POST /token (client credentials)', async () => void (await tokenRequest(base, tenant.id, clientCredentials))],
      ['password sign-in flow (authorize .. token)', signInFlow],
    ];
    console.log(`\n${dialect}: SQL statements per warm request or flow (mean of ${RUNS})`);
    for (const [label, run] of paths) {
      await run();
      await run();
      statements = [];
      for (let i = 0; i < RUNS; i++) await run();
      const total = statements.length;
      const one = statements.slice(0, Math.round(total / RUNS));
      console.log(`  ${String(total / RUNS).padStart(5)}  ${label}`);
      if (verbose) for (const sql of one) console.log(`           ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  } finally {
    await app.close();
    await database.close();
    await cleanup();
  }
}

for (const dialect of dialects.length > 0 ? dialects : (['sqlite', 'postgres'] as const)) await measureDialect(dialect);
