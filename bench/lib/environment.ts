import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/kernel/passwords.ts';
import type { Dialect } from './benchmark.ts';
import { type BenchDatabase, createBenchDatabase } from './database.ts';
import { benchUser } from './population.ts';
import type { Placement } from './processes.ts';
import { mb, rssKb } from './proc.ts';
import { type SeedReport, seedUsers, setPasswords } from './seeder.ts';
import type { Settings } from './settings.ts';
import { runTesseraCli, startTessera, type TesseraOptions, type TesseraServer } from './tessera.ts';

export const BENCH_DOMAIN = 'bench.example';
export const SIGN_IN_PASSWORD = 'Bench-Passw0rd!';
export const REDIRECT_URI = 'http://localhost:8765/callback';

/** What the CLI created: the tenant, a confidential daemon app with User.Read.All, and a public web app for sign-in. */
export interface Fixture {
  tenantId: string;
  daemon: { appId: string; clientSecret: string };
  web: { appId: string };
}

export interface SharedServer extends TesseraServer {
  /** VmRSS after start and `settleSeconds` without load, in MB */
  idleRssMb: number;
}

/**
 * One dialect's world for a run: its database, the fixture made with the real `tessera` CLI, the
 * seeded users (once, timed), and one shared `tessera serve` process (HTTP) that the keep-alive
 * benchmarks use in turn. Benchmarks ask for what they need; whatever they ask first is prepared.
 */
export class Environment {
  /** values one benchmark leaves for a later one in the same run (e.g. RSS peaks under Graph load) */
  readonly observations = new Map<string, number>();
  #seed: Promise<SeedReport> | undefined;
  #signInUsers: Promise<{ upn: string; password: string }[]> | undefined;
  #server: Promise<SharedServer> | undefined;
  readonly #others = new Set<{ stop(): Promise<void> }>();

  private constructor(
    readonly dialect: Dialect,
    readonly settings: Settings,
    readonly place: Placement,
    readonly database: BenchDatabase,
    readonly secret: string,
    readonly fixture: Fixture,
    private readonly log: (line: string) => void,
  ) {}

  static async create(dialect: Dialect, settings: Settings, place: Placement, log: (line: string) => void): Promise<Environment> {
    const database = await createBenchDatabase(dialect, settings);
    try {
      const secret = `bench-${randomBytes(16).toString('hex')}`;
      const options: TesseraOptions = { databaseUrl: database.url, secret, dataDir: database.dataDir, accessTokenAlg: settings.accessTokenAlg };
      log(`  creating the tenant and apps with the tessera CLI (${dialect})`);
      const tenant = await runTesseraCli(options, ['tenant', 'create', '--name', 'Bench', '--domain', BENCH_DOMAIN, '--admin-email', `admin@${BENCH_DOMAIN}`, '--admin-password', 'Bench-Admin-Passw0rd!']);
      const tenantId = String(tenant.json.tenantId);
      const [daemon, web] = await Promise.all([
        runTesseraCli(options, ['app', 'create', '--tenant', tenantId, '--name', 'bench-daemon', '--secret', '--api-permissions', 'User.Read.All']),
        runTesseraCli(options, ['app', 'create', '--tenant', tenantId, '--name', 'bench-web', '--public', '--redirect-uri', REDIRECT_URI, '--delegated', 'User.Read']),
      ]);
      const fixture: Fixture = {
        tenantId,
        daemon: { appId: String(daemon.json.appId), clientSecret: String(daemon.json.clientSecret) },
        web: { appId: String(web.json.appId) },
      };
      return new Environment(dialect, settings, place, database, secret, fixture, log);
    } catch (error) {
      await database.drop().catch(() => {});
      throw error;
    }
  }

  tesseraOptions(tls?: { certFile: string; keyFile: string }): TesseraOptions {
    return { databaseUrl: this.database.url, secret: this.secret, dataDir: this.database.dataDir, accessTokenAlg: this.settings.accessTokenAlg, ...(tls ? { tls } : {}) };
  }

  /** Seeds `settings.users` users once per run; later calls get the same report. */
  seed(): Promise<SeedReport> {
    this.#seed ??= (async () => {
      const users = this.settings.users;
      this.log(`  seeding ${users.toLocaleString('en-US')} users (${this.dialect})`);
      let shown = 0;
      const report = await seedUsers(this.dialect, this.database.url, this.fixture.tenantId, BENCH_DOMAIN, users, (done) => {
        if (done - shown >= 250_000) {
          shown = done;
          this.log(`    ${done.toLocaleString('en-US')} users`);
        }
      });
      this.log(`    seeded in ${report.seconds.toFixed(1)} s (${report.rowsPerSecond.toLocaleString('en-US')} users/s)`);
      return report;
    })();
    return this.#seed;
  }

  /** The first users of the population, given a password (for the sign-in flows). */
  signInUsers(): Promise<{ upn: string; password: string }[]> {
    this.#signInUsers ??= (async () => {
      await this.seed();
      const count = Math.min(this.settings.users, Math.max(1, this.settings.signInConcurrency));
      const numbers = Array.from({ length: count }, (_, i) => i);
      await setPasswords(this.dialect, this.database.url, this.fixture.tenantId, numbers, await hashPassword(SIGN_IN_PASSWORD));
      return numbers.map((i) => ({ upn: benchUser(i, BENCH_DOMAIN).userPrincipalName, password: SIGN_IN_PASSWORD }));
    })();
    return this.#signInUsers;
  }

  /**
   * Stops the shared server, for a benchmark whose own server must be the only one running the
   * database's job queue (a second node without SMTP would take mail jobs and fail them); the next
   * `server()` starts a new one.
   */
  async stopSharedServer(): Promise<void> {
    const server = await this.#server?.catch(() => undefined);
    this.#server = undefined;
    await server?.stop();
  }

  /** The shared `tessera serve` (HTTP) on the seeded database; its idle RSS is read once it has settled. */
  server(): Promise<SharedServer> {
    this.#server ??= (async () => {
      await this.signInUsers();
      const server = await startTessera(this.place, this.tesseraOptions());
      this.log(`  tessera serve (${this.dialect}) answered /healthz after ${Math.round(server.startMs)} ms; settling ${this.settings.settleSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, this.settings.settleSeconds * 1000));
      return { ...server, idleRssMb: mb(rssKb(server.pid)) };
    })();
    return this.#server;
  }

  /** Keeps the largest value seen under `key` (e.g. the RSS peak under Graph load, read by the memory benchmark). */
  observeMax(key: string, value: number): void {
    this.observations.set(key, Math.max(this.observations.get(key) ?? 0, value));
  }

  /** Stops a process with the environment (servers a benchmark starts for itself and may leave running on failure). */
  track<T extends { stop(): Promise<void> }>(process: T): T {
    this.#others.add(process);
    return process;
  }

  /** A real app-only access token from a Tessera server's token endpoint (the daemon app, User.Read.All). */
  async appToken(base: string): Promise<string> {
    const response = await fetch(`${base}/${this.fixture.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: this.tokenRequestBody(base),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || !body.access_token) throw new Error(`the token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** The client-credentials request an Entra daemon sends: secret in the body, `{graph}/.default`. */
  tokenRequestBody(base: string): string {
    return new URLSearchParams({ grant_type: 'client_credentials', client_id: this.fixture.daemon.appId, client_secret: this.fixture.daemon.clientSecret, scope: `${base}/.default` }).toString();
  }

  async close(): Promise<void> {
    const server = await this.#server?.catch(() => undefined);
    await server?.stop();
    for (const other of this.#others) await other.stop().catch(() => {});
    await this.database.drop();
  }
}
