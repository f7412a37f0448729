import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { requireObjectIdParams } from './object-id-params.ts';
import { directoryRoleProperties } from './properties.ts';
import { readSelect } from './query-options.ts';
import { computedRelationshipBody } from './relationship-reply.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, defaultsFor, graphRoot, project } from './serialize.ts';

type IdParams = { id: string };

export const directoryRolesRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { roles, config } = container;
  // ids in these paths are object ids only: anything else is Graph's 400 "Invalid object identifier"
  requireObjectIdParams(app);

  app.get('/directoryRoles', { config: { operation: 'directoryRoles.read' } }, async (request) => {
    const select = readSelect(request.query as Record<string, string>, directoryRoleProperties, 'microsoft.graph.directoryRole');
    const list = await roles.list(scopeOf(request), principalOf(request));
    return {
      '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'directoryRoles', select),
      value: list.map((role) => project(role, select, defaultsFor.directoryRole)),
    };
  });

  // `/directoryRoles(roleTemplateId='...')`, rewritten by key-syntax.ts before routing
  app.get<{ Params: { templateId: string } }>('/directoryRoles/roleTemplateId=:templateId', { config: { operation: 'directoryRoles.read' } }, async (request) => {
    const role = await roles.getByTemplate(scopeOf(request), principalOf(request), request.params.templateId);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'directoryRoles/$entity', null), ...project(role, null, defaultsFor.directoryRole) };
  });

  app.get<{ Params: { templateId: string } }>('/directoryRoles/roleTemplateId=:templateId/members', { config: { operation: 'directoryRoles.read' } }, async (request) => {
    const members = await roles.membersByTemplate(scopeOf(request), principalOf(request), request.params.templateId);
    return computedRelationshipBody(request, graphRoot(request, config.baseUrl), members);
  });

  app.get<{ Params: IdParams }>('/directoryRoles/:id', { config: { operation: 'directoryRoles.read' } }, async (request) => {
    const role = await roles.get(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'directoryRoles/$entity', null), ...project(role, null, defaultsFor.directoryRole) };
  });

  app.get<{ Params: IdParams }>('/directoryRoles/:id/members', { config: { operation: 'directoryRoles.read' } }, async (request) => {
    const members = await roles.members(scopeOf(request), principalOf(request), request.params.id);
    return computedRelationshipBody(request, graphRoot(request, config.baseUrl), members);
  });

  app.post<{ Params: IdParams }>('/directoryRoles/:id/members/$ref', { config: { operation: 'directoryRoles.members.update' } }, async (request, reply) => {
    await roles.addMember(scopeOf(request), principalOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string; memberId: string } }>(
    '/directoryRoles/:id/members/:memberId/$ref',
    { config: { operation: 'directoryRoles.members.update' } },
    async (request, reply) => {
      await roles.removeMember(scopeOf(request), principalOf(request), request.params.id, request.params.memberId);
      return reply.code(204).send();
    },
  );
};
