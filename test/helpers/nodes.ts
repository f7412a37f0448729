import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { testTls } from './tls.ts';
export { freePort } from './ports.ts';
import { freePort } from './ports.ts';

/**
 * Real `tessera serve` processes for multi-node tests: N nodes on one database URL, each on a port
 * of its own, all answering under one public base URL (node 1's address) the way nodes behind a
 * load balancer do. HTTPS with the loopback test certificate when scripts/test.mjs made one, plain
 * HTTP otherwise.
 */
export interface ServeNode {
  /** the address this node listens on (requests go here; tokens name `baseUrl`) */
  url: string;
  /** the public base URL every node was started with */
  baseUrl: string;
  child: ChildProcess;
  /** everything the process wrote to stdout and stderr so far */
  output(): string;
  /** SIGTERM, then wait for the exit; a no-op once the process is gone */
  stop(): Promise<void>;
}

export interface StartNodesOptions {
  /** TESSERA_DATABASE_URL of every node (e.g. `TestDatabase.url`) */
  databaseUrl: string;
  /** how many nodes (default 2) */
  count?: number;
  /** TESSERA_SECRET (default a fixed test secret); a container opened by the test must use the same */
  secret?: string;
  /** TESSERA_BASE_URL of every node (default node 1's own address) */
  baseUrl?: string;
  /** extra environment for every node, or per node index */
  env?: Record<string, string> | ((index: number) => Record<string, string>);
}

export const NODE_SECRET = 'serve-nodes-secret-0123456789abcdef';


/** The address node i will listen on, known before it starts (so a container can use it as base URL). */
export async function reservePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

export function nodeScheme(): 'http' | 'https' {
  return testTls() ? 'https' : 'http';
}

/** Starts the nodes one after another (so migrations on an empty database never race) and waits for /healthz on each. */
export async function startNodes(options: StartNodesOptions & { ports?: number[] }): Promise<ServeNode[]> {
  const count = options.count ?? options.ports?.length ?? 2;
  const ports = options.ports ?? (await reservePorts(count));
  const scheme = nodeScheme();
  const tls = testTls();
  const baseUrl = options.baseUrl ?? `${scheme}://127.0.0.1:${ports[0]}`;
  const nodes: ServeNode[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = ports[i]!;
      const extra = typeof options.env === 'function' ? options.env(i) : (options.env ?? {});
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/main.ts'), 'serve'], {
        env: {
          ...process.env,
          TESSERA_DATABASE_URL: options.databaseUrl,
          TESSERA_SECRET: options.secret ?? NODE_SECRET,
          TESSERA_PORT: String(port),
          TESSERA_HOST: '127.0.0.1',
          TESSERA_BASE_URL: baseUrl,
          TESSERA_TLS_CERT: tls?.certFile ?? '',
          TESSERA_TLS_KEY: tls?.keyFile ?? '',
          TESSERA_LOG_LEVEL: 'warn',
          TESSERA_DATA_DIR: `/tmp/tessera-nodes-data-${process.pid}`,
          ...extra,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const node: ServeNode = { url: `${scheme}://127.0.0.1:${port}`, baseUrl, child, output: () => output, stop: () => stopChild(child) };
      nodes.push(node);
      await waitForHealth(node);
    }
  } catch (error) {
    await stopNodes(nodes);
    throw error;
  }
  return nodes;
}

export async function stopNodes(nodes: ServeNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.stop()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function waitForHealth(node: ServeNode): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (node.child.exitCode !== null) throw new Error(`node exited early (${node.child.exitCode}):\n${node.output()}`);
    try {
      if ((await fetch(`${node.url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`node at ${node.url} did not become healthy:\n${node.output()}`);
}
