import { type Benchmark, DIALECT_LABEL, measurement } from '../lib/benchmark.ts';
import type { HttpJob } from '../lib/load.ts';
import { assertClean, compare, measureWindow, rateFigure, referenceFigure, round, windowDetails } from '../lib/measure.ts';
import { oidcReferenceConfig, OIDC_REFERENCE_LABEL } from '../lib/oidc-reference-config.ts';
import { startReference } from '../lib/references.ts';

/**
 * Client-credentials tokens over keep-alive connections: Tessera's `/{tenant}/oauth2/v2.0/token`
 * (a confidential app with a secret and User.Read.All, scope `{graph}/.default`) against a bare
 * oidc-provider issuing JWT access tokens with the same key type and alg.
 */
export const tokenKeepAlive: Benchmark = {
  name: 'token-keepalive',
  title: 'Client-credentials tokens, keep-alive, vs bare oidc-provider',
  target: { text: '≥ 0.8 on SQLite, ≥ 0.6 on PostgreSQL', checks: [] },
  async run(env, { settings, load, log }) {
    const server = await env.server();
    const minimum = env.dialect === 'sqlite' ? 0.8 : 0.6;
    const job = (origin: string, path: string, body: string, seconds: number): HttpJob => ({
      origin,
      method: 'POST',
      paths: [path],
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      connections: settings.connections,
      seconds,
    });

    const tesseraJob = (seconds: number) => job(server.base, `/${env.fixture.tenantId}/oauth2/v2.0/token`, env.tokenRequestBody(server.base), seconds);
    log(`  Tessera token endpoint, ${settings.connections} keep-alive connections`);
    const tessera = await measureWindow(
      { pid: server.pid, quietUrl: `${server.base}/healthz`, loadPid: load.pid, backendPids: env.database.backendPids },
      () => load.http(tesseraJob(settings.seconds)),
      () => load.http(tesseraJob(settings.warmupSeconds)),
    );
    assertClean('Tessera token endpoint', tessera);
    env.observeMax('rss.token', tessera.rssPeakMb);

    const config = oidcReferenceConfig(settings.accessTokenAlg);
    const reference = env.track(await startReference(env.place, 'oidc-reference', config));
    try {
      const origin = `http://127.0.0.1:${reference.port}`;
      const referenceJob = (seconds: number) => job(origin, '/token', config.body, seconds);
      log('  bare oidc-provider token endpoint');
      const ref = await measureWindow({ pid: reference.pid, loadPid: load.pid }, () => load.http(referenceJob(settings.seconds)), () => load.http(referenceJob(settings.warmupSeconds)));
      assertClean('reference token endpoint', ref);
      const { ratio, basis, note } = compare(tessera, ref);
      return [
        measurement({
          benchmark: this.name,
          label: `Client-credentials tokens, keep-alive (${DIALECT_LABEL[env.dialect]})`,
          dialect: env.dialect,
          figure: rateFigure(tessera, 'tokens/s', 'token'),
          reference: referenceFigure(OIDC_REFERENCE_LABEL, ref, 'tokens/s', 'token'),
          ratio,
          target: { text: `≥ ${minimum}`, checks: [{ metric: 'ratio', op: '>=', value: minimum }] },
          values: { ratio },
          ...(note ? { note } : {}),
          details: {
            accessTokenAlg: settings.accessTokenAlg,
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
