import { existsSync, readFileSync } from 'node:fs';

/**
 * The loopback HTTPS certificate that `npm test` (scripts/test.mjs) makes for the run and trusts
 * through NODE_EXTRA_CA_CERTS, so real clients (Graph SDK, openid-client, MSAL) talk to a real
 * TLS server. Null when tests run without that script.
 */
export function testTls(): { cert: string; key: string; certFile: string; keyFile: string } | null {
  const certFile = process.env.TESSERA_TEST_TLS_CERT;
  const keyFile = process.env.TESSERA_TEST_TLS_KEY;
  if (!certFile || !keyFile || !existsSync(certFile) || !existsSync(keyFile)) return null;
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
