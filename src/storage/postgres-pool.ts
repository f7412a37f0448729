import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../kernel/logger.ts';
import { databaseUnavailable, isConnectionFault, isStalePreparedStatement } from './database-faults.ts';

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
export function createPostgresPool(url: string, options: { poolSize?: number; logger?: Logger; onStatement?: (sql: string) => void } = {}): PostgresPool {
  const { logger } = options;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS, keepAlive: true });
  // Only the code and message are logged: pg hangs the client (with its connection parameters) on the error.
  const summary = (error: Error & { code?: string }) => ({ code: error.code, message: error.message });
  pool.on('error', (error) => logger?.warn({ error: summary(error) }, 'an idle database connection was lost; a new one is opened when needed'));
  // A checked-out client has no pool listener; its next query fails and reports the loss.
  pool.on('connect', (client) => client.on('error', (error) => logger?.debug({ error: summary(error) }, 'a database connection in use was lost')));
  return new FaultMappingPool(pool, options.onStatement);
}

class FaultMappingPool implements PostgresPool {
  readonly #pool: pg.Pool;
  // Kysely keeps per-client state keyed by the client object, so each pg client keeps one wrapper.
  readonly #clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();

  readonly #onStatement: ((sql: string) => void) | undefined;

  constructor(pool: pg.Pool, onStatement?: (sql: string) => void) {
    this.#pool = pool;
    this.#onStatement = onStatement;
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
      wrapper = faultMappingClient(client, this.#onStatement);
      this.#clients.set(client, wrapper);
    }
    return wrapper;
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}

/**
 * How many statements one connection keeps prepared under a name. Texts beyond it run unnamed (parsed
 * and planned each time, as before), so texts that differ per call (IN lists of varying length) cannot
 * grow a connection's prepared statements, in pg or in the server, without bound.
 */
export const PREPARED_STATEMENTS_PER_CONNECTION = 200;

/** Statements with more parameters than this (long IN lists, bulk inserts) are never named: they rarely repeat. */
const MAX_NAMED_PARAMETERS = 32;

/**
 * pg's clients with two changes: connection faults become the `unavailable` error (see above), and
 * statements are prepared once per connection by name (pg's `{ name, text, values }`), which spares
 * the server parsing and planning every query again and pg building its Parse message. The name is a
 * hash of the text, so it is stable per text; each connection names at most
 * PREPARED_STATEMENTS_PER_CONNECTION texts.
 *
 * A prepared `select *` fixes its columns; once another node's migration changes the table, PostgreSQL
 * refuses it ("cached plan must not change result type", 0A000). The connection then forgets its names
 * (new ones are derived with a new generation) and is discarded when released; outside a transaction
 * the statement runs again at once under its new name, inside one the error is a transaction conflict
 * (isTransactionConflict), so inTransaction runs the transaction again.
 */
function faultMappingClient(client: pg.PoolClient, onStatement?: (sql: string) => void): PostgresPoolClient {
  const mapFault = (error: unknown) => {
    throw isConnectionFault(error) ? databaseUnavailable(error) : error;
  };
  const named = new Map<string, string>();
  let generation = 0;
  let inTransaction = false;
  let stale = false;
  const nameOf = (text: string, parameters: number): string | undefined => {
    let name = named.get(text);
    if (name === undefined && named.size < PREPARED_STATEMENTS_PER_CONNECTION && parameters <= MAX_NAMED_PARAMETERS) {
      name = `tessera_${generation}_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
      named.set(text, name);
    }
    return name;
  };
  const send = <R>(text: string, values: unknown[]): Promise<PostgresQueryResult<R>> => {
    const name = nameOf(text, values.length);
    const config = name === undefined ? { text, values } : { name, text, values };
    return client.query(config) as unknown as Promise<PostgresQueryResult<R>>;
  };
  const run = async <R>(text: string, values: unknown[]): Promise<PostgresQueryResult<R>> => {
    const autocommit = !inTransaction;
    trackTransaction(text);
    try {
      return await send<R>(text, values);
    } catch (error) {
      if (!isStalePreparedStatement(error)) throw error;
      stale = true;
      named.clear();
      generation++;
      if (!autocommit) throw error;
      return send<R>(text, values);
    }
  };
  const trackTransaction = (text: string) => {
    const head = text.trimStart().slice(0, 20).toLowerCase();
    if (head.startsWith('begin') || head.startsWith('start transaction')) inTransaction = true;
    else if (head.startsWith('commit') || head.startsWith('end') || (head.startsWith('rollback') && !/^rollback\s+to\b/.test(head))) inTransaction = false;
  };
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') {
      onStatement?.((sqlOrCursor as { text?: string }).text ?? '');
      return client.query(sqlOrCursor as never) as PostgresCursor<R>;
    }
    onStatement?.(sqlOrCursor);
    try {
      return run<R>(sqlOrCursor, (parameters ?? []) as unknown[]).catch(mapFault);
    } catch (error) {
      return Promise.reject(error).catch(mapFault);
    }
  }
  return {
    get processID() {
      return (client as unknown as { processID?: number }).processID;
    },
    query,
    release: (destroy?: boolean) => {
      inTransaction = false;
      client.release(destroy || stale);
    },
  };
}
