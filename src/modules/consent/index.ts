/** Applications, service principals and grants (minimal, for sign-in; the consent work extends this module). */
export { ApplicationsService, isAcceptableRedirectUri, type ClientApp, type CreateAppInput } from './applications.service.ts';
export { ConsentErrors } from './consent.errors.ts';
export { ADMIN_CENTER_APP_ID, MY_ACCOUNT_APP_ID, FEDERATION_APP_ID, FEDERATION_SCOPES, ADMIN_CENTER_SCOPES, MY_ACCOUNT_SCOPES, firstPartyRedirectUris, firstPartyPostLogoutRedirectUris } from './first-party.ts';
export { GRAPH_APP_ID, GRAPH_ALIAS, OIDC_SCOPES, graphPermissions, graphPermission, type GraphPermission, type AppRole, type PermissionScope } from './graph-permissions.ts';
export type { Application, ServicePrincipal, OAuth2PermissionGrant, AppRoleAssignment, PasswordCredential, KeyCredential } from './application.types.ts';
export { applicationsRepo, bumpDirectoryStamp } from './applications.repo.ts';
export { StampedTenantCache, STAMP_RECHECK_MS } from './stamped-cache.ts';
export { grantsRepo } from './grants.repo.ts';
