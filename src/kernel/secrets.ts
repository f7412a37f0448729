import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, type KeyObject, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Envelope for data at rest (signing keys): AES-256-GCM under a key derived from TESSERA_SECRET.
 * Format: `v1.<iv>.<tag>.<ciphertext>` in base64url, so a future key-derivation change can be told apart.
 */
export class SecretBox {
  readonly #secret: string;
  #derived: KeyObject | null = null;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('TESSERA_SECRET must be at least 16 characters long');
    this.#secret = secret;
  }

  /**
   * Derived on first use (scrypt costs ~0.1 s of CPU): CLI commands that seal nothing, and start-up, skip it.
   * Kept as a KeyObject: given a Buffer, every HMAC and cipher imports the key again, which made one
   * `mac` (a client secret checked on every token request) cost 13 µs instead of 2.
   */
  get #key(): KeyObject {
    return (this.#derived ??= createSecretKey(scryptSync(this.#secret, 'tessera/secret-box/v1', 32)));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('unrecognised sealed value');
    const authTag = Buffer.from(tag, 'base64url');
    // GCM accepts truncated tags unless told the length: a 4-byte tag would make forgery a matter of 2^32 tries
    if (authTag.length !== 16) throw new Error('unrecognised sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for lookups of high-entropy secrets (client secrets, tickets): fast, not reversible. */
  mac(value: string): string {
    return createHmac('sha256', this.#key).update(value).digest('base64url');
  }
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
