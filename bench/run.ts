/**
 * `npm run bench [-- <name>...]`: runs Tessera's benchmarks, each beside its reference in the same
 * run, on SQLite and on PostgreSQL; writes bench/results/<name>.json per benchmark, rewrites the
 * results region of BENCHMARKS.md and prints every figure beside its reference and target.
 *
 *   npm run bench                      the full run (1,000,000 users, 10 s windows; < 20 minutes)
 *   BENCH_QUICK=1 npm run bench        a smoke run (20,000 users, 2 s windows; about two minutes)
 *   npm run bench -- graph-filter      one benchmark (names: npm run bench -- --list)
 *
 * Settings: bench/lib/settings.ts (BENCH_QUICK, BENCH_SECONDS, BENCH_USERS, BENCH_DIALECTS,
 * BENCH_DATABASE_URL, BENCH_PG_DATABASE, BENCH_CONNECTIONS, BENCH_PIN, ...). Method: BENCHMARKS.md.
 */
import { registry } from './registry.ts';
import { consoleLine } from './lib/report.ts';
import { runBenchmarks, settingsSummary } from './lib/runner.ts';
import { updateBenchmarksMd, writeResults } from './lib/results.ts';
import { readSettings } from './lib/settings.ts';

const names = process.argv.slice(2);
if (names.includes('--list') || names.includes('--help')) {
  for (const b of registry) console.log(`${b.name.padEnd(16)} ${b.title} (target ${b.target.text})`);
  process.exit(0);
}
const unknown = names.filter((n) => !registry.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}. Known: ${registry.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = names.length > 0 ? registry.filter((b) => names.includes(b.name)) : registry;

const settings = readSettings();
const started = performance.now();
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
console.log(
  `Tessera benchmarks: ${selected.map((b) => b.name).join(', ')}\n` +
    `${settings.quick ? 'QUICK smoke run; ' : ''}${settings.users.toLocaleString('en-US')} users, ${settings.seconds} s windows after ${settings.warmupSeconds} s warm-up, dialects ${settings.dialects.join(', ')}`,
);

const outcome = await runBenchmarks(selected, settings, (line) => console.log(line));
for (const benchmark of selected) {
  writeResults({ benchmark: benchmark.name, title: benchmark.title, run: outcome.info, settings: settingsSummary(settings), measurements: outcome.rows.get(benchmark.name) ?? [] });
}
updateBenchmarksMd(registry);

console.log('\nSummary (figure | reference | ratio | target | verdict):');
for (const benchmark of selected) for (const row of outcome.rows.get(benchmark.name) ?? []) console.log(consoleLine(row));
const all = [...outcome.rows.values()].flat();
const unmet = all.filter((row) => row.met === false).length;
console.log(
  `\n${all.filter((r) => r.met === true).length} met, ${unmet} not met, ${all.filter((r) => r.met === null).length} not measured or not claimed; ` +
    `${outcome.failures} failure(s); ${((performance.now() - started) / 1000).toFixed(0)} s. Results in bench/results/, table in BENCHMARKS.md.`,
);
// A target not met is a result, not an error; a benchmark that could not run is.
process.exit(outcome.failures > 0 ? 1 : 0);
