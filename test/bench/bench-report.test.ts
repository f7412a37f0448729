import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measurement, meets, ratioTarget, type Measurement } from '../../bench/lib/benchmark.ts';
import { compare, type Window } from '../../bench/lib/measure.ts';
import { parseStatCpuTicks, parseStatusRssKb } from '../../bench/lib/proc.ts';
import { type BenchmarkResults, consoleLine, REGION_END, REGION_START, renderRegion, replaceRegion } from '../../bench/lib/report.ts';
import { readSettings } from '../../bench/lib/settings.ts';

/** The bench runner's bookkeeping: targets, the BENCHMARKS.md table, /proc parsing, settings. No benchmark runs here. */

const run = (date: string): BenchmarkResults['run'] => ({
  date,
  commit: 'abc123',
  node: 'v24.0.0',
  machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 4, kernel: '6.0' },
  pinning: 'pinned',
});

function row(ratio: number, dialect: 'sqlite' | 'postgres' = 'sqlite'): Measurement {
  return measurement({
    benchmark: 'token-keepalive',
    label: `Tokens (${dialect})`,
    dialect,
    figure: { value: ratio * 100, unit: 'tokens/s', text: `${ratio * 100} tokens/s` },
    reference: { label: 'bare', value: 100, unit: 'tokens/s', text: 'bare: 100 tokens/s' },
    ratio,
    target: ratioTarget(0.8),
    values: { ratio },
    details: {},
  });
}

test('a target is met only when every check passes; a missing or non-finite value never meets it', () => {
  const target = { text: 'p99 < 10 ms, ≥ 2,000 req/s', checks: [{ metric: 'p99Ms', op: '<' as const, value: 10 }, { metric: 'rps', op: '>=' as const, value: 2000 }] };
  assert.equal(meets(target, { p99Ms: 9.9, rps: 2000 }), true);
  assert.equal(meets(target, { p99Ms: 10, rps: 5000 }), false, 'p99 must be strictly under');
  assert.equal(meets(target, { p99Ms: 1, rps: 1999 }), false);
  assert.equal(meets(target, { p99Ms: 1 }), false, 'a missing value');
  assert.equal(meets(target, { p99Ms: Number.NaN, rps: 3000 }), false, 'NaN');
  assert.equal(meets(ratioTarget(0.8), { ratio: Number.POSITIVE_INFINITY }), false);
});

test('rows say plainly when a figure falls short, in the table and on the console', () => {
  const short = row(0.09);
  const good = row(0.95, 'postgres');
  assert.equal(short.met, false);
  assert.equal(good.met, true);
  assert.equal(short.key, 'token-keepalive.sqlite');
  const region = renderRegion([{ benchmark: 'token-keepalive', title: 'Tokens', run: run('2026-01-02T00:00:00.000Z'), settings: { users: 1_000_000 }, measurements: [short, good] }]);
  assert.match(region, /\| Benchmark \| Figure \| Reference \| Ratio \| Target \| Met\? \|/);
  assert.match(region, /\| Tokens \(sqlite\) \| 9 tokens\/s \| bare: 100 tokens\/s \| 0\.09 \| ≥ 0\.8 \| \*\*not met\*\* \|/);
  assert.match(region, /\| Tokens \(postgres\) \| 95 tokens\/s \| bare: 100 tokens\/s \| 0\.95 \| ≥ 0\.8 \| met \|/);
  assert.match(region, /Commit: abc123/);
  assert.match(region, /Machine: Test CPU, 2 cores, 4 GiB/);
  assert.match(region, /users=1,000,000/);
  assert.match(consoleLine(short), /Tessera 9 tokens\/s \| reference bare: 100 tokens\/s \| ratio 0\.09 \| target ≥ 0\.8 \| NOT MET$/);
});

