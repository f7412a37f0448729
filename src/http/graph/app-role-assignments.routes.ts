import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import type { AssignmentPath } from '../../modules/consent/index.ts';
import { idPagedBody, readIdPaging } from './id-paging.ts';
import { readSelect } from './query-options.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';

type IdParams = { id: string };
type AssignmentParams = { id: string; assignmentId: string };

const TYPE = 'microsoft.graph.appRoleAssignment';
const PROPERTIES = ['id', 'deletedDateTime', 'appRoleId', 'createdDateTime', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId'] as const;

/** The four places Graph exposes app role assignments: a principal's own (users, groups, service principals) and a resource's assignedTo. */
const COLLECTIONS: { entitySet: string; segment: string; path: (id: string) => AssignmentPath }[] = [
  { entitySet: 'users', segment: 'appRoleAssignments', path: (id) => ({ via: 'principal', principalType: 'User', principalId: id }) },
  { entitySet: 'groups', segment: 'appRoleAssignments', path: (id) => ({ via: 'principal', principalType: 'Group', principalId: id }) },
  { entitySet: 'servicePrincipals', segment: 'appRoleAssignments', path: (id) => ({ via: 'principal', principalType: 'ServicePrincipal', principalId: id }) },
  { entitySet: 'servicePrincipals', segment: 'appRoleAssignedTo', path: (id) => ({ via: 'resource', resourceId: id }) },
];

/** App role assignments (graph-reference §8.2): thin routes over AppRoleAssignmentsService. */
export const appRoleAssignmentsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { appRoleAssignments, config } = container;

  for (const { entitySet, segment, path } of COLLECTIONS) {
    const base = `/${entitySet}/:id/${segment}`;
    const context = (id: string) => `${entitySet}('${encodeURIComponent(id)}')/${segment}`;

    app.get<{ Params: IdParams }>(base, { config: { operation: 'appRoleAssignments.read' } }, async (request) => {
      const paging = readIdPaging(request, PROPERTIES, TYPE, { filter: false });
      const page = await appRoleAssignments.list(scopeOf(request), principalOf(request), path(request.params.id), paging.after, paging.top);
      return idPagedBody(request, graphRoot(request, config.baseUrl), context(request.params.id), paging, page.items, page.last, PROPERTIES);
    });

    app.post<{ Params: IdParams }>(base, { config: { operation: 'appRoleAssignments.update' } }, async (request, reply) => {
      const assignment = await appRoleAssignments.assign(scopeOf(request), principalOf(request), path(request.params.id), request.body);
      const root = graphRoot(request, config.baseUrl);
      reply.code(201).header('location', `${root}/${entitySet}/${request.params.id}/${segment}/${assignment.id}`);
      return { '@odata.context': contextUrl(root, `${context(request.params.id)}/$entity`, null), ...project(assignment, null, PROPERTIES) };
    });

    app.get<{ Params: AssignmentParams }>(`${base}/:assignmentId`, { config: { operation: 'appRoleAssignments.read' } }, async (request) => {
      const select = readSelect(request.query as Record<string, string>, PROPERTIES, TYPE);
      const assignment = await appRoleAssignments.get(scopeOf(request), principalOf(request), path(request.params.id), request.params.assignmentId);
      return { '@odata.context': `${contextUrl(graphRoot(request, config.baseUrl), context(request.params.id), select)}/$entity`, ...project(assignment, select, PROPERTIES) };
    });

    app.delete<{ Params: AssignmentParams }>(`${base}/:assignmentId`, { config: { operation: 'appRoleAssignments.update' } }, async (request, reply) => {
      await appRoleAssignments.unassign(scopeOf(request), principalOf(request), path(request.params.id), request.params.assignmentId);
      return reply.code(204).send();
    });
  }
};
