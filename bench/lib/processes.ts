import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { cpus } from 'node:os';
import { hasTaskset } from './machine.ts';
export { freePort } from '../../test/helpers/ports.ts';

/**
 * Child processes of a run: Tessera, the references and the load generator. Servers go to core 0
 * and the load generator to core 1 (taskset), so neither steals the other's core; the runner
 * itself only waits and reads /proc.
 */
export type Role = 'server' | 'load';

export interface Placement {
  pinned: boolean;
  wrap(role: Role, command: string, args: string[]): { command: string; args: string[] };
}

export function placement(pin: boolean): Placement {
  const pinned = pin && cpus().length >= 2 && hasTaskset();
  return {
    pinned,
    wrap: (role, command, args) => (pinned ? { command: 'taskset', args: ['-c', role === 'server' ? '0' : '1', command, ...args] } : { command, args }),
  };
}


/** Every child still running, so an interrupted run (Ctrl-C) leaves no server behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

type Message = { type?: string; id?: number; result?: unknown; error?: string; [key: string]: unknown };

/**
 * A child process we started, with its output kept for error messages and, for bench processes,
 * a request/response channel over IPC. taskset execs its command, so `pid` is the program's own.
 */
export class Child {
  #output = '';
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #messages: Message[] = [];
  readonly #listeners = new Set<(message: Message) => void>();
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    const child = proc;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    live.add(child);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => live.delete(child));
    void this.exited.then((code) => {
      for (const { reject } of this.#pending.values()) reject(new Error(`${name} exited (${code}) during a request:\n${this.output}`));
      this.#pending.clear();
    });
    child.on('message', (message: Message) => {
      if (typeof message.id === 'number' && this.#pending.has(message.id)) {
        const pending = this.#pending.get(message.id)!;
        this.#pending.delete(message.id);
        if (message.error) pending.reject(new Error(`${name}: ${message.error}`));
        else pending.resolve(message.result);
        return;
      }
      this.#messages.push(message);
      for (const listener of this.#listeners) listener(message);
    });
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name} has no pid (did it start?)`);
    return this.proc.pid;
  }

  get output(): string {
    return this.#output;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Sends a request over IPC and waits for the answer with the same id. */
  request<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.proc.send({ ...message, id });
    });
  }

  /** Waits for a message of a type (e.g. `ready`), or fails when the process exits first. */
  message<T extends Message>(type: string, timeoutMs = 60_000): Promise<T> {
    const seen = this.#messages.find((m) => m.type === type);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const listener = (m: Message) => {
        if (m.type === type) done(null, m as T);
      };
      const done = (error: Error | null, value?: T) => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        if (error) reject(error);
        else resolve(value!);
      };
      this.#listeners.add(listener);
      void this.exited.then((code) => done(new Error(`${this.name} exited (${code}) before '${type}':\n${this.output}`)));
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function startChild(
  name: string,
  place: Placement,
  role: Role,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; ipc?: boolean } = {},
): Child {
  const wrapped = place.wrap(role, command, args);
  const child = spawn(wrapped.command, wrapped.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  return new Child(name, child);
}

/** One GET with a fresh connection; resolves to the status code. `ca` trusts a self-signed certificate. */
export function statusOf(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'GET', agent: false, timeout: 2_000, ...(ca ? { ca } : {}) }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', reject);
    request.end();
  });
}

/** Polls `url` until it answers `status`; the time from `since` (a performance.now() value) to that answer, in ms. */
export async function waitForStatus(url: string, child: Child, options: { since?: number; timeoutMs?: number; intervalMs?: number; status?: number; ca?: string } = {}): Promise<number> {
  const since = options.since ?? performance.now();
  const timeout = options.timeoutMs ?? 120_000;
  while (performance.now() < since + timeout) {
    if (!child.running) throw new Error(`${child.name} exited before ${url} answered:\n${child.output}`);
    try {
      if ((await statusOf(url, options.ca)) === (options.status ?? 200)) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
  throw new Error(`${child.name}: ${url} did not answer within ${timeout} ms:\n${child.output}`);
}

/**
 * Waits until a server answers `url` quickly again (twice under 50 ms), so a window never starts
 * while the server still works off requests a previous window left queued (a slow query on
 * SQLite blocks the event loop for all of them). Gives up silently after `maxSeconds`.
 */
export async function untilQuiet(url: string, maxSeconds = 60, ca?: string): Promise<void> {
  const deadline = performance.now() + maxSeconds * 1000;
  let fast = 0;
  while (fast < 2 && performance.now() < deadline) {
    const began = performance.now();
    try {
      await statusOf(url, ca);
      fast = performance.now() - began < 50 ? fast + 1 : 0;
    } catch {
      fast = 0;
    }
    if (fast < 2) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
