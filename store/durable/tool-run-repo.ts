import type { Clock } from '../../core/clock.js';
import type { Database, Queryable } from './database.js';
import { GroupCommit } from './group-commit.js';

export interface ToolRun {
  idempotencyKey: string;
  action: string;
  status: 'running' | 'succeeded' | 'failed';
  result: Record<string, unknown> | null;
  error: string | null;
  startedAt: number;
}

interface Row {
  idempotency_key: string;
  action: string;
  status: ToolRun['status'];
  result: Record<string, unknown> | null;
  error: string | null;
  started_at: Date;
}

const toRun = (r: Row): ToolRun => ({
  idempotencyKey: r.idempotency_key,
  action: r.action,
  status: r.status,
  result: r.result,
  error: r.error,
  startedAt: r.started_at.getTime(),
});

/** Idempotency records of tool executions. */
export class ToolRunRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Claims the key. `created: false` means another execution with this key exists: use its outcome. */
  async begin(input: {
    idempotencyKey: string;
    action: string;
    params: Record<string, unknown>;
    actorId: string | null;
    conversationId: string | null;
    confirmationId: string | null;
  }, q: Queryable = this.db): Promise<{ created: boolean; run: ToolRun }> {
    const inserted = await q.query<Row>(
      `INSERT INTO tool_runs (idempotency_key, action, params, actor_id, conversation_id, confirmation_id, status, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      [input.idempotencyKey, input.action, input.params, input.actorId, input.conversationId, input.confirmationId, new Date(this.clock.now())],
    );
    if (inserted.rows[0]) return { created: true, run: toRun(inserted.rows[0]) };
    const { rows } = await q.query<Row>('SELECT * FROM tool_runs WHERE idempotency_key = $1', [input.idempotencyKey]);
    return { created: false, run: toRun(rows[0]!) };
  }

  async find(idempotencyKey: string): Promise<ToolRun | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM tool_runs WHERE idempotency_key = $1', [idempotencyKey]);
    return rows[0] && toRun(rows[0]);
  }

  /**
   * Records the outcome of a run that succeeded. Group-committed: outcomes recorded while one is being
   * written go together in one statement (a safe action's turn wrote one of its own before).
   */
  succeed(idempotencyKey: string, result: Record<string, unknown>): Promise<void> {
    return this.successes.add({ idempotencyKey, result });
  }

  private readonly successes = new GroupCommit<{ idempotencyKey: string; result: Record<string, unknown> }>(async (runs) => {
    await this.db.query(
      `UPDATE tool_runs t SET status = 'succeeded', result = v.result, finished_at = $3
       FROM unnest($1::text[], $2::jsonb[]) AS v(idempotency_key, result) WHERE t.idempotency_key = v.idempotency_key`,
      [runs.map((run) => run.idempotencyKey), runs.map((run) => JSON.stringify(run.result)), new Date(this.clock.now())],
    );
    return runs.map(() => undefined);
  });

  async fail(idempotencyKey: string, error: string): Promise<void> {
    await this.db.query(`UPDATE tool_runs SET status = 'failed', error = $2, finished_at = $3 WHERE idempotency_key = $1`, [
      idempotencyKey,
      error,
      new Date(this.clock.now()),
    ]);
  }

  async countFor(action: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tool_runs WHERE action = $1 AND status = 'succeeded'`, [action]);
    return rows[0]?.n ?? 0;
  }
}
