import { type Benchmark, DIALECT_LABEL, measurement, ratioTarget } from '../lib/benchmark.ts';
import type { TlsJob } from '../lib/load.ts';
import { assertClean, compare, measureWindow, rateFigure, referenceFigure, round, type Window, windowDetails } from '../lib/measure.ts';
import { oidcReferenceConfig, OIDC_REFERENCE_LABEL } from '../lib/oidc-reference-config.ts';
import { startReference } from '../lib/references.ts';
import { startTessera } from '../lib/tessera.ts';

/**
 * Client-credentials tokens with a NEW TLS connection per request, the way Keycloak's sizing guide
 * measures (120 tokens/s per vCPU there): both servers serve the same self-signed P-256
 * certificate; the load generator opens a fresh connection (no keep-alive, no session resumption)
 * for every request, and the handshakes are counted on both sides to prove it.
 */
export const tokenTls: Benchmark = {
  name: 'token-tls',
  title: 'Client-credentials tokens, new TLS connection per request, vs bare oidc-provider',
  target: ratioTarget(0.8),
  async run(env, { settings, load, tls, log }) {
    const cert = tls();
    await env.signInUsers(); // the database is complete before any server reads it
    const job = (url: string, body: string, seconds: number): TlsJob => ({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      body,
      ca: cert.cert,
      concurrency: settings.connections,
      seconds,
    });
    const checkHandshakes = (name: string, window: Window) => {
      const answered = window.load.ok + window.load.failed;
      if ((window.load.handshakes ?? 0) < answered || (window.load.resumed ?? 0) > 0) {
        throw new Error(`${name}: ${window.load.handshakes} full handshakes (${window.load.resumed} resumed) for ${answered} requests: the connections were reused`);
      }
    };

    const server = env.track(await startTessera(env.place, env.tesseraOptions({ certFile: cert.certFile, keyFile: cert.keyFile }), cert.cert));
    let tessera: Window;
    try {
      const url = `${server.base}/${env.fixture.tenantId}/oauth2/v2.0/token`;
      const body = env.tokenRequestBody(server.base);
      log(`  Tessera over HTTPS, a new TLS connection per request, ${settings.connections} at a time`);
      tessera = await measureWindow({ pid: server.pid, loadPid: load.pid, backendPids: env.database.backendPids }, () => load.tls(job(url, body, settings.seconds)), () => load.tls(job(url, body, settings.warmupSeconds)));
      assertClean('Tessera token endpoint over TLS', tessera);
      checkHandshakes('Tessera', tessera);
    } finally {
      await server.stop();
    }

    const config = oidcReferenceConfig(settings.accessTokenAlg, { certFile: cert.certFile, keyFile: cert.keyFile });
    const reference = env.track(await startReference(env.place, 'oidc-reference', config));
    try {
      const url = `https://127.0.0.1:${reference.port}/token`;
      log('  bare oidc-provider over HTTPS, a new TLS connection per request');
      // the reference counts 'secureConnection' events: one per request proves no connection was reused
      let handshakesBefore = 0;
      const ref = await measureWindow(
        { pid: reference.pid, loadPid: load.pid },
        async () => {
          handshakesBefore = (await reference.child.request<{ secureConnections: number }>({ type: 'stats' })).secureConnections;
          return load.tls(job(url, config.body, settings.seconds));
        },
        () => load.tls(job(url, config.body, settings.warmupSeconds)),
      );
      const after = await reference.child.request<{ secureConnections: number }>({ type: 'stats' });
      assertClean('reference token endpoint over TLS', ref);
      checkHandshakes('reference', ref);
      const serverHandshakes = after.secureConnections - handshakesBefore;
      if (serverHandshakes < ref.load.ok + ref.load.failed) throw new Error(`the reference saw ${serverHandshakes} handshakes for ${ref.load.ok + ref.load.failed} requests`);
      const { ratio, basis, note } = compare(tessera, ref);
      return [
        measurement({
          benchmark: this.name,
          label: `Client-credentials tokens, new TLS connection per request (${DIALECT_LABEL[env.dialect]})`,
          dialect: env.dialect,
          figure: rateFigure(tessera, 'tokens/s', 'token'),
          reference: referenceFigure(`${OIDC_REFERENCE_LABEL} over HTTPS`, ref, 'tokens/s', 'token'),
          ratio,
          target: ratioTarget(0.8),
          values: { ratio },
          ...(note ? { note } : {}),
          details: {
            accessTokenAlg: settings.accessTokenAlg,
            certificate: 'self-signed P-256 (ECDSA)',
            tlsProtocol: tessera.load.protocol ?? null,
            concurrency: settings.connections,
            ratioBasis: basis,
            ratioPerServerCpuSecond: round(tessera.perCpuSecond / ref.perCpuSecond),
            referenceServerHandshakes: serverHandshakes,
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
