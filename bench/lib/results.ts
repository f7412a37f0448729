import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from './benchmark.ts';
import { ROOT } from './machine.ts';
import { type BenchmarkResults, renderRegion, replaceRegion } from './report.ts';

export const RESULTS_DIR = join(ROOT, 'bench/results');
export const BENCHMARKS_MD = join(ROOT, 'BENCHMARKS.md');

export function writeResults(results: BenchmarkResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${results.benchmark}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** The recorded results of every registered benchmark that has any, in registry order. */
export function readAllResults(registry: readonly Benchmark[]): BenchmarkResults[] {
  const names = new Set(existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR) : []);
  return registry
    .filter((b) => names.has(`${b.name}.json`))
    .map((b) => JSON.parse(readFileSync(join(RESULTS_DIR, `${b.name}.json`), 'utf8')) as BenchmarkResults);
}

/** Rewrites the results region of BENCHMARKS.md from everything in bench/results/. */
export function updateBenchmarksMd(registry: readonly Benchmark[]): void {
  const current = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  writeFileSync(BENCHMARKS_MD, replaceRegion(current, renderRegion(readAllResults(registry))));
}
