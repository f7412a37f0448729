import { type Benchmark, DIALECT_LABEL, measurement, type Target } from '../lib/benchmark.ts';
import { BENCH_DOMAIN } from '../lib/environment.ts';
import { fmt, round } from '../lib/measure.ts';
import { startReference } from '../lib/references.ts';
import { median } from '../lib/stats.ts';
import { runTesseraCli, startTessera } from '../lib/tessera.ts';

const START: Target = { text: '< 1.5 s', checks: [{ metric: 'ms', op: '<', value: 1500 }] };
const CLI: Target = { text: '< 1 s', checks: [{ metric: 'ms', op: '<', value: 1000 }] };

/**
 * Start-up: `tessera serve` from spawn to the first `/healthz` 200 (on the migrated, seeded
 * database, polled every 10 ms), and `tessera user create` from spawn to exit less the one argon2
 * hash it must compute (timed separately, in a process on the same core, in the same run). Both
 * on the server core; the median of BENCH_REPEATS tries.
 */
export const startup: Benchmark = {
  name: 'startup',
  title: 'Start to /healthz 200; tessera user create (less one argon2 hash)',
  target: { text: '< 1.5 s; < 1 s', checks: [] },
  async run(env, { settings, log }) {
    await env.signInUsers(); // the database is in its final shape
    const starts: number[] = [];
    for (let i = 0; i < settings.repeats; i++) {
      const server = env.track(await startTessera(env.place, env.tesseraOptions()));
      starts.push(server.startMs);
      await server.stop();
    }
    log(`  tessera serve to /healthz 200: ${starts.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);

    const hasher = env.track(await startReference(env.place, 'argon2-reference', {}));
    let hash: { medianMs: number; samplesMs: number[] };
    try {
      hash = await hasher.child.request({ type: 'hash', repeats: 3 });
    } finally {
      await hasher.stop();
    }
    const walls: number[] = [];
    for (let i = 0; i < settings.repeats; i++) {
      const { wallMs } = await runTesseraCli(
        env.tesseraOptions(),
        ['user', 'create', '--tenant', env.fixture.tenantId, '--upn', `startup-${Date.now()}-${i}@${BENCH_DOMAIN}`, '--password', 'Startup-Passw0rd!'],
        env.place,
      );
      walls.push(wallMs);
    }
    log(`  tessera user create: ${walls.map((ms) => `${Math.round(ms)} ms`).join(', ')} (one argon2 hash: ${Math.round(hash.medianMs)} ms)`);

    const start = median(starts);
    const cli = median(walls) - hash.medianMs;
    const dialect = DIALECT_LABEL[env.dialect];
    return [
      measurement({
        benchmark: this.name,
        variant: 'serve',
        label: `Start to /healthz 200 (${dialect})`,
        dialect: env.dialect,
        figure: { value: start, unit: 'ms', text: `${fmt(start / 1000)} s` },
        reference: null,
        ratio: null,
        target: START,
        values: { ms: start },
        details: { samplesMs: starts.map((ms) => round(ms)), command: 'tessera serve (node bin/tessera.js serve: dist/, compiled)' },
      }),
      measurement({
        benchmark: this.name,
        variant: 'user-create',
        label: `tessera user create, less one argon2 hash (${dialect})`,
        dialect: env.dialect,
        figure: { value: cli, unit: 'ms', text: `${fmt(cli / 1000)} s (wall ${fmt(median(walls) / 1000)} s)` },
        reference: { label: 'one argon2id hash', value: hash.medianMs, unit: 'ms', text: `one argon2id hash: ${fmt(hash.medianMs)} ms` },
        ratio: null,
        target: CLI,
        values: { ms: cli },
        details: { wallSamplesMs: walls.map((ms) => round(ms)), hashSamplesMs: hash.samplesMs.map((ms) => round(ms)) },
      }),
    ];
  },
};
