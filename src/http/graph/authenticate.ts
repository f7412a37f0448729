import type { FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';
import { authorize, type Principal } from '../../modules/directory/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';

const NO_ROLES: ReadonlySet<string> = new Set();

const unauthenticated = (message: string) => new AppError('unauthenticated', 'graph.invalidToken', message);

/**
 * The Graph surface's single authorization hook: bearer token -> verified claims -> principal
 * (with the current directory roles of the user, or of the app's service principal) -> the
 * route's declared operation is checked.
 */
export async function authenticate(container: Container, request: FastifyRequest): Promise<{ principal: Principal; scope: TenantScope }> {
  const header = request.headers.authorization;
  if (!header) throw unauthenticated('Access token is empty.');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('Access token validation failure. Invalid audience or malformed Authorization header.');
  const token = await container.tokenVerifier.verify(match[1]);
  // tenant resolution is cached per node (TenantsService.resolve: a change is seen within 5 s)
  const scope = await container.tenants.resolve(token.tenantId);
  if (!scope) throw unauthenticated('Access token validation failure: unknown tenant.');
  let principal: Principal;
  if (token.kind === 'user') {
    // the user and its roles in one query, on every request: a disabled user or a removed role applies at once
    const user = isGuid(token.objectId) ? await container.roles.callingUser(scope, token.objectId) : undefined;
    if (!user) throw unauthenticated('Access token validation failure: the user no longer exists.');
    if (!user.accountEnabled) throw unauthenticated('Access token validation failure: the user account is disabled.');
    principal = {
      kind: 'user',
      tenantId: scope.tenantId,
      userId: user.id,
      clientAppId: token.clientAppId,
      scopes: new Set(token.scopes),
      userType: user.userType,
      roleTemplateIds: user.roleTemplateIds,
      // guests only (one more read): what authorizationPolicy.guestUserRoleId lets them see
      ...(user.userType === 'Guest' ? { guestAccess: await container.invitations.guestAccessLevel(scope) } : {}),
    };
  } else {
    // The service principal's own directory roles: they decide which privileged users the app may
    // make sensitive changes to (modules/directory/access/sensitive-actions.ts). Cached per node under
    // the directory stamp (a role change on another node applies within 5 s; here at once).
    const roleTemplateIds = token.objectId ? await container.roles.servicePrincipalRoleTemplateIds(scope, token.objectId) : NO_ROLES;
    principal = { kind: 'app', tenantId: scope.tenantId, appId: token.clientAppId, servicePrincipalId: token.objectId, roles: new Set(token.roles), roleTemplateIds };
  }
  const operation = request.routeOptions.config.operation;
  if (!operation) throw new AppError('internal', 'graph.undeclaredOperation', `route ${request.routeOptions.url} declares no operation`);
  // `$batch` itself only needs a caller; each of its items is authorized as a request of its own.
  if (operation !== 'anyAuthenticated') authorize(principal, operation);
  return { principal, scope };
}
