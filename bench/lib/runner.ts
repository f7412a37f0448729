import { type Benchmark, type Dialect, DIALECT_LABEL, type Measurement, type RunContext, unmeasured } from './benchmark.ts';
import { postgresUnreachable } from './database.ts';
import { Environment } from './environment.ts';
import { LoadGenerator } from './load.ts';
import { runInfo, type RunInfo } from './machine.ts';
import { placement } from './processes.ts';
import { consoleLine } from './report.ts';
import type { Settings } from './settings.ts';
import { makeTlsMaterial, type TlsMaterial } from './tls.ts';

export interface RunOutcome {
  info: RunInfo;
  rows: Map<string, Measurement[]>;
  failures: number;
}

/** The settings a reader needs to interpret a run, recorded with every result. */
export function settingsSummary(settings: Settings): Record<string, unknown> {
  return {
    quick: settings.quick,
    users: settings.users,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    connections: settings.connections,
    signInConcurrency: settings.signInConcurrency,
    accessTokenAlg: settings.accessTokenAlg,
  };
}

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * Runs the selected benchmarks dialect by dialect (all of SQLite, then all of PostgreSQL, each in
 * a fresh database), with one load-generator process for the whole run. A benchmark that fails
 * becomes a row that says so, and the run goes on.
 */
export async function runBenchmarks(selected: readonly Benchmark[], settings: Settings, log: (line: string) => void): Promise<RunOutcome> {
  const place = placement(settings.pin);
  const info = runInfo(place.pinned);
  const rows = new Map<string, Measurement[]>(selected.map((b) => [b.name, []]));
  let failures = 0;
  let tls: TlsMaterial | undefined;
  const load = await LoadGenerator.start(place);
  const context: RunContext = { settings, load, tls: () => (tls ??= makeTlsMaterial()), log };
  log(`${info.pinning}`);
  try {
    for (const dialect of settings.dialects) {
      log(`\n${DIALECT_LABEL[dialect]}`);
      const skipped = await skipReason(dialect, settings);
      if (skipped) {
        log(`  ${skipped}`);
        for (const b of selected) rows.get(b.name)!.push(unmeasured(b, dialect, skipped));
        continue;
      }
      let env: Environment;
      const began = performance.now();
      try {
        env = await Environment.create(dialect, settings, place, log);
        log(`  (${((performance.now() - began) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failures++;
        log(`  could not prepare the ${dialect} environment: ${(error as Error).message}`);
        for (const b of selected) rows.get(b.name)!.push(unmeasured(b, dialect, `failed: ${firstLine(error)}`));
        continue;
      }
      try {
        for (const benchmark of selected) {
          log(`${benchmark.name} [${dialect}]`);
          const began = performance.now();
          try {
            const measured = await benchmark.run(env, context);
            for (const row of measured) log(consoleLine(row));
            log(`  (${((performance.now() - began) / 1000).toFixed(1)} s)`);
            rows.get(benchmark.name)!.push(...measured);
          } catch (error) {
            failures++;
            log(`  FAILED: ${(error as Error)?.stack ?? String(error)}`);
            rows.get(benchmark.name)!.push(unmeasured(benchmark, dialect, `failed: ${firstLine(error)}`));
          }
        }
      } finally {
        await env.close();
      }
    }
  } finally {
    await load.close();
    tls?.remove();
  }
  return { info, rows, failures };
}

async function skipReason(dialect: Dialect, settings: Settings): Promise<string | null> {
  if (dialect !== 'postgres') return null;
  const reason = await postgresUnreachable(settings.databaseUrl);
  return reason ? `skipped: PostgreSQL at ${redacted(settings.databaseUrl)} is unreachable (${reason}); set BENCH_DATABASE_URL` : null;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);
}
