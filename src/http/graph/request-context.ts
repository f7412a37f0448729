import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import type { Operation, Principal } from '../../modules/directory/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    tenantScope: TenantScope | null;
  }
  interface FastifyContextConfig {
    /** the permission a Graph route needs; the authorization hook refuses routes without one */
    operation?: Operation | 'anyAuthenticated';
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('internal', 'graph.noPrincipal', 'route reached without a principal');
  return request.principal;
}

export function scopeOf(request: FastifyRequest): TenantScope {
  if (!request.tenantScope) throw new AppError('internal', 'graph.noScope', 'route reached without a tenant scope');
  return request.tenantScope;
}
