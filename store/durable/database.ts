import pg from 'pg';

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
  /** The pool itself, for libraries that want one (the LangGraph checkpointer). */
  readonly pool: pg.Pool;
  /**
   * Runs `work` in one transaction on one connection. Keep it short: on the embedded database,
   * transactions from all connections are serialised.
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
  ) {}

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(sql, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
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
