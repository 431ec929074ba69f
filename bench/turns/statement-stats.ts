import pg from 'pg';

/** The server settings the benchmark's private PostgreSQL starts with, so it can count statements. */
export const STATEMENT_STATS_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  // Top-level statements only: what a client sends, not what functions run inside them.
  'pg_stat_statements.track': 'top',
  'pg_stat_statements.track_utility': 'on',
  // Planning time too: a statement the server plans again on every call shows it here, not in its execution time.
  'pg_stat_statements.track_planning': 'on',
};

/** The role the benchmark reads the counts (and probes the store) with, so its own queries are not counted. */
const OBSERVER = 'bench_observer';

export interface StatementCounts {
  /** Statements the service ran, BEGIN / COMMIT / ROLLBACK left out. */
  statements: number;
  /** Transactions it opened (BEGIN / START TRANSACTION). */
  transactions: number;
  /** Statement texts (first 80 characters, as PostgreSQL normalised them) by count. */
  byText: Map<string, number>;
  /** Server time (ms) by the same text: planning (total_plan_time) and execution (total_exec_time). */
  planMsByText: Map<string, number>;
  execMsByText: Map<string, number>;
}

/**
 * What the service asked PostgreSQL, counted by the server itself (pg_stat_statements, in the
 * benchmark's private server started with STATEMENT_STATS_SETTINGS), so nothing stands between the
 * service and its database: a counting proxy in the benchmark's process added a hop and its own CPU to
 * every statement of the measured path, which the bare bot does not pay. The benchmark's own queries
 * (these counts, the store probes of bench:scale) run as another role and are left out.
 */
export class StatementStats {
  private readonly observer: pg.Pool;

  private constructor(readonly observerUrl: string) {
    this.observer = new pg.Pool({ connectionString: observerUrl, max: 1 });
    // pg-pool's end() resolves once the client was asked to end, not once its connection closed; the
    // server is stopped right after close(), and its "terminating connection due to administrator command"
    // could then reach the idle client and, unheard, crash the benchmark before it printed its JSON
    // (1 run in 5 here). A query that fails still rejects where it was awaited.
    this.observer.on('error', () => undefined);
  }

  /** Installs the extension in the database of `url` (a superuser's) and creates the observer role. */
  static async install(url: string): Promise<StatementStats> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await admin.query(`DO $$ BEGIN CREATE ROLE ${OBSERVER} LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    } finally {
      await admin.end();
    }
    const observerUrl = new URL(url);
    observerUrl.username = OBSERVER;
    return new StatementStats(observerUrl.toString());
  }

  async reset(): Promise<void> {
    await this.observer.query('SELECT pg_stat_statements_reset()');
  }

  async counts(): Promise<StatementCounts> {
    const { rows } = await this.observer.query<{ query: string; calls: string; total_exec_time: number; total_plan_time: number }>(
      `SELECT s.query, s.calls, s.total_exec_time, s.total_plan_time FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname <> $1`,
      [OBSERVER],
    );
    const counts: StatementCounts = { statements: 0, transactions: 0, byText: new Map(), planMsByText: new Map(), execMsByText: new Map() };
    for (const row of rows) {
      const calls = Number(row.calls);
      const head = row.query.trim().replace(/\s+/g, ' ');
      const keyword = head.slice(0, 20).toUpperCase();
      if (keyword.startsWith('BEGIN') || keyword.startsWith('START TRANSACTION')) counts.transactions += calls;
      else if (!keyword.startsWith('COMMIT') && !keyword.startsWith('ROLLBACK')) {
        counts.statements += calls;
        const key = head.slice(0, 80);
        counts.byText.set(key, (counts.byText.get(key) ?? 0) + calls);
        counts.planMsByText.set(key, (counts.planMsByText.get(key) ?? 0) + Number(row.total_plan_time));
        counts.execMsByText.set(key, (counts.execMsByText.get(key) ?? 0) + Number(row.total_exec_time));
      }
    }
    return counts;
  }

  async close(): Promise<void> {
    await this.observer.end();
  }
}
