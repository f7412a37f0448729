/**
 * The load generator: a second process (pinned to its own core when possible) that the runner asks,
 * over IPC, to drive one server for a while and report what it saw. Three kinds of load:
 *  - `http`: autocannon over keep-alive connections;
 *  - `tls`: a new TLS connection per request (https.request with agent: false), Keycloak's sizing method;
 *  - `signIn`: whole browser sign-in flows through the real pages (authorize, forms, code, token).
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import autocannon from 'autocannon';
import { FormClient } from '../../test/helpers/form-client.ts';
import { authorizeUrl, pkce, signInThroughPages, tokenRequest } from '../../test/helpers/oidc-flow.ts';
import { announce, serveRequests } from '../lib/ipc-child.ts';
import type { FlowJob, HttpJob, LoadResult, TlsJob } from '../lib/load.ts';
import { summarize } from '../lib/stats.ts';

function tally(statusCodes: Record<string, number>, status: number | string): void {
  statusCodes[status] = (statusCodes[status] ?? 0) + 1;
}

async function http(job: HttpJob): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  const paths = job.paths;
  let k = 0;
  const started = performance.now();
  const instance = autocannon({
    url: job.origin,
    connections: job.connections,
    duration: job.seconds,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: job.method,
        ...(job.headers ? { headers: job.headers } : {}),
        ...(job.body !== undefined ? { body: job.body } : {}),
        // rotate through the given paths (e.g. many different users), so no one row stays hot
        setupRequest: (request) => ({ ...request, path: paths[k++ % paths.length]! }),
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    tally(statusCodes, status);
    if (status >= 200 && status < 300) {
      ok++;
      latencies.push(responseTime);
    }
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  const failed = result.non2xx + result.errors;
  if (result.errors) tally(statusCodes, 'connection errors');
  return { ok, failed, seconds, rps: ok / seconds, latency: summarize(latencies), statusCodes };
}

async function tls(job: TlsJob): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const target = new URL(job.url);
  // one context for every connection: passing `ca` per request would parse the certificate each time
  const secureContext = createSecureContext({ ca: job.ca });
  let ok = 0;
  let failed = 0;
  let handshakes = 0;
  let resumed = 0;
  let protocol: string | undefined;
  let firstError: string | undefined;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const request = httpsRequest(
        // `secureContext` reaches tls.connect (as every TLS option does), though @types/node does not list it for https.request
        { host: target.hostname, port: target.port, path: target.pathname, method: job.method, agent: false, secureContext, headers: job.headers } as RequestOptions,
        (response) => {
          response.resume();
          response.once('end', () => {
            tally(statusCodes, response.statusCode ?? 0);
            if (response.statusCode && response.statusCode < 300) {
              ok++;
              latencies.push(performance.now() - started);
            } else failed++;
            resolve();
          });
        },
      );
      request.once('socket', (socket) =>
        socket.once('secureConnect', () => {
          const tlsSocket = socket as import('node:tls').TLSSocket;
          handshakes++;
          if (tlsSocket.isSessionReused()) resumed++;
          protocol ??= tlsSocket.getProtocol() ?? undefined;
        }),
      );
      request.once('error', (error) => {
        failed++;
        firstError ??= error.message;
        tally(statusCodes, 'connection errors');
        resolve();
      });
      request.end(job.body);
    });
  const started = performance.now();
  const end = started + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ok, failed, seconds, rps: ok / seconds, latency: summarize(latencies), statusCodes, handshakes, resumed, ...(protocol ? { protocol } : {}), ...(firstError ? { firstError } : {}) };
}

async function signIn(job: FlowJob): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const flow = async (user: { upn: string; password: string }) => {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(job.base, job.tenant, { client_id: job.clientId, redirect_uri: job.redirectUri, scope: job.scope, code_challenge: challenge, code_challenge_method: 'S256', state: 'bench' });
    const { redirect, page } = await signInThroughPages(new FormClient({ 'accept-language': 'en' }), url, user.upn, user.password, job.redirectUri);
    const code = redirect?.searchParams.get('code');
    if (!code) throw new Error(`the sign-in stopped at ${page?.url} (${page?.status}): ${page?.html.slice(0, 200)}`);
    const token = await tokenRequest(job.base, job.tenant, { grant_type: 'authorization_code', client_id: job.clientId, code, redirect_uri: job.redirectUri, code_verifier: verifier });
    if (token.status !== 200 || typeof token.body.access_token !== 'string') throw new Error(`the token request answered ${token.status}: ${JSON.stringify(token.body).slice(0, 200)}`);
  };
  const started = performance.now();
  const end = started + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async (_, lane) => {
      const user = job.users[lane % job.users.length]!;
      while (performance.now() < end) {
        const begun = performance.now();
        try {
          await flow(user);
          ok++;
          latencies.push(performance.now() - begun);
          tally(statusCodes, 'completed');
        } catch (error) {
          failed++;
          firstError ??= (error as Error).message;
          tally(statusCodes, 'failed');
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ok, failed, seconds, rps: ok / seconds, latency: summarize(latencies), statusCodes, ...(firstError ? { firstError } : {}) };
}

serveRequests({
  http: (message) => http(message.job as HttpJob),
  tls: (message) => tls(message.job as TlsJob),
  signIn: (message) => signIn(message.job as FlowJob),
});
announce({ type: 'ready' });
