import type { Figure, ReferenceFigure } from './benchmark.ts';
import type { LoadResult } from './load.ts';
import { cpuSeconds, cpuSecondsOf, mb, RssSampler } from './proc.ts';
import { untilQuiet } from './processes.ts';

/**
 * One measurement window on one server process: a warm-up (discarded), then the measured load,
 * with the server's CPU time (utime + stime from /proc, before and after) and its largest VmRSS
 * sampled during the window. The load generator shares the machine's two cores, so throughput
 * per server CPU-second is reported beside the raw rate.
 */
export interface Window {
  load: LoadResult;
  serverCpuSeconds: number;
  /** server CPU per request answered (ok or not), in ms */
  cpuMsPerRequest: number;
  /** ok responses per server CPU-second */
  perCpuSecond: number;
  rssPeakMb: number;
  /** CPU of the PostgreSQL backends serving the database, per request, when they can be read */
  dbCpuMsPerRequest?: number;
  /** share of one core the load generator used; near 1 means the load, not the server, set the rate */
  loadCpuShare?: number;
}

export interface Measured {
  pid: number;
  /** the load generator's pid, to tell when it (rather than the server) was the limit */
  loadPid?: number;
  /** a cheap URL of the server (`/healthz`): the window waits until it answers quickly */
  quietUrl?: string;
  /** PostgreSQL backends to include as database CPU (read at the start of the window) */
  backendPids?: () => Promise<number[]>;
}

export async function measureWindow(target: Measured, load: () => Promise<LoadResult>, warmup?: () => Promise<LoadResult>): Promise<Window> {
  if (target.quietUrl) await untilQuiet(target.quietUrl);
  if (warmup) {
    // a wrong request (401, 400...) fails fast here; a merely slow server gets its window
    const w = await warmup();
    if (w.ok === 0 && (httpErrors(w) > 0 || w.firstError)) throw new Error(`the warm-up got no successful response: ${JSON.stringify(w.statusCodes)} ${w.firstError ?? ''}`);
  }
  const backends = target.backendPids ? await target.backendPids() : [];
  const dbBefore = cpuSecondsOf(backends);
  const before = cpuSeconds(target.pid);
  const loadBefore = target.loadPid ? cpuSeconds(target.loadPid) : 0;
  const sampler = new RssSampler(target.pid);
  const began = performance.now();
  const result = await load();
  const wallSeconds = (performance.now() - began) / 1000;
  const rssPeakKb = sampler.stop();
  const serverCpuSeconds = cpuSeconds(target.pid) - before;
  const loadCpuSeconds = target.loadPid ? cpuSeconds(target.loadPid) - loadBefore : undefined;
  const dbAfter = cpuSecondsOf([...dbBefore.keys()]);
  const answered = result.ok + result.failed;
  const window: Window = {
    load: result,
    serverCpuSeconds,
    cpuMsPerRequest: answered > 0 ? (serverCpuSeconds * 1000) / answered : Number.NaN,
    perCpuSecond: serverCpuSeconds > 0 ? result.ok / serverCpuSeconds : Number.NaN,
    rssPeakMb: mb(rssPeakKb),
    ...(loadCpuSeconds !== undefined ? { loadCpuShare: loadCpuSeconds / wallSeconds } : {}),
  };
  if (dbAfter.size > 0 && answered > 0) {
    let db = 0;
    for (const [pid, after] of dbAfter) db += after - (dbBefore.get(pid) ?? after);
    window.dbCpuMsPerRequest = (db * 1000) / answered;
  }
  return window;
}

/** Above this share of its core, the load generator may have set the rate rather than the server. */
export const SATURATED = 0.9;

/**
 * Tessera against its reference: the ratio of requests per second, as the targets mean it; but when
 * the load generator used (nearly) all of its core in either window, the rates say more about the
 * load than about the servers, and the ratio is taken per server CPU-second instead (and says so).
 */
export function compare(tessera: Window, reference: Window): { ratio: number; basis: 'requests per second' | 'per server CPU-second'; note?: string } {
  const saturated = [tessera, reference].some((w) => (w.loadCpuShare ?? 0) > SATURATED);
  const perCpu = tessera.perCpuSecond / reference.perCpuSecond;
  if (saturated && Number.isFinite(perCpu)) {
    return { ratio: perCpu, basis: 'per server CPU-second', note: 'ratio per server CPU-second: the load generator saturated its core' };
  }
  return { ratio: tessera.load.rps / reference.load.rps, basis: 'requests per second' };
}

/** Responses with an HTTP status outside 2xx (not timeouts or connection errors). */
export function httpErrors(result: LoadResult): number {
  return Object.entries(result.statusCodes)
    .filter(([status]) => /^\d+$/.test(status) && !status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/**
 * A window with failed requests measured the wrong thing; stop rather than print a figure for it.
 * `slowIsAResult`: a window where requests only timed out, or none finished in time, is a figure
 * (a very bad one), not a failure; wrong answers still are.
 */
export function assertClean(name: string, window: Window, options: { slowIsAResult?: boolean } = {}): void {
  const { ok, failed, statusCodes, firstError } = window.load;
  const wrong = options.slowIsAResult ? httpErrors(window.load) : failed;
  if ((ok === 0 && !options.slowIsAResult) || wrong > 0) {
    throw new Error(`${name}: ${failed} of ${ok + failed} requests failed (${JSON.stringify(statusCodes)})${firstError ? `: ${firstError}` : ''}`);
  }
}

export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** "1,234 req/s (0.81 ms CPU/req)" */
export function rateFigure(window: Window, unit = 'req/s', perUnit = 'req'): Figure {
  return {
    value: window.load.rps,
    unit,
    text: `${fmt(window.load.rps)} ${unit} (${fmt(window.cpuMsPerRequest)} ms CPU/${perUnit})`,
  };
}

export function referenceFigure(label: string, window: Window, unit = 'req/s', perUnit = 'req'): ReferenceFigure {
  return { label, ...rateFigure(window, unit, perUnit), text: `${label}: ${rateFigure(window, unit, perUnit).text}` };
}

/** The details every throughput row keeps, for the JSON results. */
export function windowDetails(window: Window): Record<string, unknown> {
  return {
    rps: round(window.load.rps),
    perServerCpuSecond: round(window.perCpuSecond),
    serverCpuMsPerRequest: round(window.cpuMsPerRequest),
    ...(window.dbCpuMsPerRequest !== undefined ? { databaseCpuMsPerRequest: round(window.dbCpuMsPerRequest) } : {}),
    rssPeakMb: window.rssPeakMb,
    ...(window.loadCpuShare !== undefined ? { loadGeneratorCpuShare: round(window.loadCpuShare) } : {}),
    ok: window.load.ok,
    failed: window.load.failed,
    seconds: round(window.load.seconds),
    latency: window.load.latency,
    statusCodes: window.load.statusCodes,
    ...(window.load.handshakes !== undefined ? { handshakes: window.load.handshakes, resumedSessions: window.load.resumed } : {}),
  };
}

export const round = (value: number, digits = 3) => (Number.isFinite(value) ? Number(value.toPrecision(digits + 2)) : null);
