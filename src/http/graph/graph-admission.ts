import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DialectName } from '../../storage/database.ts';

/**
 * Graph requests take turns on the event loop (issue 13: `/healthz` stays responsive under an
 * adversarial client). On SQLite every query runs synchronously on the event loop, so N Graph
 * requests that become ready together run their database work back to back, and anything else
 * (a health check, a sign-in page) waits for all of them. Admitting them one at a time, each after
 * a trip through the event loop, bounds that wait by one request's work. PostgreSQL queries do not
 * hold the loop, so there the turnstile only caps how many requests are in flight.
 *
 * A request enters after its body is parsed (a slow uploader holds no turn) and leaves once its
 * reply is serialized (a slow reader holds none either); the serialization of a large reply runs
 * in a turn of the event loop of its own. `$batch` itself takes no turn: its items
 * each take one, so a batch cannot wait on itself.
 */
export const GRAPH_CONCURRENCY: Readonly<Record<DialectName, number>> = { sqlite: 1, postgres: 32 };

export class Turnstile {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async enter(): Promise<void> {
    if (this.#active < this.limit && this.#waiting.length === 0) this.#active++;
    // a freed turn is handed over directly by leave(): #active stays counted for the next one
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  leave(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}

/** One turnstile per process and database: the v1.0 and beta surfaces share it. */
const turnstiles = new WeakMap<object, Turnstile>();
const kLeave = Symbol('tessera.graph.leaveTurn');

declare module 'fastify' {
  interface FastifyRequest {
    [kLeave]?: (() => void) | undefined;
  }
}

/** Registers the turnstile's hooks on a Graph surface; call before the authentication hook. */
export function admitInTurns(app: FastifyInstance, database: object, dialect: DialectName): void {
  let turnstile = turnstiles.get(database);
  if (!turnstile) turnstiles.set(database, (turnstile = new Turnstile(GRAPH_CONCURRENCY[dialect])));
  const gate = turnstile;
  const leave = async (request: FastifyRequest) => {
    request[kLeave]?.();
  };
  app.addHook('preHandler', async (request) => {
    if (request.is404 || request.routeOptions.url?.endsWith('/$batch')) return;
    await gate.enter();
    let left = false;
    request[kLeave] = () => {
      if (left) return;
      left = true;
      gate.leave();
    };
  });
  // A page of 999 users is megabytes of JSON: serialize it in a turn of its own, not in the same
  // one as the query that read it. A small reply (one object, a short page) is serialized at once:
  // a trip through the event loop for it would cost more than its serialization.
  app.addHook('preSerialization', async (_request, _reply, payload) => {
    if (isLargeReply(payload)) await new Promise<void>((resolve) => setImmediate(resolve));
    return payload;
  });
  app.addHook('onSend', async (request) => {
    await leave(request);
  });
  app.addHook('onResponse', leave);
  app.addHook('onRequestAbort', leave);
}

/** Over this many items, a reply's array is serialized in an event-loop turn of its own. */
export const LARGE_REPLY_ITEMS = 50;

/** Whether a reply holds an array of more than LARGE_REPLY_ITEMS items at its top level (a collection's `value`, `$batch`'s `responses`). */
export function isLargeReply(payload: unknown): boolean {
  if (payload === null || typeof payload !== 'object') return false;
  if (Array.isArray(payload)) return payload.length > LARGE_REPLY_ITEMS;
  for (const key in payload) {
    const value = (payload as Record<string, unknown>)[key];
    if (Array.isArray(value) && (value.length > LARGE_REPLY_ITEMS || key === 'responses')) return true;
  }
  return false;
}
