import { join } from 'node:path';
import { ROOT } from './machine.ts';
import { type Child, type Placement, startChild } from './processes.ts';

export type ReferenceName = 'oidc-reference' | 'graph-reference' | 'argon2-reference';

export interface Reference {
  child: Child;
  pid: number;
  /** the port it listens on (servers only) */
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts one of bench/references/*.ts in its own process on the server core (where Tessera runs),
 * under NODE_ENV=production like Tessera, and waits until it says it is ready.
 */
export async function startReference(place: Placement, name: ReferenceName, config: Record<string, unknown>): Promise<Reference> {
  const child = startChild(name, place, 'server', process.execPath, ['--import', 'tsx', join(ROOT, 'bench/references', `${name}.ts`)], {
    cwd: ROOT,
    ipc: true,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', BENCH_REFERENCE: JSON.stringify(config) },
  });
  try {
    const ready = await child.message<{ type: string; port?: number }>('ready');
    return { child, pid: child.pid, port: ready.port ?? 0, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
