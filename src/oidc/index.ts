/** The OpenID Connect layer: per-tenant oidc-provider instances, their SQL adapter, and access-token verification. */
export { OidcService } from './oidc.service.ts';
export { AccessTokenVerifier } from './access-token-verifier.ts';
export { issuerOf, OIDC_ROUTES, clientMetadata, type OidcDeps } from './provider.ts';
export { sqlAdapter } from './adapter.ts';
export { parseScopes, canonicalResource, translateEntraParams, ScopeError, type ParsedScopes } from './entra-scopes.ts';
export { kPublicUrl } from './pages.ts';
export type { OidcPageRenderer, OidcPage, OidcPageInput, OidcPageRequest, LogoutPageInput, OidcErrorPageInput } from './pages.ts';
