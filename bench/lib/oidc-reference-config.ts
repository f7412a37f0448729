import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './machine.ts';

const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/oidc-provider/package.json'), 'utf8')) as { version: string }).version;

export const OIDC_REFERENCE_LABEL = `bare oidc-provider ${version}`;

/**
 * The bare oidc-provider's configuration (bench/references/oidc-reference.ts) and the request a
 * client sends it: the same grant, client authentication (secret in the body) and one scope.
 */
export function oidcReferenceConfig(alg: string, tls?: { certFile: string; keyFile: string }) {
  const clientId = 'bench-reference-daemon';
  const clientSecret = randomBytes(24).toString('base64url');
  const scope = 'User.Read.All';
  return {
    alg,
    clientId,
    clientSecret,
    resource: 'https://graph.bench.example',
    scope,
    ...(tls ? { tls } : {}),
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }).toString(),
  };
}
