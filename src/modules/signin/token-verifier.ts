/**
 * What the Graph surface needs from a bearer token. The sign-in module verifies signatures,
 * issuer, audience and expiry; the Graph surface then loads the user's current directory roles.
 * `verify` throws an `unauthenticated` AppError with a message that says what was wrong.
 */
export interface VerifiedToken {
  tenantId: string;
  /** `user` for delegated tokens (they carry `scp`), `app` for app-only tokens (`roles`) */
  kind: 'user' | 'app';
  /** the `oid` claim: the user's object id, or the client's service principal id */
  objectId: string;
  /** the `azp` claim: the client application's appId */
  clientAppId: string;
  scopes: string[];
  roles: string[];
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}
