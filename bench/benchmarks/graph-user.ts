import { GRAPH_ALIAS, GRAPH_APP_ID } from '../../src/modules/consent/index.ts';
import { type Benchmark, DIALECT_LABEL, measurement, ratioTarget } from '../lib/benchmark.ts';
import { BENCH_DOMAIN } from '../lib/environment.ts';
import type { HttpJob } from '../lib/load.ts';
import { assertClean, compare, measureWindow, rateFigure, referenceFigure, round, windowDetails } from '../lib/measure.ts';
import { benchUser, sampleUsers } from '../lib/population.ts';
import { startReference } from '../lib/references.ts';

/**
 * `GET /v1.0/users/{upn}` with a real app-only token (User.Read.All) from Tessera's token endpoint,
 * over 1,000 different users, against the minimal node:http server that verifies the same token
 * with a cached key and runs the same SQL as a prepared statement.
 */
export const graphUser: Benchmark = {
  name: 'graph-user',
  title: 'GET /v1.0/users/{upn} vs the minimal server',
  target: ratioTarget(0.6),
  async run(env, { settings, load, log }) {
    await env.seed();
    const server = await env.server();
    const token = await env.appToken(server.base);
    const paths = sampleUsers(settings.users, 1_000).map((i) => `/v1.0/users/${encodeURIComponent(benchUser(i, BENCH_DOMAIN).userPrincipalName)}`);
    const job = (origin: string, seconds: number): HttpJob => ({ origin, method: 'GET', paths, headers: { authorization: `Bearer ${token}` }, connections: settings.connections, seconds });

    log(`  Tessera GET /v1.0/users/{upn}, ${settings.connections} keep-alive connections`);
    const tessera = await measureWindow({ pid: server.pid, quietUrl: `${server.base}/healthz`, loadPid: load.pid, backendPids: env.database.backendPids }, () => load.http(job(server.base, settings.seconds)), () => load.http(job(server.base, settings.warmupSeconds)));
    assertClean('Tessera GET /v1.0/users/{upn}', tessera);
    env.observeMax('rss.graph', tessera.rssPeakMb);

    const jwks = (await (await fetch(`${server.base}/${env.fixture.tenantId}/discovery/v2.0/keys`)).json()) as { keys: unknown[] };
    const reference = env.track(
      await startReference(env.place, 'graph-reference', {
        dialect: env.dialect,
        databaseUrl: env.database.url,
        tenantId: env.fixture.tenantId,
        issuer: `${server.base}/${env.fixture.tenantId}/v2.0`,
        audiences: [GRAPH_APP_ID, server.base, GRAPH_ALIAS],
        jwks,
        role: 'User.Read.All',
        graphRoot: `${server.base}/v1.0`,
      }),
    );
    try {
      const origin = `http://127.0.0.1:${reference.port}`;
      log('  minimal node:http server, same token and SQL');
      const ref = await measureWindow({ pid: reference.pid, loadPid: load.pid, backendPids: env.database.backendPids }, () => load.http(job(origin, settings.seconds)), () => load.http(job(origin, settings.warmupSeconds)));
      assertClean('reference GET /v1.0/users/{upn}', ref);
      const { ratio, basis, note } = compare(tessera, ref);
      return [
        measurement({
          benchmark: this.name,
          label: `GET /v1.0/users/{upn} (${DIALECT_LABEL[env.dialect]}, ${settings.users.toLocaleString('en-US')} users)`,
          dialect: env.dialect,
          figure: rateFigure(tessera),
          reference: referenceFigure(`minimal node:http + jose + prepared ${env.dialect === 'sqlite' ? 'better-sqlite3' : 'pg'} statement`, ref),
          ratio,
          target: ratioTarget(0.6),
          values: { ratio },
          ...(note ? { note } : {}),
          details: {
            users: settings.users,
            connections: settings.connections,
            ratioBasis: basis,
            ratioPerServerCpuSecond: round(tessera.perCpuSecond / ref.perCpuSecond),
            tessera: windowDetails(tessera),
            reference: windowDetails(ref),
          },
        }),
      ];
    } finally {
      await reference.stop();
    }
  },
};
