import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * What the kernel knows about a process: CPU time (utime + stime of every thread, from
 * /proc/<pid>/stat) and resident memory (VmRSS from /proc/<pid>/status). Reading them from outside
 * measures the server as it runs, whatever it is written in, and costs it nothing.
 */
let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const value = Number(out.stdout?.trim());
    ticksPerSecond = out.status === 0 && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/** utime + stime in seconds from the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseStatCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** VmRSS in KiB from the text of /proc/<pid>/status. */
export function parseStatusRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error('no VmRSS in /proc status');
  return Number(match[1]);
}

export function cpuSeconds(pid: number): number {
  return parseStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicks();
}

export function rssKb(pid: number): number {
  return parseStatusRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** CPU seconds of several processes (e.g. PostgreSQL backends), skipping any that ended or cannot be read. */
export function cpuSecondsOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, cpuSeconds(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Samples a process's VmRSS on an interval and keeps the largest value seen. */
export class RssSampler {
  #max = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly pid: number, intervalMs = 200) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    try {
      this.#max = Math.max(this.#max, rssKb(this.pid));
    } catch {
      // the process ended; keep what was seen
    }
  }

  /** Stops sampling; the largest VmRSS seen, in KiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#max;
  }
}

export const mb = (kb: number) => Math.round(kb / 102.4) / 10;
