import { StoreError } from '../../core/index.js';

/** Socket-level errors: the server is not there, went away, or the network between is broken. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * SQLSTATEs that say "the server cannot serve you now", not "your SQL is wrong": class 08 (connection
 * exception), 57P01 admin_shutdown (a restart), 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (starting up / shutting down / in recovery), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What pg and pg-pool say (as plain Errors without a code) when a connection dies or a wait runs out. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i, // "… unexpectedly", "… due to connection timeout"
  /timeout exceeded when trying to connect/i, // pg-pool: no connection within connectionTimeoutMillis
  /Query read timeout/i, // pg: query_timeout
  /canceling statement due to statement timeout/i, // PostgreSQL: statement_timeout (57014)
  /not queryable/i, // "Client has encountered a connection error and is not queryable"
  /Cannot use a pool after calling end/i, // the service is stopping
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /terminating connection due to administrator command/i,
];

/**
 * True when `error` (or its cause) means the PostgreSQL server (or the embedded one) cannot be used
 * right now: gone, restarting, or too slow. SQL errors (constraint violations, syntax) are not.
 */
export function isPostgresUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || !error || typeof error !== 'object') return false;
  if (error instanceof StoreError) return true;
  const { code, message, errors, cause } = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (code === '57014' && typeof message === 'string' && /statement timeout/i.test(message)) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Node reports a refused connection to both ::1 and 127.0.0.1 as one AggregateError.
  if (Array.isArray(errors) && errors.some((inner) => isPostgresUnavailable(inner, depth + 1))) return true;
  return isPostgresUnavailable(cause, depth + 1);
}

/** The client-facing sentence: no host names, no driver text (those stay in `cause` for the log). */
export const DURABLE_UNAVAILABLE_MESSAGE = 'The service cannot reach its database right now. Try again in a few seconds.';

/** A connection-class failure of the durable store as a StoreError (503); any other error unchanged. */
export function toDurableStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  return isPostgresUnavailable(error) ? new StoreError(DURABLE_UNAVAILABLE_MESSAGE, { cause: error, store: 'durable' }) : error;
}
