import pg from 'pg';
import { PgDatabase, describePostgresUrl, type Database } from './database.js';

export interface OpenPostgresOptions {
  url: string;
  poolSize?: number;
}

/** Connects to a PostgreSQL server. Fails fast if it cannot be reached. */
export async function openPostgres(options: OpenPostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new PgDatabase('postgres', describePostgresUrl(options.url), pool);
  try {
    await db.ping();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return db;
}
