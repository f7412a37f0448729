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

/**
 * Verifies Graph access tokens: signed by the tenant's own keys (per-tenant JWKS, cached and
 * refreshed on an unknown key id), issued by `{base}/{tid}/v2.0`, for Graph (its appId, `{base}` or
 * https://graph.microsoft.com), and current. Maps Entra's claims onto what the Graph surface needs.
 */
export class AccessTokenVerifier implements TokenVerifier {
  /** per tenant: its public keys and the key set built from them (keys imported once, on first use) */
  readonly #jwks = new Map<string, { json: string; keySet: ReturnType<typeof createLocalJWKSet>; at: number }>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly keys: Keys,
    private readonly now: () => Date,
  ) {}

  async verify(token: string): Promise<VerifiedToken> {
    let tid: unknown;
    try {
      tid = decodeJwt(token).tid;
    } catch {
      throw invalid('Access token validation failure. The token is not a well-formed JWT.');
    }
    if (!isGuid(tid)) throw invalid('Access token validation failure. The token names no tenant.');
    const baseUrl = this.baseUrl();
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
    return { tenantId: tid, kind, objectId, clientAppId: String(payload.azp ?? ''), scopes, roles };
  }

  async #verifyWith(tid: string, token: string, baseUrl: string, refresh: boolean) {
    const { payload } = await jwtVerify(token, await this.#keySet(tid, refresh), {
      issuer: issuerOf(baseUrl, tid),
      audience: [GRAPH_APP_ID, baseUrl, GRAPH_ALIAS],
      algorithms: ['ES256', 'RS256', 'EdDSA'],
      currentDate: this.now(),
      clockTolerance: 30,
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


