import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { queryFingerprint, SkipTokenSeal, type KeysetCursor, type Sealer } from '../../kernel/odata/index.ts';
import { scopeOf } from './request-context.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** seals and opens the Graph surface's `$skiptoken`s (decorated once per Graph surface) */
    graphSkipTokens: SkipTokenSeal;
  }
}

/** Gives a Graph surface its skip-token seal: the server's SecretBox (a key derived from TESSERA_SECRET). */
export function decorateSkipTokens(app: FastifyInstance, sealer: Sealer): void {
  app.decorate('graphSkipTokens', new SkipTokenSeal(sealer));
}

function sealOf(request: FastifyRequest): SkipTokenSeal {
  const seal = (request.server as Partial<FastifyInstance>).graphSkipTokens;
  if (!seal) throw new AppError('internal', 'graph.noSkipTokenSeal', 'the Graph surface has no skip-token seal');
  return seal;
}

/**
 * What a collection token is bound to: the tenant, the collection route (with its version) and
 * the texts of the query options that shape the list, so it opens for nothing else.
 */
export function collectionFingerprint(request: FastifyRequest, queryTexts: readonly string[]): string {
  return queryFingerprint(['collection', scopeOf(request).tenantId, request.routeOptions.url ?? '', ...queryTexts]);
}

/**
 * What a relationship token is bound to: the tenant, the relationship route and the object whose
 * relationship is paged (`/groups/{id}/members` of one group does not continue another's).
 */
export function relationshipFingerprint(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const owner = Object.keys(params)
    .sort()
    .map((name) => `${name}=${String(params[name]).toLowerCase()}`);
  return queryFingerprint(['relationship', scopeOf(request).tenantId, request.routeOptions.url ?? '', ...owner]);
}

export function sealSkipToken(request: FastifyRequest, token: KeysetCursor & { readonly fingerprint: string }): string {
  return sealOf(request).seal(token);
}

export function openSkipToken(request: FastifyRequest, token: string, fingerprint: string): KeysetCursor {
  return sealOf(request).open(token, fingerprint);
}
