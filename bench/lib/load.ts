import { join } from 'node:path';
import { ROOT } from './machine.ts';
import { type Child, type Placement, startChild } from './processes.ts';
import type { LatencySummary } from './stats.ts';

/** Keep-alive HTTP load with autocannon; each request takes the next of `paths`. */
export interface HttpJob {
  origin: string;
  method: 'GET' | 'POST';
  paths: string[];
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
}

/** One new TLS connection per request (no keep-alive, no session resumption). */
export interface TlsJob {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  ca: string;
  concurrency: number;
  seconds: number;
}

/** Whole sign-in flows through the pages, as a browser: authorize, forms, code, token. */
export interface FlowJob {
  base: string;
  tenant: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  users: { upn: string; password: string }[];
  concurrency: number;
  seconds: number;
}

export interface LoadResult {
  /** 2xx responses (completed flows for sign-in) */
  ok: number;
  failed: number;
  seconds: number;
  /** ok per wall-clock second */
  rps: number;
  latency: LatencySummary;
  statusCodes: Record<string, number>;
  /** TLS jobs: full handshakes seen by the client, and how many of them resumed a session (should be 0) */
  handshakes?: number;
  resumed?: number;
  /** TLS jobs: the protocol negotiated (e.g. TLSv1.3) */
  protocol?: string;
  firstError?: string;
}

/**
 * The runner's handle on the load-generator process (bench/load/load-process.ts), started once
 * per run on the load core. Jobs run one at a time.
 */
export class LoadGenerator {
  private constructor(private readonly child: Child) {}

  static async start(place: Placement): Promise<LoadGenerator> {
    const child = startChild('load generator', place, 'load', process.execPath, ['--import', 'tsx', join(ROOT, 'bench/load/load-process.ts')], { cwd: ROOT, ipc: true });
    await child.message('ready');
    return new LoadGenerator(child);
  }

  get pid(): number {
    return this.child.pid;
  }

  http(job: HttpJob): Promise<LoadResult> {
    return this.child.request({ type: 'http', job });
  }

  tls(job: TlsJob): Promise<LoadResult> {
    return this.child.request({ type: 'tls', job });
  }

  signIn(job: FlowJob): Promise<LoadResult> {
    return this.child.request({ type: 'signIn', job });
  }

  close(): Promise<void> {
    return this.child.stop();
  }
}
