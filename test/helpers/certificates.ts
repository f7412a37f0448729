import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed RSA certificate and its private key (PEM), made with openssl as scripts/test.mjs
 * makes the TLS certificate: what an operator uploads as an app's keyCredential, and what MSAL's
 * clientCertificate signs client assertions with. Null when openssl is missing.
 */
export function selfSignedCertificate(commonName: string, days = 30): { certificate: string; privateKey: string; certFile: string; der: Buffer } | null {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-app-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-subj', `/CN=${commonName}`, '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  if (result.status !== 0) return null;
  const certificate = readFileSync(certFile, 'utf8');
  const base64 = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(certificate)![1]!.replace(/\s+/g, '');
  return { certificate, privateKey: readFileSync(keyFile, 'utf8'), certFile, der: Buffer.from(base64, 'base64') };
}
