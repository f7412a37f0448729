import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import type { Logger } from '../kernel/logger.ts';
import { databaseUnavailable, isConnectionFault } from './database-faults.ts';

/** How long a request waits for a connection (a new one, or a free one from the pool) before it fails with 503. */
const CONNECTION_TIMEOUT_MS = 5000;

/**
 * The pg pool Kysely uses, made to survive losing the database:
 *
 * - pg emits 'error' on a client whose connection dies (pg_terminate_backend, a restart, a network
 *   cut) and, for idle clients, on the pool; with no listener that is an uncaught exception and the
 *   process exits. Both get a listener: the pool drops the broken client and opens a new one on
 *   the next checkout, which is how a node recovers by itself once the database is back.
 * - Getting a connection is bounded (`connectionTimeoutMillis`), so requests fail fast instead of
 *   hanging while the database is unreachable; TCP keep-alive notices a silently dropped peer.
 * - Failing to get a connection, and a query that fails because its connection is gone, become the
 *   `unavailable` AppError (every surface answers 503). Other errors (constraints, syntax...) pass
 *   through untouched for the repositories to interpret.
 *
 * A statement timeout can be set per deployment in the URL: `?options=-c statement_timeout=30000`.
 */
export function createPostgresPool(url: string, options: { poolSize?: number; logger?: Logger } = {}): PostgresPool {
  const { logger } = options;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS, keepAlive: true });
  // Only the code and message are logged: pg hangs the client (with its connection parameters) on the error.
  const summary = (error: Error & { code?: string }) => ({ code: error.code, message: error.message });
  pool.on('error', (error) => logger?.warn({ error: summary(error) }, 'an idle database connection was lost; a new one is opened when needed'));
  // A checked-out client has no pool listener; its next query fails and reports the loss.
  pool.on('connect', (client) => client.on('error', (error) => logger?.debug({ error: summary(error) }, 'a database connection in use was lost')));
  return new FaultMappingPool(pool);
}

class FaultMappingPool implements PostgresPool {
  readonly #pool: pg.Pool;
  // Kysely keeps per-client state keyed by the client object, so each pg client keeps one wrapper.
  readonly #clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  get options(): object {
    return this.#pool.options;
  }

  get Client() {
    return pg.Client;
  }

  async connect(): Promise<PostgresPoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      // Whatever the reason (refused, timed out, the database not accepting connections,
      // authentication), no connection means the node cannot serve this request now.
      throw databaseUnavailable(error);
    }
    let wrapper = this.#clients.get(client);
    if (!wrapper) {
      wrapper = faultMappingClient(client);
      this.#clients.set(client, wrapper);
    }
    return wrapper;
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}

function faultMappingClient(client: pg.PoolClient): PostgresPoolClient {
  const mapFault = (error: unknown) => {
    throw isConnectionFault(error) ? databaseUnavailable(error) : error;
  };
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never) as PostgresCursor<R>;
    try {
      return (client.query(sqlOrCursor, parameters as unknown[]) as unknown as Promise<PostgresQueryResult<R>>).catch(mapFault);
    } catch (error) {
      return Promise.reject(error).catch(mapFault);
    }
  }
  return {
    get processID() {
      return (client as unknown as { processID?: number }).processID;
    },
    query,
    release: (destroy?: boolean) => client.release(destroy),
  };
}
