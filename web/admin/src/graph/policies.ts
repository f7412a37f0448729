import type { GraphClient } from './client.ts';

/** Entra's guest access levels (`authorizationPolicy.guestUserRoleId`). */
export const GUEST_ROLE = {
  member: 'a0b1b346-4d3e-4e8b-98f8-753987be4970',
  guest: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
  restricted: '2af84b1e-32c8-42b7-82bc-daa82404023b',
} as const;

export type AllowInvitesFrom = 'none' | 'adminsAndGuestInviters' | 'adminsGuestInvitersAndAllMembers' | 'everyone';

export interface AuthorizationPolicy {
  id?: string;
  allowInvitesFrom: AllowInvitesFrom;
  guestUserRoleId: string;
}

export interface ExternalIdentitiesPolicy {
  allowExternalIdentitiesToLeave: boolean;
  allowDeletedIdentitiesDataRemoval?: boolean;
}

/** Tessera's shape of Entra's B2BManagementPolicy (collaboration restrictions), a `/beta` extension. */
export interface B2bManagementPolicy {
  invitationsAllowedAndBlockedDomainsPolicy: { allowedDomains: string[]; blockedDomains: string[] };
  allowConsumerDomains: boolean;
}

export type EmailOtpSetting = 'default' | 'enabled' | 'disabled';

export interface EmailAuthenticationMethodConfiguration {
  '@odata.type'?: string;
  id?: string;
  state?: string;
  allowExternalIdToUseEmailOtp: EmailOtpSetting;
}

const AUTHORIZATION = '/policies/authorizationPolicy';
const EMAIL_METHOD = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email';
const EMAIL_METHOD_TYPE = '#microsoft.graph.emailAuthenticationMethodConfiguration';

/** v1.0 answers the singleton itself; early beta answered a one-item collection. Both are read. */
export async function getAuthorizationPolicy(graph: GraphClient, signal?: AbortSignal): Promise<AuthorizationPolicy> {
  const body = await graph.get<AuthorizationPolicy | { value: AuthorizationPolicy[] }>(AUTHORIZATION, { signal });
  return 'value' in body && Array.isArray(body.value) ? (body.value[0] as AuthorizationPolicy) : (body as AuthorizationPolicy);
}

export const updateAuthorizationPolicy = (graph: GraphClient, changes: Partial<Pick<AuthorizationPolicy, 'allowInvitesFrom' | 'guestUserRoleId'>>) =>
  graph.patch(AUTHORIZATION, changes);

export const getExternalIdentitiesPolicy = (graph: GraphClient, signal?: AbortSignal) =>
  graph.get<ExternalIdentitiesPolicy>(graph.betaUrl('/policies/externalIdentitiesPolicy'), { signal });

export const updateExternalIdentitiesPolicy = (graph: GraphClient, changes: Pick<ExternalIdentitiesPolicy, 'allowExternalIdentitiesToLeave'>) =>
  graph.patch(graph.betaUrl('/policies/externalIdentitiesPolicy'), changes);

export const getB2bManagementPolicy = (graph: GraphClient, signal?: AbortSignal) =>
  graph.get<B2bManagementPolicy>(graph.betaUrl('/policies/b2bManagementPolicy'), { signal });

export const updateB2bManagementPolicy = (graph: GraphClient, changes: Partial<B2bManagementPolicy>) => graph.patch(graph.betaUrl('/policies/b2bManagementPolicy'), changes);

export const getEmailMethodConfiguration = (graph: GraphClient, signal?: AbortSignal) => graph.get<EmailAuthenticationMethodConfiguration>(EMAIL_METHOD, { signal });

/** Graph asks for the derived type on a PATCH of an authentication method configuration. */
export const updateEmailMethodConfiguration = (graph: GraphClient, allowExternalIdToUseEmailOtp: EmailOtpSetting) =>
  graph.patch(EMAIL_METHOD, { '@odata.type': EMAIL_METHOD_TYPE, allowExternalIdToUseEmailOtp });
