import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import { BATCH_LIMITS, BATCH_OUTER_HEADERS } from './batch-limits.ts';
import type { GraphVersion } from './batch-item-url.ts';
import { readBatch, type BatchItem } from './batch-request.ts';
import { graphErrorBody } from './graph-errors.ts';

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const RETURNED_HEADERS = ['content-type', 'location', 'retry-after'] as const;

const overBudget = () =>
  new AppError('badRequest', 'graph.batchResponseTooLarge', `The responses of this batch are larger than the limit of ${BATCH_LIMITS.maxResponseBytes} bytes; send fewer requests or smaller pages.`);

/**
 * What every item takes from the outer request, whatever the item says: the client's socket address
 * (light-my-request's `remoteAddress`; without it an item would come from 127.0.0.1, and per-IP
 * limits, lockout and loopback-only pages would see loopback) and the headers Fastify derives the
 * client address, host and protocol from, plus the credential and correlation id.
 */
function outerIdentity(request: FastifyRequest): { remoteAddress: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const name of BATCH_OUTER_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const clientRequestId = request.headers['client-request-id'];
  headers['client-request-id'] = typeof clientRequestId === 'string' ? clientRequestId : request.id;
  // the socket address, not request.ip: the item recomputes request.ip from it and the forwarding
  // headers above exactly as the batch did, whatever the trustProxy setting. A socket already gone
  // has no address; light-my-request would then make the item loopback, so it is the unspecified one.
  return { remoteAddress: request.raw.socket?.remoteAddress || request.ip || '0.0.0.0', headers };
}

/** At most `max` tasks at a time; a finished task hands its slot straight to the next waiting one. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = () => (active < max ? (active++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve)));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
}

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return undefined;
  if (!contentType.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * `POST /$batch`: each item runs as a full request through the same server (same authorization
 * hook, same error rendering), as the same client, under the batch's own version root. Items run
 * concurrently (a few at a time on PostgreSQL) unless they depend on others; an item whose dependency failed
 * gets 424 and does not run; an item whose URL leaves the version root gets 400 and does not run.
 */
export const batchRoutes: FastifyPluginAsync<{ container: Container; root: () => FastifyInstance }> = async (app, { container, root }) => {
  const concurrency = BATCH_LIMITS.maxConcurrentItems[container.database.dialect];
  app.post('/$batch', { config: { operation: 'anyAuthenticated' }, bodyLimit: BATCH_LIMITS.maxBodyBytes }, async (request) => {
    const version: GraphVersion = request.routeOptions.url?.startsWith('/beta/') ? 'beta' : 'v1.0';
    const items = readBatch(request.body, version);
    const byId = new Map(items.map((item) => [item.id, item]));
    const outer = outerIdentity(request);
    const results = new Map<string, Promise<BatchResponse>>();
    const slot = limiter(concurrency);
    let responseBytes = 0;
    let exceeded = false;

    const errorItem = (item: BatchItem, status: number, code: string, message: string): BatchResponse => ({
      id: item.id,
      status,
      headers: { 'content-type': 'application/json' },
      body: graphErrorBody(request, code, message),
    });

    const dispatch = async (item: BatchItem, path: string): Promise<BatchResponse> => {
      const response = await root().inject({
        method: item.method as 'GET',
        url: path,
        remoteAddress: outer.remoteAddress,
        headers: { ...item.headers, ...outer.headers },
        ...(item.payload === undefined ? {} : { payload: item.payload }),
      });
      responseBytes += response.rawPayload.length;
      if (responseBytes > BATCH_LIMITS.maxResponseBytes) exceeded = true;
      const contentType = String(response.headers['content-type'] ?? '');
      const headers: Record<string, string> = {};
      for (const name of RETURNED_HEADERS) if (response.headers[name]) headers[name] = String(response.headers[name]);
      const body = parseBody(response.body, contentType);
      return { id: item.id, status: response.statusCode, headers, ...(body === undefined ? {} : { body }) };
    };

    const run = (item: BatchItem): Promise<BatchResponse> => {
      const existing = results.get(item.id);
      if (existing) return existing;
      const promise = (async (): Promise<BatchResponse> => {
        if ('problem' in item.target) return errorItem(item, 400, item.target.problem.code, item.target.problem.message);
        const deps = await Promise.all(item.dependsOn.map((dep) => run(byId.get(dep)!)));
        const failed = deps.find((dep) => dep.status >= 400);
        if (failed) return errorItem(item, 424, 'FailedDependency', `The request depends on request '${failed.id}', which failed.`);
        const { path } = item.target;
        // each item also takes a turn of the Graph surface's turnstile (graph-admission.ts), which
        // keeps SQLite's synchronous queries from holding the event loop; the batch itself takes none
        return slot(async () => {
          // once over the response budget the batch is refused: start nothing more
          if (exceeded) return errorItem(item, 424, 'FailedDependency', 'The batch exceeded its response budget.');
          return dispatch(item, path);
        });
      })();
      results.set(item.id, promise);
      return promise;
    };

    const responses = await Promise.all(items.map(run));
    if (exceeded) throw overBudget();
    return { responses };
  });
};
