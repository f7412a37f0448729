/**
 * Reference for `GET /v1.0/users/{upn}`: a MINIMAL node:http server that does what the request
 * needs and nothing more. It verifies the same access token as Tessera (signature with the tenant's
 * public key, imported ONCE at start and cached by kid; issuer; audience; expiry; the User.Read.All
 * role), runs the same SQL with a prepared statement (better-sqlite3 on the same SQLite file, opened
 * read-only; a pg named prepared statement on PostgreSQL) and returns the user as Graph JSON.
 *
 * Config (env BENCH_REFERENCE, JSON): { dialect, databaseUrl, tenantId, issuer, audiences, jwks, role, graphRoot }
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import pg from 'pg';
import { announce, serveRequests } from '../lib/ipc-child.ts';

interface Config {
  dialect: 'sqlite' | 'postgres';
  databaseUrl: string;
  tenantId: string;
  issuer: string;
  audiences: string[];
  jwks: { keys: (JWK & { kid: string; alg?: string })[] };
  role: string;
  graphRoot: string;
}

const config = JSON.parse(process.env.BENCH_REFERENCE ?? '{}') as Config;
const SQL = 'select * from users where tenant_id = $1 and lower(user_principal_name) = $2';

// The keys, imported once.
const keys = new Map<string, Awaited<ReturnType<typeof importJWK>>>();
for (const jwk of config.jwks.keys) if (jwk.alg) keys.set(jwk.kid, await importJWK(jwk, jwk.alg));

type Row = Record<string, unknown>;
let findByUpn: (upn: string) => Promise<Row | undefined>;
if (config.dialect === 'sqlite') {
  const require = createRequire(import.meta.url);
  const Sqlite = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Sqlite(config.databaseUrl, { readonly: true });
  const statement = db.prepare(SQL.replace(/\$\d/g, '?'));
  findByUpn = async (upn) => statement.get(config.tenantId, upn) as Row | undefined;
} else {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  findByUpn = async (upn) => (await pool.query<Row>({ name: 'user_by_upn', text: SQL, values: [config.tenantId, upn] })).rows[0];
}

const list = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? []));

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const error = (code: string, message: string) => ({ error: { code, message } });

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const match = /^\/v1\.0\/users\/([^/?]+)$/.exec(request.url ?? '');
  if (request.method !== 'GET' || !match) return send(response, 404, error('Request_ResourceNotFound', 'Not found.'));
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!bearer) return send(response, 401, error('InvalidAuthenticationToken', 'Access token is empty.'));
  let payload: Record<string, unknown>;
  try {
    const key = keys.get(String(decodeProtectedHeader(bearer).kid));
    if (!key) throw new Error('unknown key');
    ({ payload } = await jwtVerify(bearer, key, { issuer: config.issuer, audience: config.audiences, algorithms: ['ES256', 'RS256', 'EdDSA'], clockTolerance: 30 }));
  } catch {
    return send(response, 401, error('InvalidAuthenticationToken', 'Access token validation failure.'));
  }
  if (payload.tid !== config.tenantId) return send(response, 401, error('InvalidAuthenticationToken', 'Unknown tenant.'));
  if (!Array.isArray(payload.roles) || !payload.roles.includes(config.role)) return send(response, 403, error('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
  const row = await findByUpn(decodeURIComponent(match[1]!).toLowerCase());
  if (!row) return send(response, 404, error('Request_ResourceNotFound', 'Resource does not exist.'));
  send(response, 200, {
    '@odata.context': `${config.graphRoot}/$metadata#users/$entity`,
    businessPhones: list(row.business_phones),
    displayName: row.display_name,
    givenName: row.given_name,
    jobTitle: row.job_title,
    mail: row.mail,
    mobilePhone: row.mobile_phone,
    officeLocation: row.office_location,
    preferredLanguage: row.preferred_language,
    surname: row.surname,
    userPrincipalName: row.user_principal_name,
    id: row.id,
  });
}

const server = createServer((request, response) => {
  handle(request, response).catch((failure: unknown) => send(response, 500, error('generalException', String(failure))));
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
serveRequests({});
announce({ type: 'ready', port: (server.address() as AddressInfo).port });
