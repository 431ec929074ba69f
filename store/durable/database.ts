import pg from 'pg';
import { isPostgresUnavailable, toDurableStoreError } from './pg-failures.js';

/** Anything that runs SQL: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * The durable store as every repository sees it: PostgreSQL through `pg`, whether the server is
 * a real PostgreSQL or the embedded PGlite behind pglite-socket. The same SQL runs on both.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /** A human description for the start-up log, without credentials. */
  readonly description: string;
  /**
   * The pool itself, for libraries that want one (the LangGraph checkpointer). Its errors are pg's own:
   * callers map them with `toStoreError` (store/store-failures.ts).
   */
  readonly pool: pg.Pool;
  /**
   * Runs `work` in one transaction on one connection. Keep it short: on the embedded database there
   * is ONE connection, so `work` must use `tx` only: a `db.query` inside it would wait for ever.
   * Connection-class failures (of `query`, `transaction` and `tx.query`) are thrown as StoreError (503).
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class PgDatabase implements Database {
  constructor(
    readonly kind: Database['kind'],
    readonly description: string,
    readonly pool: pg.Pool,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    // An idle client whose server goes away errors on the pool: the pool drops it and opens a new one
    // on the next checkout, so recovery needs nothing more than this listener.
    pool.on('error', () => {});
    // A checked-out client (in a transaction, or held by the LangGraph checkpointer) has no pool
    // listener: pg would emit `error` with nobody listening and the process would exit on every
    // PostgreSQL restart. The query in flight is rejected anyway ("Connection terminated
    // unexpectedly"), and that rejection is what callers see (as a StoreError).
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw toDurableStoreError(error);
    }
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toDurableStoreError(error);
    }
    // A connection that failed mid-transaction must not go back to the pool.
    let broken = false;
    const tx: Queryable = {
      query: async <R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) => {
        try {
          return await client.query<R>(sql, params);
        } catch (error) {
          if (isPostgresUnavailable(error)) broken = true;
          throw toDurableStoreError(error);
        }
      },
    };
    try {
      await tx.query('BEGIN');
      const result = await work(tx);
      await tx.query('COMMIT');
      return result;
    } catch (error) {
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      throw toDurableStoreError(error);
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.onClose();
  }
}

/** pg returns int8 as a string by default; our int8 columns (sequence numbers) fit in a JS number. */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function describePostgresUrl(url: string): string {
  const u = new URL(url);
  return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${u.pathname}`;
}
