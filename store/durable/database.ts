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

/** At most this many statement texts are prepared per connection; further ones run unnamed. */
export const MAX_PREPARED_STATEMENTS = 500;

/**
 * Names for the statements that carry parameters, so pg prepares each once per connection (Parse,
 * analysis and planning on the server happen once; later runs send only Bind and Execute).
 * Measured with bench:telegram on this 2-core machine: PostgreSQL's own CPU per turn 4.7 → 2.6 ms for
 * the same 11 statements, CPU the service shares its cores with. pg's `name` is the library's way
 * (https://node-postgres.com/features/queries#prepared-statements); this only picks the names.
 *
 * Bounded: the texts are the repositories' own (a few hundred at most, some assembled from fixed
 * column lists), and past MAX_PREPARED_STATEMENTS a text runs unnamed. A text whose prepared plan
 * PostgreSQL refuses after a schema change ("cached plan must not change result type": another
 * instance migrated the database while this one ran) runs unnamed from then on.
 */
export class StatementNames {
  private readonly names = new Map<string, string | null>();

  constructor(private readonly limit = MAX_PREPARED_STATEMENTS) {}

  /** What to hand pg: a named query config for a statement with parameters (while names last), else an unnamed one. */
  config(sql: string, params: unknown[] | undefined): pg.QueryConfig {
    if (params === undefined) return { text: sql };
    let name = this.names.get(sql);
    if (name === undefined) {
      name = this.names.size < this.limit ? `sb_${this.names.size + 1}` : null;
      this.names.set(sql, name);
    }
    return name === null ? { text: sql, values: params } : { name, text: sql, values: params };
  }

  /** After PostgreSQL refused the prepared plan of `sql`: true when it was named (worth one unnamed retry). */
  unprepare(sql: string, error: unknown): boolean {
    const stale = (error as { code?: string } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));
    if (!stale || !this.names.get(sql)) return false;
    this.names.set(sql, null);
    return true;
  }
}

export class PgDatabase implements Database {
  /** With a limit of 0 every statement runs unnamed (DATABASE_PREPARED_STATEMENTS=false, e.g. behind a transaction-mode pooler). */
  private readonly statements: StatementNames;

  constructor(
    readonly kind: Database['kind'],
    readonly description: string,
    readonly pool: pg.Pool,
    private readonly onClose: () => Promise<void> = async () => {},
    options: { preparedStatements?: boolean } = {},
  ) {
    this.statements = new StatementNames(options.preparedStatements === false ? 0 : MAX_PREPARED_STATEMENTS);
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
      return await this.pool.query<R>(this.statements.config(sql, params));
    } catch (error) {
      // Outside a transaction the statement can simply run again, unnamed.
      if (this.statements.unprepare(sql, error)) return this.query<R>(sql, params);
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
          return await client.query<R>(this.statements.config(sql, params));
        } catch (error) {
          // Inside a transaction the refusal aborted it: the next attempt runs the statement unnamed.
          this.statements.unprepare(sql, error);
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
