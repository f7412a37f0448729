import { randomBytes } from 'node:crypto';
import { AppError } from '../../src/kernel/errors.ts';
import type { TokenVerifier, VerifiedToken } from '../../src/modules/signin/token-verifier.ts';

/**
 * Test tokens: opaque random strings the test container maps to claims, so Graph tests can act as
 * any user or app without running the sign-in flow. The real verifier (JWTs from the OIDC
 * provider) is tested end to end in test/e2e.
 */
export class TestTokens implements TokenVerifier {
  readonly #tokens = new Map<string, VerifiedToken>();

  issue(claims: VerifiedToken): string {
    const token = `test.${randomBytes(16).toString('hex')}`;
    this.#tokens.set(token, claims);
    return token;
  }

  user(tenantId: string, userId: string, scopes: string[]): string {
    return this.issue({ tenantId, kind: 'user', objectId: userId, clientAppId: '00000000-0000-0000-0000-00000000test', scopes, roles: [] });
  }

  app(tenantId: string, roles: string[]): string {
    return this.issue({ tenantId, kind: 'app', objectId: '00000000-0000-0000-0000-000000000001', clientAppId: '00000000-0000-0000-0000-000000000002', scopes: [], roles });
  }

  async verify(token: string): Promise<VerifiedToken> {
    const claims = this.#tokens.get(token);
    if (!claims) throw new AppError('unauthenticated', 'test.invalidToken', 'Access token validation failure.');
    return claims;
  }
}
