/**
 * Reference for the token benchmarks: a BARE oidc-provider (the version in node_modules, the one
 * Tessera embeds) in a process of its own, with its default in-memory adapter, one static
 * confidential client, client_credentials enabled, and a resource indicator that issues JWT access
 * tokens signed with the same key type and alg as Tessera's access tokens. Nothing else: no
 * tenants, no database, no Entra claims. It counts TLS handshakes ('secureConnection'), so the
 * runner can confirm that the new-connection benchmark really paid one per request.
 *
 * Config (env BENCH_REFERENCE, JSON): { alg, clientId, clientSecret, resource, scope, tls?: { certFile, keyFile } }
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { announce, serveRequests } from '../lib/ipc-child.ts';

interface Config {
  alg: 'ES256' | 'RS256' | 'EdDSA';
  clientId: string;
  clientSecret: string;
  resource: string;
  scope: string;
  tls?: { certFile: string; keyFile: string };
}

const config = JSON.parse(process.env.BENCH_REFERENCE ?? '{}') as Config;

async function signingKey(alg: Config['alg'], kid: string) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
}

// ID tokens need an RS256 key as in Tessera; access tokens use the configured alg.
const keys = [await signingKey('RS256', 'rsa')];
if (config.alg !== 'RS256') keys.push(await signingKey(config.alg, 'at'));

let secureConnections = 0;
const server: Server = config.tls
  ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) })
  : createHttpServer();
server.on('secureConnection', () => secureConnections++);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const issuer = `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.clientId,
      client_secret: config.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys },
  cookies: { keys: ['bench-reference-cookie-key'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: config.scope,
        audience: config.resource,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: config.alg } },
      }),
    },
  },
});
server.on('request', provider.callback());

serveRequests({ stats: () => ({ secureConnections }) });
announce({ type: 'ready', port, tokenPath: '/token' });
