import { type Benchmark, DIALECT_LABEL, measurement, type Target } from '../lib/benchmark.ts';
import { BENCH_DOMAIN } from '../lib/environment.ts';
import { fmt, measureWindow } from '../lib/measure.ts';
import { benchUser, sampleUsers } from '../lib/population.ts';

const IDLE: Target = { text: '< 150 MB', checks: [{ metric: 'mb', op: '<', value: 150 }] };
const GRAPH: Target = { text: '< 400 MB', checks: [{ metric: 'mb', op: '<', value: 400 }] };

/**
 * Resident memory of `tessera serve` (VmRSS): idle, read once the shared server has started and
 * settled without load; and under the Graph benchmark, the largest VmRSS sampled (every 200 ms)
 * during the graph-user and graph-filter windows of this run. Run on its own, it drives the
 * graph-user load itself to get that peak.
 */
export const memory: Benchmark = {
  name: 'memory',
  title: 'RSS idle; RSS under the Graph benchmark',
  target: { text: '< 150 MB; < 400 MB', checks: [] },
  async run(env, { settings, load, log }) {
    const server = await env.server();
    if (!env.observations.has('rss.graph')) {
      await env.seed();
      log('  no Graph benchmark ran in this run: driving GET /v1.0/users/{upn} to sample RSS');
      const token = await env.appToken(server.base);
      const paths = sampleUsers(settings.users, 1_000).map((i) => `/v1.0/users/${encodeURIComponent(benchUser(i, BENCH_DOMAIN).userPrincipalName)}`);
      const window = await measureWindow({ pid: server.pid, quietUrl: `${server.base}/healthz`, loadPid: load.pid }, () =>
        load.http({ origin: server.base, method: 'GET', paths, headers: { authorization: `Bearer ${token}` }, connections: settings.connections, seconds: settings.seconds }),
      );
      env.observeMax('rss.graph', window.rssPeakMb);
    }
    const graph = env.observations.get('rss.graph')!;
    const dialect = DIALECT_LABEL[env.dialect];
    return [
      measurement({
        benchmark: this.name,
        variant: 'idle',
        label: `RSS idle (${dialect})`,
        dialect: env.dialect,
        figure: { value: server.idleRssMb, unit: 'MB', text: `${fmt(server.idleRssMb)} MB` },
        reference: null,
        ratio: null,
        target: IDLE,
        values: { mb: server.idleRssMb },
        details: { settledSeconds: settings.settleSeconds },
      }),
      measurement({
        benchmark: this.name,
        variant: 'graph',
        label: `RSS under the Graph benchmark (${dialect}, ${settings.users.toLocaleString('en-US')} users)`,
        dialect: env.dialect,
        figure: { value: graph, unit: 'MB', text: `${fmt(graph)} MB peak` },
        reference: null,
        ratio: null,
        target: GRAPH,
        values: { mb: graph },
        details: { peakUnderTokenLoadMb: env.observations.get('rss.token') ?? null },
      }),
    ];
  },
};
