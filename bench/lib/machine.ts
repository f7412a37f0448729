import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
}

export interface RunInfo {
  date: string;
  commit: string;
  node: string;
  machine: Machine;
  /** how server and load generator were placed on the cores */
  pinning: string;
}

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

export function machine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
  };
}

/** `git rev-parse HEAD` (short), with `+dirty` when the working tree has changes; `unknown` outside a git checkout. */
export function gitCommit(): string {
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${status.status === 0 && status.stdout.trim() ? '+dirty' : ''}`;
}

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

export function runInfo(pinned: boolean): RunInfo {
  return {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    machine: machine(),
    pinning: pinned
      ? 'taskset: servers (Tessera and the references) on core 0, the load generator on core 1'
      : 'not pinned (taskset missing, a single core, or BENCH_PIN=0): server and load generator share the cores',
  };
}
