import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import { graphErrorBody } from './graph-errors.ts';

const MAX_REQUESTS = 20;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const invalid = (message: string) => new AppError('badRequest', 'graph.invalidBatch', message);

/** Validates the whole batch up front: a malformed batch runs nothing. */
function readBatch(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid("The batch body must have a non-empty 'requests' array.");
  if (requests.length > MAX_REQUESTS) throw invalid(`The number of batch requests ${requests.length} exceeds the limit of ${MAX_REQUESTS}.`);
  const ids = new Set<string>();
  const items = requests.map((raw: any, index) => {
    if (!raw || typeof raw !== 'object') throw invalid(`Request ${index} is not an object.`);
    if (typeof raw.id !== 'string' || raw.id === '') throw invalid(`Request ${index} has no 'id'.`);
    if (ids.has(raw.id)) throw invalid(`Batch request ids must be unique; '${raw.id}' appears twice.`);
    ids.add(raw.id);
    const method = typeof raw.method === 'string' ? raw.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw invalid(`Request '${raw.id}' has an invalid method '${raw.method}'.`);
    if (typeof raw.url !== 'string' || raw.url === '' || /^[a-z]+:\/\//i.test(raw.url) || raw.url.includes('$batch')) {
      throw invalid(`Request '${raw.id}' must have a 'url' relative to the version root.`);
    }
    const headers = raw.headers ?? {};
    if (typeof headers !== 'object' || Array.isArray(headers)) throw invalid(`Request '${raw.id}' has invalid 'headers'.`);
    if (raw.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      throw invalid(`Request '${raw.id}' has a body but no Content-Type header.`);
    }
    const dependsOn = raw.dependsOn ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((d: unknown) => typeof d !== 'string')) throw invalid(`Request '${raw.id}' has an invalid 'dependsOn'.`);
    return { id: raw.id, method, url: raw.url, headers, body: raw.body, dependsOn } as BatchItem;
  });
  for (const item of items) {
    for (const dep of item.dependsOn ?? []) if (!ids.has(dep)) throw invalid(`Request '${item.id}' depends on unknown request '${dep}'.`);
  }
  return items;
}

/**
 * `POST /$batch`: each item runs as a full request through the same server (same authorization
 * hook, same error rendering) with the caller's credentials. Items run concurrently unless they
 * depend on others; an item whose dependency failed gets 424 and does not run.
 */
export const batchRoutes: FastifyPluginAsync<{ container: Container; root: () => FastifyInstance }> = async (app, { root }) => {
  app.post('/$batch', { config: { operation: 'anyAuthenticated' } }, async (request) => {
    const items = readBatch(request.body);
    const version = request.url.startsWith('/beta') ? '/beta' : '/v1.0';
    const results = new Map<string, Promise<BatchResponse>>();
    const run = (item: BatchItem): Promise<BatchResponse> => {
      const existing = results.get(item.id);
      if (existing) return existing;
      const promise = (async (): Promise<BatchResponse> => {
        const deps = await Promise.all((item.dependsOn ?? []).map((dep) => run(items.find((i) => i.id === dep)!)));
        const failed = deps.find((dep) => dep.status >= 400);
        if (failed) {
          return { id: item.id, status: 424, headers: { 'content-type': 'application/json' }, body: graphErrorBody(request, 'FailedDependency', `The request depends on request '${failed.id}', which failed.`) };
        }
        const url = `${version}${item.url.startsWith('/') ? '' : '/'}${item.url}`;
        const response = await root().inject({
          method: item.method as 'GET',
          url,
          headers: {
            ...lowerKeys(item.headers ?? {}),
            authorization: request.headers.authorization ?? '',
            'client-request-id': String(request.headers['client-request-id'] ?? request.id),
          },
          ...(item.body === undefined ? {} : { payload: typeof item.body === 'string' ? item.body : JSON.stringify(item.body) }),
        });
        const contentType = String(response.headers['content-type'] ?? '');
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'location', 'retry-after']) if (response.headers[name]) headers[name] = String(response.headers[name]);
        const body = response.body === '' ? undefined : contentType.includes('json') ? JSON.parse(response.body) : response.body;
        return { id: item.id, status: response.statusCode, headers, ...(body === undefined ? {} : { body }) };
      })();
      results.set(item.id, promise);
      return promise;
    };
    if (hasCycle(items)) throw invalid('The dependsOn references form a cycle.');
    return { responses: await Promise.all(items.map(run)) };
  });
};

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function hasCycle(items: BatchItem[]): boolean {
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(items.map((i) => [i.id, i]));
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    for (const dep of byId.get(id)?.dependsOn ?? []) if (visit(dep)) return true;
    state.set(id, 'done');
    return false;
  };
  return items.some((i) => visit(i.id));
}
