import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './machine.ts';
import { type Child, type Placement, freePort, startChild, waitForStatus } from './processes.ts';

/**
 * How the bench runs Tessera: as a real `tessera serve` process (and real `tessera` CLI commands),
 * configured only through its TESSERA_* environment, exactly as it is deployed.
 */

/**
 * The one place that says how to start the `tessera` program: bin/tessera.js, as `npm start` and
 * the installed command run it (the compiled JavaScript in dist/, rebuilt first when src/ is newer;
 * the first CLI command of a run, which creates the bench tenant, pays for that build, not a timed one).
 */
export function tesseraCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [join(ROOT, 'bin/tessera.js'), ...args] };
}

export interface TesseraOptions {
  databaseUrl: string;
  secret: string;
  dataDir: string;
  accessTokenAlg: string;
  tls?: { certFile: string; keyFile: string };
}

/** The environment of every Tessera process the bench starts (server and CLI). */
export function tesseraEnv(options: TesseraOptions, port?: number): NodeJS.ProcessEnv {
  const scheme = options.tls ? 'https' : 'http';
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    TESSERA_DATABASE_URL: options.databaseUrl,
    TESSERA_SECRET: options.secret,
    TESSERA_DATA_DIR: options.dataDir,
    TESSERA_LOG_LEVEL: 'warn',
    TESSERA_ACCESS_TOKEN_ALG: options.accessTokenAlg,
    // the limiters protect production; here they would cap the very rate being measured
    TESSERA_TOKEN_RATE_LIMIT: '1000000000',
    TESSERA_SIGNIN_RATE_LIMIT: '1000000000',
    TESSERA_HOST: '127.0.0.1',
    ...(port ? { TESSERA_PORT: String(port), TESSERA_BASE_URL: `${scheme}://127.0.0.1:${port}` } : {}),
    ...(options.tls ? { TESSERA_TLS_CERT: options.tls.certFile, TESSERA_TLS_KEY: options.tls.keyFile } : {}),
  };
}

export interface TesseraServer {
  child: Child;
  pid: number;
  base: string;
  /** spawn to first `/healthz` 200, in ms */
  startMs: number;
  stop(): Promise<void>;
}

/** Spawns `tessera serve` on a free loopback port (pinned to the server core) and waits for `/healthz` 200. */
export async function startTessera(place: Placement, options: TesseraOptions, ca?: string): Promise<TesseraServer> {
  const port = await freePort();
  const { command, args } = tesseraCommand(['serve']);
  const base = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const since = performance.now();
  const child = startChild(`tessera serve (${base})`, place, 'server', command, args, { env: tesseraEnv(options, port), cwd: ROOT });
  try {
    const startMs = await waitForStatus(`${base}/healthz`, child, { since, ...(ca ? { ca } : {}) });
    return { child, pid: child.pid, base, startMs, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/**
 * Runs one `tessera` CLI command to completion; its parsed JSON output and its wall time (spawn to
 * exit). `pinned` runs it on the server core, as the timed CLI benchmark does.
 */
export async function runTesseraCli(options: TesseraOptions, argv: string[], place?: Placement): Promise<{ json: Record<string, unknown>; wallMs: number }> {
  const { command, args } = tesseraCommand(argv);
  const wrapped = place ? place.wrap('server', command, args) : { command, args };
  const since = performance.now();
  const child = spawn(wrapped.command, wrapped.args, { cwd: ROOT, env: tesseraEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const wallMs = performance.now() - since;
  if (code !== 0) throw new Error(`tessera ${argv.slice(0, 2).join(' ')} exited with ${code}: ${stderr.trim() || stdout.trim()}`);
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return { json: JSON.parse(line) as Record<string, unknown>, wallMs };
  } catch {
    throw new Error(`tessera ${argv.slice(0, 2).join(' ')} printed no JSON: ${stdout.slice(0, 500)}`);
  }
}
