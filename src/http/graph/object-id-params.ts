import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../kernel/errors.ts';
import { isGuid } from '../../kernel/ids.ts';

/**
 * Path parameters that hold an object id and nothing else: a group's, a directory role's, a
 * directory object's, and the member or owner in a `$ref` path. Graph answers a value that is not a
 * GUID with 400 `Request_BadRequest` "Invalid object identifier '{value}'." before looking anything
 * up, so the services never see one. (Users are not here: `/users/{id}` also takes a
 * userPrincipalName. The alternate key `/directoryRoles(roleTemplateId='...')` has its own parameter.)
 */
const OBJECT_ID_PARAMS = ['id', 'memberId'] as const;

async function checkObjectIdParams(request: FastifyRequest): Promise<void> {
  const params = request.params as Record<string, string | undefined> | undefined;
  if (!params) return;
  for (const name of OBJECT_ID_PARAMS) {
    const value = params[name];
    if (value !== undefined && !isGuid(value)) throw CommonErrors.invalidId(value);
  }
}

/**
 * Applies the check to every route of a route plugin (its own encapsulated scope). A preHandler,
 * so it runs after the Graph surface's authentication hook: an anonymous caller still gets 401.
 */
export function requireObjectIdParams(app: FastifyInstance): void {
  app.addHook('preHandler', checkObjectIdParams);
}
