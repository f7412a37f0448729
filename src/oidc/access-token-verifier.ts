import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { TokenVerifier, VerifiedToken } from '../modules/signin/index.ts';
import { AppError } from '../kernel/errors.ts';
import { isGuid } from '../kernel/ids.ts';
import { GRAPH_ALIAS, GRAPH_APP_ID } from '../modules/consent/index.ts';
import type { SigningKeysService as Keys } from '../modules/signin/index.ts';
import { tenantScope } from '../tenancy/scope.ts';
import { issuerOf } from './issuer.ts';

const invalid = (message: string) => new AppError('unauthenticated', 'graph.invalidToken', message);

const CACHE_MS = 60_000;
/** clock skew allowed on `exp`/`nbf`, in seconds (as jwtVerify is told below) */
const CLOCK_TOLERANCE_S = 30;
/** how many verified tokens are remembered (least recently used goes first) */
export const VERIFIED_TOKEN_CACHE_SIZE = 1_000;

/** A token that passed verification: its claims, until when they may be reused without verifying again. */
interface Verified {
  token: VerifiedToken;
  baseUrl: string;
  /** epoch ms (by the verifier's clock) after which the token is expired: `exp` plus the tolerance */
  expiresAt: number;
  /** epoch ms (by Date.now) after which the signature must be checked again against the current keys */
  recheckAt: number;
}

/**
 * Verifies Graph access tokens: signed by the tenant's own keys (per-tenant JWKS, cached and
 * refreshed on an unknown key id), issued by `{base}/{tid}/v2.0`, for Graph (its appId, `{base}` or
 * https://graph.microsoft.com), and current. Maps Entra's claims onto what the Graph surface needs.
 */
export class AccessTokenVerifier implements TokenVerifier {
  /** per tenant: its public keys and the key set built from them (keys imported once, on first use) */
  readonly #jwks = new Map<string, { json: string; keySet: ReturnType<typeof createLocalJWKSet>; at: number }>();

  /**
   * Tokens already verified, by their exact string (so immutable and signature-checked): a token is
   * verified once per CACHE_MS, not per request. Reuse stops at the token's expiry (by `now`) and
   * CACHE_MS after it was verified, so a key withdrawn from the tenant is seen within the same bound
   * as the JWKS cache above. Whether the user is disabled is not cached here: the Graph surface reads
   * the user on every request.
   */
  readonly #verified = new Map<string, Verified>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly keys: Keys,
    private readonly now: () => Date,
  ) {}

  async verify(token: string): Promise<VerifiedToken> {
    const baseUrl = this.baseUrl();
    const hit = this.#verified.get(token);
    if (hit) {
      this.#verified.delete(token);
      if (hit.baseUrl === baseUrl && this.now().getTime() < hit.expiresAt && Date.now() < hit.recheckAt) {
        this.#verified.set(token, hit); // most recently used last
        return hit.token;
      }
    }
    const verified = await this.#verify(token, baseUrl);
    this.#remember(token, baseUrl, verified);
    return verified.token;
  }

  #remember(token: string, baseUrl: string, { token: claims, exp }: { token: VerifiedToken; exp: number | undefined }): void {
    if (exp === undefined) return; // a token without an expiry is verified every time
    this.#verified.set(token, { token: claims, baseUrl, expiresAt: (exp + CLOCK_TOLERANCE_S) * 1000, recheckAt: Date.now() + CACHE_MS });
    if (this.#verified.size > VERIFIED_TOKEN_CACHE_SIZE) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
  }

  async #verify(token: string, baseUrl: string): Promise<{ token: VerifiedToken; exp: number | undefined }> {
    let tid: unknown;
    try {
      tid = decodeJwt(token).tid;
    } catch {
      throw invalid('Access token validation failure. The token is not a well-formed JWT.');
    }
    if (!isGuid(tid)) throw invalid('Access token validation failure. The token names no tenant.');
    let payload: Record<string, unknown>;
    try {
      payload = (await this.#verifyWith(tid, token, baseUrl, false)) as Record<string, unknown>;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw invalid(`Access token validation failure. ${describe(error)}`);
      try {
        payload = (await this.#verifyWith(tid, token, baseUrl, true)) as Record<string, unknown>;
      } catch (retry) {
        throw invalid(`Access token validation failure. ${describe(retry)}`);
      }
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    const kind = payload.idtyp === 'app' || (typeof payload.scp !== 'string' && payload.idtyp !== 'user') ? 'app' : 'user';
    const objectId = typeof payload.oid === 'string' ? payload.oid : '';
    if (!objectId) throw invalid('Access token validation failure. The token has no oid.');
    const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
    // frozen: the same claims are handed to every request that presents this token
    const claims: VerifiedToken = { tenantId: tid, kind, objectId, clientAppId: String(payload.azp ?? ''), scopes: Object.freeze(scopes) as string[], roles: Object.freeze(roles) as string[] };
    return { token: Object.freeze(claims), exp };
  }

  async #verifyWith(tid: string, token: string, baseUrl: string, refresh: boolean) {
    const { payload } = await jwtVerify(token, await this.#keySet(tid, refresh), {
      issuer: issuerOf(baseUrl, tid),
      audience: [GRAPH_APP_ID, baseUrl, GRAPH_ALIAS],
      algorithms: ['ES256', 'RS256', 'EdDSA'],
      currentDate: this.now(),
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    return payload;
  }

  /**
   * The tenant's key set: re-read every CACHE_MS and on an unknown key id, but rebuilt only when the
   * keys themselves changed, so a public key is imported once rather than per request.
   */
  async #keySet(tid: string, refresh: boolean) {
    const cached = this.#jwks.get(tid);
    if (cached && !refresh && Date.now() - cached.at <= CACHE_MS) return cached.keySet;
    const keys = { keys: await this.keys.publicJwks(tenantScope(tid)) } as JSONWebKeySet;
    const json = JSON.stringify(keys);
    if (cached && cached.json === json) {
      cached.at = Date.now();
      return cached.keySet;
    }
    const keySet = createLocalJWKSet(keys);
    this.#jwks.set(tid, { json, keySet, at: Date.now() });
    return keySet;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_JWT_EXPIRED') return 'Lifetime validation failed, the token is expired.';
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JWKS_NO_MATCHING_KEY') return 'Invalid signature.';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return `Invalid ${(error as { claim?: string }).claim ?? 'claim'}.`;
  return 'The token could not be validated.';
}