test('a row that could not be measured is never shown as met, and rows of an earlier run are marked', () => {
  const skipped: Measurement = { ...row(0.9), key: 'x', met: null, figure: null, ratio: null, reference: null, note: 'skipped: PostgreSQL at postgres://x is unreachable' };
  const region = renderRegion([
    { benchmark: 'a', title: 'A', run: run('2026-01-02T00:00:00.000Z'), settings: {}, measurements: [skipped] },
    { benchmark: 'b', title: 'B', run: run('2026-01-01T00:00:00.000Z'), settings: {}, measurements: [row(0.5)] },
  ]);
  assert.match(region, /\| — \(skipped: PostgreSQL at postgres:\/\/x is unreachable\) \| — \| — \| ≥ 0\.8 \| skipped \|/);
  assert.match(region, /Tokens \(sqlite\) † \|/);
  assert.match(region, /† from an earlier run \(b: 2026-01-01T00:00:00\.000Z, commit abc123\)/);
  assert.match(consoleLine(skipped), /NOT MEASURED \(skipped: PostgreSQL/);
});

test('the results region is replaced in place, keeping the prose around it, or appended when missing', () => {
  const prose = `# Benchmarks\n\nHow to read this.\n\n${REGION_START}\nold table\n${REGION_END}\n\n## Method\nKept.\n`;
  const updated = replaceRegion(prose, `${REGION_START}\nnew table\n${REGION_END}`);
  assert.equal(updated, `# Benchmarks\n\nHow to read this.\n\n${REGION_START}\nnew table\n${REGION_END}\n\n## Method\nKept.\n`);
  const appended = replaceRegion('# Benchmarks\n\nNo region yet.\n', `${REGION_START}\nt\n${REGION_END}`);
  assert.equal(appended, `# Benchmarks\n\nNo region yet.\n\n${REGION_START}\nt\n${REGION_END}\n`);
});

test('/proc parsing: CPU ticks after a command name with spaces and parentheses, and VmRSS', () => {
  // fields 14 and 15 (utime, stime) are 11 and 12 after the state field
  const stat = '4242 (node (tessera) serve) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 12345 1000000 5000';
  assert.equal(parseStatCpuTicks(stat), 325);
  assert.throws(() => parseStatCpuTicks('4242 (x) S 1'), /unreadable/);
  assert.equal(parseStatusRssKb('Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  153600 kB\nRssAnon:\t 1 kB\n'), 153600);
  assert.throws(() => parseStatusRssKb('Name:\tnode\n'), /VmRSS/);
});

test('settings: the full run by default, BENCH_QUICK for a smoke run, and bad values refused', () => {
  const full = readSettings({});
  assert.equal(full.users, 1_000_000);
  assert.equal(full.seconds, 10);
  assert.deepEqual(full.dialects, ['sqlite', 'postgres']);
  assert.equal(full.databaseUrl, 'postgres://postgres@127.0.0.1:5432/postgres');
  const quick = readSettings({ BENCH_QUICK: '1' });
  assert.equal(quick.users, 20_000);
  assert.equal(quick.seconds, 2);
  assert.equal(readSettings({ BENCH_QUICK: '1', BENCH_USERS: '1_000' }).users, 1000);
  assert.throws(() => readSettings({ BENCH_SECONDS: '0' }), /BENCH_SECONDS/);
  assert.throws(() => readSettings({ BENCH_USERS: 'many' }), /BENCH_USERS/);
  assert.throws(() => readSettings({ BENCH_DIALECTS: 'sqlite,mysql' }), /mysql/);
  // the name goes into CREATE/DROP DATABASE: only plain identifiers
  assert.throws(() => readSettings({ BENCH_PG_DATABASE: 'x; drop database postgres' }), /BENCH_PG_DATABASE/);
  assert.throws(() => readSettings({ BENCH_ACCESS_TOKEN_ALG: 'HS256' }), /ES256/);
});

test('a window where the load generator was the limit carries a warning beside its figure', () => {
  const capped = { ...row(0.5), details: { tessera: { loadGeneratorCpuShare: 0.4 }, reference: { loadGeneratorCpuShare: 0.97 } } };
  assert.match(consoleLine(capped), /warning: the load generator used 97 % of its core during the reference window/);
  const region = renderRegion([{ benchmark: 'a', title: 'A', run: run('2026-01-02T00:00:00.000Z'), settings: {}, measurements: [capped] }]);
  assert.match(region, /\*\*not met\*\*; the load generator used 97 % of its core during the reference window/);
  assert.doesNotMatch(consoleLine(row(0.5)), /warning/);
});

test('the ratio is of requests per second, unless the load generator saturated its core: then per server CPU-second, and said so', () => {
  const window = (rps: number, perCpuSecond: number, loadCpuShare: number): Window => ({
    load: { ok: rps * 10, failed: 0, seconds: 10, rps, latency: { meanMs: 1, p50Ms: 1, p99Ms: 2, maxMs: 3 }, statusCodes: {} },
    serverCpuSeconds: 1,
    cpuMsPerRequest: 1000 / perCpuSecond,
    perCpuSecond,
    rssPeakMb: 100,
    loadCpuShare,
  });
  assert.deepEqual(compare(window(200, 250, 0.3), window(400, 500, 0.6)), { ratio: 0.5, basis: 'requests per second' });
  const capped = compare(window(200, 250, 0.3), window(300, 1000, 0.95));
  assert.equal(capped.ratio, 0.25);
  assert.equal(capped.basis, 'per server CPU-second');
  assert.match(capped.note ?? '', /load generator saturated/);
  const shown = { ...row(0.25), details: { ratioBasis: capped.basis } };
  assert.match(renderRegion([{ benchmark: 'a', title: 'A', run: run('2026-01-02T00:00:00.000Z'), settings: {}, measurements: [shown] }]), /\| 0\.25 \(per CPU-s\) \|/);
});
