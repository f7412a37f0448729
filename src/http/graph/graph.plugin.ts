import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { assertSafeValue } from '../../kernel/safe-input.ts';
import { authenticate } from './authenticate.ts';
import { batchRoutes } from './batch.routes.ts';
import { brandingRoutes } from './branding.routes.ts';
import { bulkOperationsRoutes } from './bulk-operations.routes.ts';
import { directoryObjectsRoutes } from './directory-objects.routes.ts';
import { directoryRolesRoutes } from './directory-roles.routes.ts';
import { adminConsentRoutes } from './admin-consent.routes.ts';
import { permissionGrantPoliciesRoutes } from './permission-grant-policies.routes.ts';
import { applicationsRoutes } from './applications.routes.ts';
import { servicePrincipalsRoutes } from './service-principals.routes.ts';
import { admitInTurns } from './graph-admission.ts';
import { graphErrorBody, malformedJson, sendGraphError } from './graph-errors.ts';
import { GRAPH_BODY_LIMIT, GRAPH_JSON_MAX_DEPTH } from './graph-limits.ts';
import { groupsRoutes } from './groups.routes.ts';
import { invitationsRoutes } from './invitations.routes.ts';
import { policiesRoutes } from './policies.routes.ts';
import { organizationRoutes } from './organization.routes.ts';
import './request-context.ts';
import { decorateSkipTokens } from './skip-tokens.ts';
import { usersRoutes } from './users.routes.ts';
import { consentRequestsRoutes } from './consent-requests.routes.ts';
import { permissionGrantsRoutes } from './permission-grants.routes.ts';
import { appRoleAssignmentsRoutes } from './app-role-assignments.routes.ts';
import { identityProvidersRoutes } from '../federation/identity-providers.routes.ts';

/**
 * The Graph surface (`/v1.0` and `/beta`): its own JSON parser, request-id headers, one authorization hook for
 * every route, and one error renderer. A route that declares no operation fails at boot.
 */
export const graphPlugin: FastifyPluginAsync<{ container: Container; version: 'v1.0' | 'beta' }> = async (app, { container, version }) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('tenantScope', null);
  // $skiptoken is sealed with the server key (TESSERA_SECRET), so clients can neither read nor forge one
  decorateSkipTokens(app, container.secrets);

  app.addHook('onRoute', (route) => {
    if (!route.config?.operation) throw new Error(`Graph route ${route.method} ${route.url} declares no operation`);
    // Graph bodies are small: every route gets the Graph limit unless it declares its own ($batch).
    route.bodyLimit ??= GRAPH_BODY_LIMIT;
  });

  // The surface's own JSON parser: bodies over the limit never reach it (413), and what it returns
  // holds no `__proto__`/`constructor`/`prototype` key and no deeper nesting than any Graph body has.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: GRAPH_BODY_LIMIT }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return done(malformedJson((error as Error).message), undefined);
    }
    try {
      assertSafeValue(value, { where: 'the request body', maxDepth: GRAPH_JSON_MAX_DEPTH });
    } catch (error) {
      return done(error as Error, undefined);
    }
    done(null, value);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    const clientRequestId = request.headers['client-request-id'];
    reply.header('client-request-id', typeof clientRequestId === 'string' ? clientRequestId : request.id);
    reply.header('cache-control', 'no-store');
  });

  // before authentication, whose database work takes a turn too (graph-admission.ts)
  admitInTurns(app, container.database, container.database.dialect);
  app.addHook('preHandler', async (request) => {
    if (request.is404) return; // unknown segments get their 400 without needing a caller
    const { principal, scope } = await authenticate(container, request);
    request.principal = principal;
    request.tenantScope = scope;
  });

  app.setErrorHandler((error, request, reply) => sendGraphError(request, reply, namingBodyLimit(error, request)));
  app.setNotFoundHandler((request, reply) => {
    const segment = request.url.split('?')[0]?.split('/').filter(Boolean).pop() ?? '';
    return reply.code(400).send(graphErrorBody(request, 'BadRequest', `Resource not found for the segment '${decodeURIComponent(segment)}'.`));
  });

  await app.register(usersRoutes, { container });
  await app.register(groupsRoutes, { container });
  await app.register(organizationRoutes, { container });
  await app.register(directoryRolesRoutes, { container });
  await app.register(directoryObjectsRoutes, { container });
  await app.register(invitationsRoutes, { container });
  await app.register(policiesRoutes, { container, version });
  await app.register(applicationsRoutes, { container });
  await app.register(servicePrincipalsRoutes, { container });
  // the admin consent request workflow (issue 16 item 6): its policy and requests; decisions on beta only
  await app.register(consentRequestsRoutes, { container, version });
  await app.register(permissionGrantsRoutes, { container });
  await app.register(appRoleAssignmentsRoutes, { container });
  await app.register(batchRoutes, { container, root: () => app });
  // beta carries everything v1.0 has plus Tessera's extensions where Graph has no API
  if (version === 'beta') await app.register(brandingRoutes, { container });
  // Entra's bulk operations have no Graph API: Tessera's extension, on beta only (b2b-contract.md)
  if (version === 'beta') await app.register(bulkOperationsRoutes, { container });
  // partners' OpenID Connect identity providers for guest sign-in: Tessera's extension, on beta only
  if (version === 'beta') await app.register(identityProvidersRoutes, { container });
  // "Grant admin consent for {tenant}" (issue 16): Tessera's extension, on beta only
  await app.register(adminConsentRoutes, { container, version });
  await app.register(permissionGrantPoliciesRoutes, { container });
};

/** Fastify's "body too large" says nothing of the limit; Graph's 413 names it (the route's own, or the Graph default). */
function namingBodyLimit(error: unknown, request: FastifyRequest): unknown {
  if ((error as { code?: string } | null)?.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return error;
  const limit = request.routeOptions.bodyLimit ?? GRAPH_BODY_LIMIT;
  return Object.assign(new Error(`the request body is larger than the limit of ${limit} bytes.`), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
}
