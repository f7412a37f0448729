import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Every setting Tessera reads, in one table: name, default and meaning. README's configuration
 * table lists exactly these (a test checks that), and nothing else in the code reads process.env.
 */
export const settings = {
  TESSERA_PORT: { default: '3000', doc: 'TCP port the server listens on.' },
  TESSERA_HOST: { default: '127.0.0.1', doc: 'Interface to bind; use 0.0.0.0 to accept remote connections.' },
  TESSERA_BASE_URL: {
    default: 'http://localhost:{port} (https:// when TLS is on)',
    doc: 'Public origin used in issuers, links and e-mails.',
  },
  TESSERA_DATA_DIR: { default: './data', doc: 'Folder for the SQLite database, the generated secret and other local state.' },
  TESSERA_DATABASE_URL: {
    default: '{TESSERA_DATA_DIR}/tessera.db',
    doc: 'SQLite file path or `sqlite:` URL, or a `postgres://` URL.',
  },
  TESSERA_SECRET: {
    default: 'generated into {TESSERA_DATA_DIR}/secret on first start',
    doc: 'Key-encryption secret for signing keys at rest and for keyed hashes (at least 16 characters). All nodes of one deployment must share it.',
  },
  TESSERA_SMTP_URL: { default: '(none: mail stays in the outbox, visible at /dev/mail)', doc: 'SMTP server for outgoing mail, e.g. `smtp://user:pass@mail.example.com:587`.' },
  TESSERA_MAIL_FROM: { default: 'Tessera <no-reply@{host}>', doc: 'From address of outgoing mail.' },
  TESSERA_TLS_CERT: { default: '(none)', doc: 'PEM certificate file; with TESSERA_TLS_KEY the server speaks HTTPS.' },
  TESSERA_TLS_KEY: { default: '(none)', doc: 'PEM private key file for TESSERA_TLS_CERT.' },
  TESSERA_ADMIN_EMAIL: { default: '(generated: admin@{initial domain})', doc: 'Sign-in name of the first Global Administrator, created on an empty database.' },
  TESSERA_ADMIN_PASSWORD: { default: '(generated and printed once)', doc: 'Password of that first Global Administrator.' },
  TESSERA_TENANT_NAME: { default: 'Tessera', doc: 'Display name of the first tenant created on an empty database.' },
  TESSERA_LOG_LEVEL: { default: 'info', doc: 'pino log level: fatal, error, warn, info, debug, trace or silent.' },
  TESSERA_ACCESS_TOKEN_ALG: { default: 'ES256', doc: 'JWS algorithm of access tokens (ES256, RS256 or EdDSA); ID tokens are always RS256.' },
  TESSERA_TRUST_PROXY: { default: 'false', doc: 'Trust X-Forwarded-* headers (set when behind a load balancer).' },
  TESSERA_SIGNIN_RATE_LIMIT: { default: '30', doc: 'Submissions of each sign-in form allowed per client IP per minute (then 429).' },
  TESSERA_TOKEN_RATE_LIMIT: {
    default: '300',
    doc: 'Token and revocation endpoint requests (every tenant, `organizations` and `common` together) allowed per client IP per minute (then 429).',
  },
  TESSERA_METRICS_TOKEN: {
    default: '(none: /metrics is not on the main listener)',
    doc: 'Serves /metrics on the main listener to requests with `Authorization: Bearer {token}` (at least 16 characters); also required on TESSERA_METRICS_PORT when set.',
  },
  TESSERA_METRICS_PORT: { default: '(none)', doc: 'Serves /metrics on this port of 127.0.0.1 only, for a local Prometheus or agent.' },
  TESSERA_INVITATION_TICKET_DAYS: { default: '90', doc: 'Days an invitation redeem link (inviteRedeemUrl) stays valid; a re-invite issues a fresh one (1 to 365).' },
  TESSERA_BULK_INVITE_MAX_ROWS: { default: '2000', doc: 'Data rows allowed in one bulk invite CSV file (API and `tessera invite`); a larger file is refused whole (at most 50000).' },
} as const;

export type SettingName = keyof typeof settings;
export type Env = Partial<Record<string, string | undefined>>;

export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  databaseUrl: string;
  secret: string;
  smtpUrl: string | null;
  mailFrom: string;
  tls: { cert: string; key: string } | null;
  admin: { email: string | null; password: string | null; tenantName: string };
  logLevel: string;
  accessTokenAlg: 'ES256' | 'RS256' | 'EdDSA';
  trustProxy: boolean;
  /** requests per client IP per minute on the sign-in POSTs and on the token endpoint */
  rateLimits: { signIn: number; token: number };
  /** where `/metrics` is served: on the main listener only with `token`, on loopback `port` when set */
  metrics: { token: string | null; port: number | null };
  /** days an invitation ticket stays valid (TESSERA_INVITATION_TICKET_DAYS) */
  invitationTicketDays: number;
  /** data rows allowed in one bulk invite file (TESSERA_BULK_INVITE_MAX_ROWS) */
  bulkInviteMaxRows: number;
}

export class ConfigError extends Error {}

