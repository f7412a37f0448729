/**
 * The contract every benchmark implements, and the rows they produce. A benchmark is one small file
 * under bench/benchmarks/ listed in bench/registry.ts; the runner calls it once per database dialect
 * with that dialect's Environment and collects its rows into bench/results/<name>.json and the table
 * in BENCHMARKS.md. Later capability benches (bulk invites, group licensing, dynamic groups) add a
 * file and a registry line, nothing else.
 */
import type { Environment } from './environment.ts';
import type { LoadGenerator } from './load.ts';
import type { Settings } from './settings.ts';
import type { TlsMaterial } from './tls.ts';

export type Dialect = 'sqlite' | 'postgres';

export const DIALECT_LABEL: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** One condition of a target, on a named value of the row (`ratio`, `p99Ms`, `rps`, `seconds`, `ms`, `mb`). */
export interface Check {
  metric: string;
  op: '>=' | '<';
  value: number;
}

export interface Target {
  /** as printed: "≥ 0.8", "p99 < 10 ms, ≥ 2,000 req/s" */
  text: string;
  checks: Check[];
}

export interface Figure {
  value: number;
  unit: string;
  /** as printed in the table */
  text: string;
}

export interface ReferenceFigure extends Figure {
  /** what the reference is, e.g. "bare oidc-provider 9.13.3, in-memory adapter" */
  label: string;
}

/** One row of the table. */
export interface Measurement {
  /** stable row id: `<benchmark>[.<variant>].<dialect>` */
  key: string;
  benchmark: string;
  label: string;
  dialect: Dialect | null;
  figure: Figure | null;
  reference: ReferenceFigure | null;
  ratio: number | null;
  target: Target;
  /** every value the target's checks name */
  values: Record<string, number>;
  /** true/false when measured; null when skipped or failed (then `note` says why) */
  met: boolean | null;
  note?: string;
  /** everything else worth keeping: CPU per request, RSS, latencies, counts */
  details: Record<string, unknown>;
}

/** What a benchmark gets besides its dialect's Environment: the settings, the load process, TLS material. */
export interface RunContext {
  settings: Settings;
  load: LoadGenerator;
  tls: () => TlsMaterial;
  log: (line: string) => void;
}

export interface Benchmark {
  /** `npm run bench -- <name>` */
  name: string;
  /** the table's wording for the benchmark (issue 14's table) */
  title: string;
  /** the issue's target, shown on rows that could not be measured */
  target: Target;
  run(env: Environment, context: RunContext): Promise<Measurement[]>;
}

/** Evaluates a target's checks against a row's values; false as soon as one fails or is missing. */
export function meets(target: Target, values: Record<string, number>): boolean {
  return target.checks.every((check) => {
    const value = values[check.metric];
    if (value === undefined || !Number.isFinite(value)) return false;
    return check.op === '>=' ? value >= check.value : value < check.value;
  });
}

export function ratioTarget(minimum: number): Target {
  return { text: `≥ ${minimum}`, checks: [{ metric: 'ratio', op: '>=', value: minimum }] };
}

/** Builds a row, computing `met` from the target. */
export function measurement(row: Omit<Measurement, 'met' | 'key'> & { variant?: string }): Measurement {
  const { variant, ...rest } = row;
  const key = [row.benchmark, variant, row.dialect].filter(Boolean).join('.');
  return { key, ...rest, met: meets(row.target, row.values) };
}

/** A row that could not be measured (PostgreSQL unreachable, a failure): said plainly, never counted as met. */
export function unmeasured(benchmark: Benchmark, dialect: Dialect | null, note: string): Measurement {
  return {
    key: [benchmark.name, dialect].filter(Boolean).join('.'),
    benchmark: benchmark.name,
    label: `${benchmark.title}${dialect ? ` (${DIALECT_LABEL[dialect]})` : ''}`,
    dialect,
    figure: null,
    reference: null,
    ratio: null,
    target: benchmark.target,
    values: {},
    met: null,
    note,
    details: {},
  };
}
