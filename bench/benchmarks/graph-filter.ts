import { type Benchmark, DIALECT_LABEL, measurement, type Measurement, type Target } from '../lib/benchmark.ts';
import { BENCH_DOMAIN } from '../lib/environment.ts';
import { assertClean, fmt, measureWindow, windowDetails } from '../lib/measure.ts';
import { benchUser, MATCHING_PREFIXES, sampleUsers, UNMATCHED_PREFIX } from '../lib/population.ts';

/**
 * Graph list queries on the seeded directory (1,000,000 users by default), each query shape on its
 * own: `$filter` eq on userPrincipalName and on mail (1,000 different users), startswith on
 * displayName with prefixes that match many users and with one that matches nobody (which an
 * unindexed scan reads to the end), and a plain `$top=100` page. Absolute targets: p99 under
 * 10 ms and at least 2,000 requests/s per shape; there is no reference ratio.
 */
const TARGET: Target = {
  text: 'p99 < 10 ms, ≥ 2,000 req/s',
  checks: [
    { metric: 'p99Ms', op: '<', value: 10 },
    { metric: 'rps', op: '>=', value: 2000 },
  ],
};

const filter = (expression: string) => `/v1.0/users?$filter=${encodeURIComponent(expression)}`;

export const graphFilter: Benchmark = {
  name: 'graph-filter',
  title: 'Graph $filter / $top=100 queries',
  target: TARGET,
  async run(env, { settings, load, log }) {
    await env.seed();
    const server = await env.server();
    const token = await env.appToken(server.base);
    const sample = sampleUsers(settings.users, 1_000).map((i) => benchUser(i, BENCH_DOMAIN));
    const shapes: { variant: string; label: string; paths: string[] }[] = [
      { variant: 'upn-eq', label: "$filter=userPrincipalName eq '…'", paths: sample.map((u) => filter(`userPrincipalName eq '${u.userPrincipalName}'`)) },
      { variant: 'mail-eq', label: "$filter=mail eq '…'", paths: sample.map((u) => filter(`mail eq '${u.mail}'`)) },
      { variant: 'startswith', label: "$filter=startswith(displayName,'<first name>'), 1 in 40 users match", paths: MATCHING_PREFIXES.map((p) => filter(`startswith(displayName,'${p}')`)) },
      { variant: 'startswith-none', label: `$filter=startswith(displayName,'${UNMATCHED_PREFIX}'), no user matches`, paths: [filter(`startswith(displayName,'${UNMATCHED_PREFIX}')`)] },
      { variant: 'top-100', label: '$top=100', paths: ['/v1.0/users?$top=100'] },
    ];
    const rows: Measurement[] = [];
    for (const shape of shapes) {
      const job = (seconds: number) => ({ origin: server.base, method: 'GET' as const, paths: shape.paths, headers: { authorization: `Bearer ${token}` }, connections: settings.connections, seconds });
      log(`  Tessera GET /v1.0/users ${shape.label}`);
      const window = await measureWindow({ pid: server.pid, quietUrl: `${server.base}/healthz`, loadPid: load.pid, backendPids: env.database.backendPids }, () => load.http(job(settings.seconds)), () => load.http(job(settings.warmupSeconds)));
      assertClean(`Tessera ${shape.label}`, window, { slowIsAResult: true });
      env.observeMax('rss.graph', window.rssPeakMb);
      // no response within the window: p99 is beyond the window, said as such
      const p99Ms = window.load.ok > 0 ? window.load.latency.p99Ms : Number.POSITIVE_INFINITY;
      const p99Text = Number.isFinite(p99Ms) ? `p99 ${fmt(p99Ms)} ms` : `no response within the ${settings.seconds} s window`;
      const lost = window.load.failed > 0 ? `, ${window.load.failed} timed out or dropped` : '';
      rows.push(
        measurement({
          benchmark: this.name,
          variant: shape.variant,
          label: `GET /v1.0/users?${shape.label} (${DIALECT_LABEL[env.dialect]}, ${settings.users.toLocaleString('en-US')} users)`,
          dialect: env.dialect,
          figure: { value: p99Ms, unit: 'ms', text: `${p99Text}, ${fmt(window.load.rps)} req/s (${fmt(window.cpuMsPerRequest)} ms CPU/req)${lost}` },
          reference: null,
          ratio: null,
          target: TARGET,
          values: { p99Ms, rps: window.load.rps },
          details: { users: settings.users, connections: settings.connections, tessera: windowDetails(window) },
        }),
      );
    }
    return rows;
  },
};
