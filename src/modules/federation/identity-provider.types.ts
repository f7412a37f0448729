/** An OpenID Connect identity provider an organization's partners sign in with (Graph: openIdConnectIdentityProvider). */
export interface IdentityProvider {
  id: string;
  displayName: string;
  /** the provider's issuer; its discovery document is `{issuer}/.well-known/openid-configuration` */
  issuer: string;
  clientId: string;
  /** space-separated, always with `openid` */
  scope: string;
  /** lower-cased e-mail domains whose people sign in there */
  domains: string[];
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** What home sign-in needs to talk to the provider: the record plus its client secret (never leaves the server). */
export interface IdentityProviderClient extends IdentityProvider {
  clientSecret: string;
}