function get(env: Env, name: SettingName): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Parses the environment once. `generateSecret` is false for read-only callers (tests pass a secret);
 * the server and the CLI let a missing secret be generated into the data folder, so a fresh
 * `npm start` needs no configuration and later starts reuse the same key.
 */
export function loadConfig(env: Env = process.env, options: { generateSecret?: boolean } = {}): Config {
  const port = Number(get(env, 'TESSERA_PORT') ?? settings.TESSERA_PORT.default);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`TESSERA_PORT must be a port number, got '${env.TESSERA_PORT}'`);
  const host = get(env, 'TESSERA_HOST') ?? settings.TESSERA_HOST.default;
  const dataDir = resolve(get(env, 'TESSERA_DATA_DIR') ?? './data');
  const certPath = get(env, 'TESSERA_TLS_CERT');
  const keyPath = get(env, 'TESSERA_TLS_KEY');
  if (Boolean(certPath) !== Boolean(keyPath)) throw new ConfigError('TESSERA_TLS_CERT and TESSERA_TLS_KEY must be set together');
  const tls = certPath && keyPath ? { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') } : null;
  const baseUrl = (get(env, 'TESSERA_BASE_URL') ?? `${tls ? 'https' : 'http'}://localhost:${port}`).replace(/\/+$/, '');
  try {
    const parsed = new URL(baseUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError(`TESSERA_BASE_URL must be an http(s) URL, got '${baseUrl}'`);
  }
  const databaseUrl = get(env, 'TESSERA_DATABASE_URL') ?? join(dataDir, 'tessera.db');
  const alg = get(env, 'TESSERA_ACCESS_TOKEN_ALG') ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'RS256' && alg !== 'EdDSA') throw new ConfigError(`TESSERA_ACCESS_TOKEN_ALG must be ES256, RS256 or EdDSA, got '${alg}'`);
  const secret = get(env, 'TESSERA_SECRET') ?? (options.generateSecret === false ? undefined : readOrCreateSecret(dataDir));
  if (!secret || secret.length < 16) throw new ConfigError('TESSERA_SECRET must be at least 16 characters long');
  return {
    port,
    host,
    baseUrl,
    dataDir,
    databaseUrl,
    secret,
    smtpUrl: get(env, 'TESSERA_SMTP_URL') ?? null,
    mailFrom: get(env, 'TESSERA_MAIL_FROM') ?? `Tessera <no-reply@${new URL(baseUrl).hostname}>`,
    tls,
    admin: {
      email: get(env, 'TESSERA_ADMIN_EMAIL') ?? null,
      password: get(env, 'TESSERA_ADMIN_PASSWORD') ?? null,
      tenantName: get(env, 'TESSERA_TENANT_NAME') ?? 'Tessera',
    },
    logLevel: get(env, 'TESSERA_LOG_LEVEL') ?? 'info',
    accessTokenAlg: alg,
    trustProxy: (get(env, 'TESSERA_TRUST_PROXY') ?? 'false') === 'true',
    rateLimits: { signIn: positive(env, 'TESSERA_SIGNIN_RATE_LIMIT'), token: positive(env, 'TESSERA_TOKEN_RATE_LIMIT') },
    metrics: metricsSettings(env, port),
    invitationTicketDays: invitationTicketDays(env),
    bulkInviteMaxRows: bulkInviteMaxRows(env),
  };
}

/** Whole numbers only, 1 to 50,000: one operation stays one durable job of bounded size. */
function bulkInviteMaxRows(env: Env): number {
  const text = get(env, 'TESSERA_BULK_INVITE_MAX_ROWS') ?? settings.TESSERA_BULK_INVITE_MAX_ROWS.default;
  const value = Number(text);
  if (!/^\d{1,5}$/.test(text) || value < 1 || value > 50_000) throw new ConfigError(`TESSERA_BULK_INVITE_MAX_ROWS must be a whole number from 1 to 50000, got '${text}'`);
  return value;
}

function invitationTicketDays(env: Env): number {
  const text = get(env, 'TESSERA_INVITATION_TICKET_DAYS') ?? settings.TESSERA_INVITATION_TICKET_DAYS.default;
  const value = Number(text);
  if (!/^\d{1,3}$/.test(text) || value < 1 || value > 365) throw new ConfigError(`TESSERA_INVITATION_TICKET_DAYS must be a whole number from 1 to 365, got '${text}'`);
  return value;
}

function metricsSettings(env: Env, mainPort: number): Config['metrics'] {
  const token = get(env, 'TESSERA_METRICS_TOKEN') ?? null;
  if (token !== null && token.length < 16) throw new ConfigError('TESSERA_METRICS_TOKEN must be at least 16 characters long');
  const portText = get(env, 'TESSERA_METRICS_PORT');
  if (portText === undefined) return { token, port: null };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw new ConfigError(`TESSERA_METRICS_PORT must be a port number, got '${portText}'`);
  if (port === mainPort) throw new ConfigError('TESSERA_METRICS_PORT must differ from TESSERA_PORT');
  return { token, port };
}

function positive(env: Env, name: 'TESSERA_SIGNIN_RATE_LIMIT' | 'TESSERA_TOKEN_RATE_LIMIT'): number {
  const value = Number(get(env, name) ?? settings[name].default);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got '${env[name]}'`);
  return value;
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
