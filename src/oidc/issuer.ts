// Kept apart from provider.ts so that verifying an access token does not load oidc-provider.
/** The issuer of a tenant's tokens. */
export function issuerOf(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/v2.0`;
}
