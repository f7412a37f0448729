import { createHash, X509Certificate } from 'node:crypto';
import { newId } from '../../kernel/ids.ts';
import type { KeyCredential } from './application.types.ts';
import { APPLICATION_LIMITS } from './application.schemas.ts';
import { ApplicationErrors } from './applications.errors.ts';

/**
 * Certificate credentials (Graph keyCredential `{type:'AsymmetricX509Cert', usage:'Verify', key}`):
 * only the public key is kept, as a JWK carrying the certificate (x5c) and its thumbprints
 * (x5t, x5t#S256), with the SHA-1 thumbprint as kid as Entra does. oidc-provider verifies
 * `private_key_jwt` client assertions (what MSAL's clientCertificate sends, with an x5t or
 * x5t#S256 header and no kid) against these keys. No `alg` is pinned, so RS256 and PS256 both work.
 */
const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** The DER bytes of a base64 DER certificate (Graph's `key`) or of a PEM text (the CLI's file). */
export function certificateBytes(input: string): Buffer {
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(input);
  const base64 = (pem ? pem[1]! : input).replace(/\s+/g, '');
  if (base64.length === 0 || base64.length > APPLICATION_LIMITS.certificateBase64) {
    throw ApplicationErrors.invalidCertificate(`the certificate must be a base64 DER X.509 certificate of at most ${APPLICATION_LIMITS.certificateBase64} characters.`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw ApplicationErrors.invalidCertificate('the key is not base64.');
  return Buffer.from(base64, 'base64');
}

export interface CertificateInput {
  /** base64 DER, or PEM */
  key: string;
  displayName?: string | null;
  keyId?: string | null;
}

/**
 * A keyCredential for a certificate: parsed, refused when expired, not yet valid, or not an RSA or
 * EC public key (what client assertions are signed with).
 */
export function certificateCredential(input: CertificateInput, now: Date): KeyCredential {
  const der = certificateBytes(input.key);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw ApplicationErrors.invalidCertificate('the key is not an X.509 certificate.');
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (Number.isNaN(notAfter.getTime()) || notAfter.getTime() <= now.getTime()) throw ApplicationErrors.invalidCertificate(`the certificate expired on ${certificate.validTo}.`);
  const type = certificate.publicKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw ApplicationErrors.invalidCertificate(`certificates with ${type ?? 'this kind of'} keys cannot sign client assertions (RSA or EC only).`);
  const jwk = certificate.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const raw = Buffer.from(certificate.raw);
  const sha1 = createHash('sha1').update(raw).digest();
  const sha256 = createHash('sha256').update(raw).digest();
  const x5t = base64url(sha1);
  const key = { ...jwk, use: 'sig', kid: x5t, x5c: [raw.toString('base64')], x5t, 'x5t#S256': base64url(sha256) };
  return {
    keyId: input.keyId?.toLowerCase() ?? newId(),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    displayName: input.displayName ?? `CN=${commonName(certificate.subject)}`,
    key: JSON.stringify(key),
    startDateTime: notBefore.toISOString(),
    endDateTime: notAfter.toISOString(),
    customKeyIdentifier: sha1.toString('hex').toUpperCase(),
  };
}

function commonName(subject: string): string {
  const match = /(?:^|\n)CN=([^\n]+)/.exec(subject);
  return match?.[1] ?? subject.split('\n')[0] ?? '';
}
