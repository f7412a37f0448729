import { AppError } from '../kernel/errors.ts';

/**
 * Which driver errors are faults of the database *connection* rather than of the statement, and
 * which ones mean "run the same transaction again". The storage layer turns the first into the
 * `unavailable` AppError (every surface answers 503) and retries the second, so nothing above
 * `storage/` ever inspects a driver's error codes for these.
 */

/** The error every surface renders as "try again later": the database cannot be reached right now. */
export function databaseUnavailable(cause: unknown): AppError {
  // The driver's error stays in `cause` for the logs; its text (host names, codes) never reaches a client.
  return new AppError('unavailable', 'storage.unavailable', 'The service is temporarily unavailable. Try again shortly.', { cause });
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLITE_BUSY and its extended codes (_SNAPSHOT, _RECOVERY, _TIMEOUT): another connection holds the lock. */
export function isSqliteBusy(error: unknown): boolean {
  return codeOf(error)?.startsWith('SQLITE_BUSY') ?? false;
}

/** PostgreSQL's serialization failure and deadlock: the transaction was rolled back and may simply run again. */
const POSTGRES_RETRY_CODES = new Set(['40001', '40P01']);

/** A transaction that failed only because a concurrent writer got in the way; running it again is safe. */
export function isTransactionConflict(error: unknown): boolean {
  return isSqliteBusy(error) || POSTGRES_RETRY_CODES.has(codeOf(error) ?? '') || isStalePreparedStatement(error);
}

/**
 * PostgreSQL refusing a prepared statement whose table another session has changed since ("cached
 * plan must not change result type"); postgres-pool.ts then prepares it again, so running the
 * statement (or its transaction) again is safe.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  return codeOf(error) === '0A000' && /cached plan must not change result type/.test(String((error as { message?: unknown }).message));
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * PostgreSQL SQLSTATEs of a server that ended or refuses the session: 57P01 admin_shutdown (what
 * pg_terminate_backend sends), 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300
 * too_many_connections; class 08 is "connection exception".
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** pg's own errors when the socket is gone, a client is unusable, or no pooled connection came in time. */
const CLIENT_MESSAGES = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Query read timeout)/;

/** True for errors that say the PostgreSQL connection is lost or cannot be made, whatever the statement. */
export function isConnectionFault(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = codeOf(error);
  if (code && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && CLIENT_MESSAGES.test(message)) return true;
  // a host name with several addresses fails with an AggregateError of socket errors
  return error instanceof AggregateError && error.errors.some(isConnectionFault);
}
