import type { FastifyRequest } from 'fastify';
import type { DirectoryObject } from '../../modules/directory/index.ts';
import { groupDefaultProperties, userDefaultProperties } from '../../modules/directory/index.ts';

/** Graph's JSON shapes: `@odata.context`, `$select` projection and `@odata.type` on directory objects. */
export function graphRoot(request: FastifyRequest, baseUrl: string): string {
  const version = request.url.startsWith('/beta') ? 'beta' : 'v1.0';
  return `${baseUrl}/${version}`;
}

export function contextUrl(root: string, path: string, select: readonly string[] | null): string {
  return `${root}/$metadata#${path}${select ? `(${select.join(',')})` : ''}`;
}

export function project(object: object, select: readonly string[] | null, defaults: readonly string[]): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let keys: string[] | undefined;
  for (const name of select ?? defaults) {
    // the names are the catalog's own spelling, so the exact key is the usual match
    const key = Object.hasOwn(source, name) ? name : (keys ??= Object.keys(source)).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key) out[key] = source[key];
  }
  return out;
}

const odataTypes = { user: '#microsoft.graph.user', group: '#microsoft.graph.group', directoryRole: '#microsoft.graph.directoryRole' } as const;

export const defaultsFor = {
  user: userDefaultProperties,
  group: groupDefaultProperties,
  directoryRole: ['id', 'displayName', 'description', 'roleTemplateId'] as const,
};

/** A mixed relationship item (members, memberOf): annotated with its type, each with its own default properties. */
export function directoryObject(item: DirectoryObject, select: readonly string[] | null): Record<string, unknown> {
  return { '@odata.type': odataTypes[item.type], ...project(item.object, select, defaultsFor[item.type]) };
}
