import pg from 'pg';
import { PgDatabase, describePostgresUrl, type Database } from './database.js';

export interface OpenPostgresOptions {
  url: string;
  poolSize?: number;
  /** Longest wait for a connection (a new one, or a free one from the pool). Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * Longest wait for one statement: the server cancels it (statement_timeout) and the client gives up
   * a little later if the server does not answer at all (a hung or unreachable server). Default 10 s;
   * 0 for none (migrations).
   */
  statementTimeoutMs?: number;
  /** Prepare statements with parameters once per connection (database.ts StatementNames). Default true. */
  preparedStatements?: boolean;
}

/**
 * Connects to a PostgreSQL server. Fails fast if it cannot be reached at start; after that, every wait
 * is bounded (a hung server gives StoreError in seconds) and the pool opens new connections by itself
 * when the server comes back.
 */
export async function openPostgres(options: OpenPostgresOptions): Promise<Database> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    ...(statementTimeoutMs > 0
      ? {
          statement_timeout: statementTimeoutMs,
          // Client-side: a server that stopped answering (SIGSTOP, a dropped network) sends no cancel.
          query_timeout: statementTimeoutMs + 2_000,
        }
      : {}),
    // Notice a dead peer on idle connections instead of finding out on the next query.
    keepAlive: true,
  });
  const db = new PgDatabase('postgres', describePostgresUrl(options.url), pool, undefined, { preparedStatements: options.preparedStatements });
  try {
    await db.ping();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return db;
}
