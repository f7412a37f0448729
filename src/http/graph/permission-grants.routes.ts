import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { parseFilter, type FilterExpr } from '../../kernel/odata/index.ts';
import { GrantsErrors, type GrantFilter } from '../../modules/consent/index.ts';
import { idPagedBody, readIdPaging } from './id-paging.ts';
import { readSelect } from './query-options.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';

type IdParams = { id: string };

const TYPE = 'microsoft.graph.oAuth2PermissionGrant';
const PROPERTIES = ['id', 'clientId', 'consentType', 'principalId', 'resourceId', 'scope'] as const;
const FILTERABLE = ['clientId', 'consentType', 'principalId', 'resourceId'] as const;

/**
 * `$filter` on oauth2PermissionGrants: `eq` on clientId, consentType, principalId and resourceId,
 * joined with `and` (graph-reference §8.1); anything else is Graph's Request_UnsupportedQuery.
 */
export function grantFilter(text: string | undefined): GrantFilter {
  if (text === undefined) return {};
  const out: GrantFilter = {};
  const visit = (expr: FilterExpr): void => {
    if (expr.kind === 'and') {
      visit(expr.left);
      visit(expr.right);
      return;
    }
    if (expr.kind !== 'compare' || expr.operator !== 'eq' || expr.left.kind !== 'property' || expr.right.kind !== 'literal') {
      throw GrantsErrors.unsupportedFilter("only 'eq' comparisons on clientId, consentType, principalId and resourceId, joined with 'and', are supported.");
    }
    const leftName = expr.left.name;
    const name = FILTERABLE.find((p) => p.toLowerCase() === leftName.toLowerCase());
    if (!name) throw GrantsErrors.unsupportedFilter(`property '${leftName}' cannot be filtered on.`);
    const literal = expr.right.value;
    let value: string | null;
    if (literal.kind === 'null' && name === 'principalId') value = null;
    else if (literal.kind === 'string' || literal.kind === 'guid') value = name === 'consentType' ? literal.value : literal.value.toLowerCase();
    else throw GrantsErrors.unsupportedFilter(`'${name}' is compared with a string.`);
    if (Object.hasOwn(out, name)) throw GrantsErrors.unsupportedFilter(`'${name}' may be compared once.`);
    (out as Record<string, string | null>)[name] = value;
  };
  visit(parseFilter(text));
  return out;
}

/** `/oauth2PermissionGrants` and the grants of a service principal or user: thin routes over PermissionGrantsService. */
export const permissionGrantsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { grants, config } = container;

  app.get('/oauth2PermissionGrants', { config: { operation: 'permissionGrants.read' } }, async (request) => {
    const paging = readIdPaging(request, PROPERTIES, TYPE, { filter: true });
    const page = await grants.listGrants(scopeOf(request), principalOf(request), grantFilter(paging.filterText), paging.after, paging.top);
    return idPagedBody(request, graphRoot(request, config.baseUrl), 'oauth2PermissionGrants', paging, page.items, page.last, PROPERTIES);
  });

  app.get<{ Params: IdParams }>('/oauth2PermissionGrants/:id', { config: { operation: 'permissionGrants.read' } }, async (request) => {
    const select = readSelect(request.query as Record<string, string>, PROPERTIES, TYPE);
    const grant = await grants.getGrant(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': `${contextUrl(graphRoot(request, config.baseUrl), 'oauth2PermissionGrants', select)}/$entity`, ...project(grant, select, PROPERTIES) };
  });

  app.post('/oauth2PermissionGrants', { config: { operation: 'permissionGrants.update' } }, async (request, reply) => {
    const grant = await grants.createGrant(scopeOf(request), principalOf(request), request.body);
    const root = graphRoot(request, config.baseUrl);
    reply.code(201).header('location', `${root}/oauth2PermissionGrants/${grant.id}`);
    return { '@odata.context': contextUrl(root, 'oauth2PermissionGrants/$entity', null), ...project(grant, null, PROPERTIES) };
  });

  app.patch<{ Params: IdParams }>('/oauth2PermissionGrants/:id', { config: { operation: 'permissionGrants.update' } }, async (request, reply) => {
    await grants.updateGrant(scopeOf(request), principalOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });

  app.delete<{ Params: IdParams }>('/oauth2PermissionGrants/:id', { config: { operation: 'permissionGrants.update' } }, async (request, reply) => {
    await grants.deleteGrant(scopeOf(request), principalOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: IdParams }>('/servicePrincipals/:id/oauth2PermissionGrants', { config: { operation: 'permissionGrants.read' } }, async (request) => {
    const paging = readIdPaging(request, PROPERTIES, TYPE, { filter: false });
    const page = await grants.servicePrincipalGrants(scopeOf(request), principalOf(request), request.params.id, paging.after, paging.top);
    return idPagedBody(request, graphRoot(request, config.baseUrl), 'oauth2PermissionGrants', paging, page.items, page.last, PROPERTIES);
  });

  app.get<{ Params: IdParams }>('/users/:id/oauth2PermissionGrants', { config: { operation: 'permissionGrants.read' } }, async (request) => {
    const paging = readIdPaging(request, PROPERTIES, TYPE, { filter: false });
    const page = await grants.userGrants(scopeOf(request), principalOf(request), request.params.id, paging.after, paging.top);
    return idPagedBody(request, graphRoot(request, config.baseUrl), `users('${encodeURIComponent(request.params.id)}')/oauth2PermissionGrants`, paging, page.items, page.last, PROPERTIES);
  });

  app.get('/me/oauth2PermissionGrants', { config: { operation: 'permissionGrants.readOwn' } }, async (request) => {
    const paging = readIdPaging(request, PROPERTIES, TYPE, { filter: false });
    const page = await grants.userGrants(scopeOf(request), principalOf(request), 'me', paging.after, paging.top);
    return idPagedBody(request, graphRoot(request, config.baseUrl), 'oauth2PermissionGrants', paging, page.items, page.last, PROPERTIES);
  });
};
