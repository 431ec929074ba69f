import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { Database, Queryable } from './database.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export interface JobStep {
  name: string;
  startedAt: number;
  endedAt?: number;
}

export interface JobError {
  /** Stable: the handler's error code, or `job_failed`, `lease_expired`, `interrupted`, `lock_broken`, `no_handler`. */
  code: string;
  message: string;
  /** The step that was running when it failed. */
  step?: string;
}

/** One build, deploy or rollback as the store keeps it (tools/jobs runs them). */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  params: unknown;
  result?: unknown;
  error?: JobError;
  /** The person who asked (a person id), or `cli`/`system`. */
  requestedBy: string;
  requesterName?: string;
  conversationId?: string;
  idempotencyKey: string;
  lockKey?: string;
  lockLabel?: string;
  steps: JobStep[];
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  workerId?: string;
  cancelRequestedAt?: number;
  cancelRequestedBy?: string;
  /** How many log lines were written (the store keeps the last ones only). */
  logLines: number;
}

/** Who holds a lock (a job that is queued or running), in words a reply can use. */
export interface LockHolder {
  lockKey: string;
  jobId: string;
  kind: string;
  status: JobStatus;
  requestedBy: string;
  requesterName?: string;
  /** When the holder took the lock (ms). */
  since: number;
  /** What it is doing, e.g. "deploying abc123". */
  label?: string;
}

export interface NewJob {
  kind: string;
  params: unknown;
  requestedBy: string;
  conversationId?: string;
  idempotencyKey: string;
  lockKey?: string;
  lockLabel?: string;
  /** When the lock is held: wait behind the holder instead of being refused. */
  queueBehind?: boolean;
}

export type CreateJobOutcome =
  | { job: JobRecord; created: boolean; dispatch: boolean; expired: Transition[] }
  | { refused: 'locked'; holder: LockHolder; expired: Transition[] };

export interface JobFilter {
  status?: JobStatus | JobStatus[];
  kind?: string;
  requestedBy?: string;
  conversationId?: string;
  lockKey?: string;
  limit?: number;
}

/** A change of state that released a lock, and the waiting job that now holds it (to dispatch). */
export interface Transition {
  job: JobRecord;
  granted?: string;
}

interface Row {
  id: string;
  kind: string;
  status: JobStatus;
  params: unknown;
  result: unknown;
  error: JobError | null;
  requested_by: string;
  requester_name: string | null;
  conversation_id: string | null;
  idempotency_key: string;
  lock_key: string | null;
  lock_label: string | null;
  steps: JobStep[];
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  worker_id: string | null;
  cancel_requested_at: Date | null;
  cancel_requested_by: string | null;
  log_lines: number;
}

const toJob = (r: Row): JobRecord => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  params: r.params,
  ...(r.result !== null && r.result !== undefined ? { result: r.result } : {}),
  ...(r.error ? { error: r.error } : {}),
  requestedBy: r.requested_by,
  ...(r.requester_name ? { requesterName: r.requester_name } : {}),
  ...(r.conversation_id ? { conversationId: r.conversation_id } : {}),
  idempotencyKey: r.idempotency_key,
  ...(r.lock_key ? { lockKey: r.lock_key } : {}),
  ...(r.lock_label ? { lockLabel: r.lock_label } : {}),
  steps: r.steps ?? [],
  createdAt: r.created_at.getTime(),
  ...(r.started_at ? { startedAt: r.started_at.getTime() } : {}),
  ...(r.ended_at ? { endedAt: r.ended_at.getTime() } : {}),
  ...(r.worker_id ? { workerId: r.worker_id } : {}),
  ...(r.cancel_requested_at ? { cancelRequestedAt: r.cancel_requested_at.getTime() } : {}),
  ...(r.cancel_requested_by ? { cancelRequestedBy: r.cancel_requested_by } : {}),
  logLines: r.log_lines,
});

// requested_by is text (a person id, or `cli`), so the join compares as text.
const SELECT = `SELECT j.*, p.display_name AS requester_name FROM jobs j LEFT JOIN people p ON p.id::text = j.requested_by`;

interface HolderRow {
  lock_key: string;
  job_id: string;
  requested_by: string;
  label: string | null;
  since: Date;
  kind: string;
  status: JobStatus;
  lease_until: Date | null;
  requester_name: string | null;
}

const toHolder = (r: HolderRow): LockHolder => ({
  lockKey: r.lock_key,
  jobId: r.job_id,
  kind: r.kind,
  status: r.status,
  requestedBy: r.requested_by,
  ...(r.requester_name ? { requesterName: r.requester_name } : {}),
  since: r.since.getTime(),
  ...(r.label ? { label: r.label } : {}),
});

const HOLDER = `SELECT l.lock_key, l.job_id, l.requested_by, l.label, l.since, j.kind, j.status, j.lease_until, p.display_name AS requester_name
  FROM job_locks l JOIN jobs j ON j.id = l.job_id LEFT JOIN people p ON p.id::text = l.requested_by`;

/** Longest line kept in the job log; longer ones are cut (a minified bundle printed by a build). */
const MAX_LINE_CHARS = 2_000;

/**
 * Job records, their locks and their logs (tools/jobs). Every change of state is one conditional
 * UPDATE (`WHERE status = …`), so two workers, a sweeper and a cancel racing on one job cannot both win.
 * Locks live beside the jobs: a lock is alive while its job is queued, or running with a lease that has
 * not run out; a dead holder's lock passes to the next job waiting for it in the same transaction.
 */
export class JobRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  // --- creating ---

  async create(input: NewJob): Promise<CreateJobOutcome> {
    const now = new Date(this.clock.now());
    return this.db.transaction(async (tx) => {
      const existing = await this.findByKey(tx, input.idempotencyKey);
      if (existing) return { job: existing, created: false, dispatch: false, expired: [] };
      const expired: Transition[] = [];
      if (input.lockKey) {
        const dead = await this.expireDeadLock(tx, input.lockKey, now);
        if (dead) expired.push(dead);
      }
      const id = randomUUID();
      const inserted = await tx.query(
        `INSERT INTO jobs (id, kind, status, params, requested_by, conversation_id, idempotency_key, lock_key, lock_label, steps, created_at)
         VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, '[]', $9) ON CONFLICT (idempotency_key) DO NOTHING`,
        [id, input.kind, JSON.stringify(input.params ?? null), input.requestedBy, input.conversationId ?? null, input.idempotencyKey, input.lockKey ?? null, input.lockLabel ?? null, now],
      );
      if (!inserted.rowCount) {
        // Another request with the same key committed first.
        return { job: (await this.findByKey(tx, input.idempotencyKey))!, created: false, dispatch: false, expired };
      }
      let dispatch = true;
      if (input.lockKey) {
        const locked = await tx.query(
          `INSERT INTO job_locks (lock_key, job_id, requested_by, label, since) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (lock_key) DO NOTHING`,
          [input.lockKey, id, input.requestedBy, input.lockLabel ?? null, now],
        );
        if (!locked.rowCount) {
          const holder = await this.holderIn(tx, input.lockKey);
          if (!input.queueBehind && holder) {
            await tx.query(`DELETE FROM jobs WHERE id = $1`, [id]);
            return { refused: 'locked' as const, holder, expired };
          }
          // Waits (queued, without the lock) until the holder finishes and the lock passes to it.
          dispatch = false;
        }
      }
      return { job: (await this.byId(tx, id))!, created: true, dispatch, expired };
    });
  }

  // --- reading ---

  async get(id: string): Promise<JobRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return this.byId(this.db, id);
  }

  /** A job by the start of its id (the first 8 characters are what `runs list` shows). */
  async findByPrefix(prefix: string): Promise<JobRecord[]> {
    if (!/^[0-9a-f-]{4,36}$/i.test(prefix)) return [];
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE j.id::text LIKE $1 ORDER BY j.created_at DESC LIMIT 2`, [`${prefix.toLowerCase()}%`]);
    return rows.map(toJob);
  }

  async list(filter: JobFilter = {}): Promise<JobRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`j.status = ANY($${params.push(Array.isArray(filter.status) ? filter.status : [filter.status])})`);
    if (filter.kind) where.push(`j.kind = $${params.push(filter.kind)}`);
    if (filter.requestedBy) where.push(`j.requested_by = $${params.push(filter.requestedBy)}`);
    if (filter.conversationId) where.push(`j.conversation_id = $${params.push(filter.conversationId)}`);
    if (filter.lockKey) where.push(`j.lock_key = $${params.push(filter.lockKey)}`);
    const { rows } = await this.db.query<Row>(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.created_at DESC, j.id LIMIT $${params.push(filter.limit ?? 50)}`,
      params,
    );
    return rows.map(toJob);
  }

  /** The live holder of a lock, if any (a dead one is not a holder). */
  async lockHolder(lockKey: string): Promise<LockHolder | undefined> {
    const { rows } = await this.db.query<HolderRow>(`${HOLDER} WHERE l.lock_key = $1`, [lockKey]);
    const row = rows[0];
    return row && isAlive(row, this.clock.now()) ? toHolder(row) : undefined;
  }

  /** The last `tail` log lines of a job, oldest first. */
  async logs(id: string, tail = 200): Promise<string[]> {
    if (!isUuid(id)) return [];
    const { rows } = await this.db.query<{ line: string }>(
      `SELECT line FROM (SELECT n, line FROM job_logs WHERE job_id = $1 ORDER BY n DESC LIMIT $2) t ORDER BY n`,
      [id, tail],
    );
    return rows.map((r) => r.line);
  }

  /** Queued jobs that may start now (no lock, or holding theirs), oldest first. */
  async dispatchable(limit = 100): Promise<JobRecord[]> {
    const { rows } = await this.db.query<Row>(
      `${SELECT} WHERE j.status = 'queued' AND (j.lock_key IS NULL OR EXISTS (SELECT 1 FROM job_locks l WHERE l.lock_key = j.lock_key AND l.job_id = j.id))
       ORDER BY j.created_at LIMIT $1`,
      [limit],
    );
    return rows.map(toJob);
  }

  /** Running jobs (for the start-up check of jobs a previous life of this process left behind). */
  async running(): Promise<JobRecord[]> {
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE j.status = 'running' ORDER BY j.created_at`);
    return rows.map(toJob);
  }

  // --- running ---

  /** queued → running for this worker; undefined when the job is not queued or waits for its lock. */
  async claim(id: string, workerId: string, leaseMs: number): Promise<JobRecord | undefined> {
    const now = this.clock.now();
    const { rowCount } = await this.db.query(
      `UPDATE jobs SET status = 'running', worker_id = $2, started_at = $3, lease_until = $4
       WHERE id = $1 AND status = 'queued'
         AND (lock_key IS NULL OR EXISTS (SELECT 1 FROM job_locks l WHERE l.lock_key = jobs.lock_key AND l.job_id = jobs.id))`,
      [id, workerId, new Date(now), new Date(now + leaseMs)],
    );
    return rowCount ? this.get(id) : undefined;
  }

  /**
   * Extends the lease of a job this worker runs. `held: false` means the job is no longer this worker's
   * (its lease ran out and it was marked failed, or an admin broke its lock): the handler must stop.
   */
  async heartbeat(id: string, workerId: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }> {
    const { rows } = await this.db.query<{ cancel_requested_at: Date | null }>(
      `UPDATE jobs SET lease_until = $3 WHERE id = $1 AND status = 'running' AND worker_id = $2 RETURNING cancel_requested_at`,
      [id, workerId, new Date(this.clock.now() + leaseMs)],
    );
    return { held: rows.length > 0, cancelRequested: Boolean(rows[0]?.cancel_requested_at) };
  }

  async saveSteps(id: string, workerId: string, steps: JobStep[]): Promise<void> {
    await this.db.query(`UPDATE jobs SET steps = $3 WHERE id = $1 AND status = 'running' AND worker_id = $2`, [id, workerId, JSON.stringify(steps)]);
  }

  /** Appends log lines numbered from the job's count, keeping the last `keep` lines. */
  async appendLogs(id: string, lines: string[], keep: number): Promise<void> {
    if (!lines.length) return;
    const at = new Date(this.clock.now());
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ log_lines: number }>(
        `UPDATE jobs SET log_lines = log_lines + $2 WHERE id = $1 RETURNING log_lines`,
        [id, lines.length],
      );
      if (!rows[0]) return;
      const first = rows[0].log_lines - lines.length + 1;
      await tx.query(
        `INSERT INTO job_logs (job_id, n, at, line) SELECT $1, $2 + i - 1, $3, line FROM unnest($4::text[]) WITH ORDINALITY AS t(line, i)`,
        [id, first, at, lines.map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l))],
      );
      await tx.query(`DELETE FROM job_logs WHERE job_id = $1 AND n <= $2`, [id, rows[0].log_lines - keep]);
    });
  }

  /**
   * running → `status` for the worker that runs it. A job whose handler failed after a cancel was asked
   * for ends `cancelled` (the abort is why it failed); one that succeeded anyway ends `succeeded`.
   */
  async finish(
    id: string,
    workerId: string,
    outcome: { status: 'succeeded' | 'failed' | 'interrupted'; result?: unknown; error?: JobError; steps: JobStep[] },
  ): Promise<Transition | undefined> {
    const now = new Date(this.clock.now());
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE jobs SET status = CASE WHEN $3 <> 'succeeded' AND cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE $3 END,
           result = $4, error = CASE WHEN $3 <> 'succeeded' AND cancel_requested_at IS NOT NULL THEN NULL ELSE $5::jsonb END,
           steps = $6, ended_at = $7, lease_until = NULL
         WHERE id = $1 AND status = 'running' AND worker_id = $2`,
        [id, workerId, outcome.status, outcome.result === undefined ? null : JSON.stringify(outcome.result), outcome.error ? JSON.stringify(outcome.error) : null, JSON.stringify(outcome.steps), now],
      );
      if (!rowCount) return undefined;
      return this.afterEnd(tx, id, now);
    });
  }

  /**
   * Asks a job to stop. A queued job ends `cancelled` here and now; a running one is flagged (its
   * worker sees the flag, aborts the handler, and ends it `cancelled`); a finished one is left alone.
   */
  async requestCancel(id: string, by: string): Promise<(Transition & { effect: 'cancelled' | 'requested' | 'none' }) | undefined> {
    const now = new Date(this.clock.now());
    return this.db.transaction(async (tx) => {
      const job = await this.byId(tx, id);
      if (!job) return undefined;
      if (job.status === 'queued') {
        await tx.query(
          `UPDATE jobs SET status = 'cancelled', cancel_requested_at = $2, cancel_requested_by = $3, ended_at = $2 WHERE id = $1 AND status = 'queued'`,
          [id, now, by],
        );
        return { ...(await this.afterEnd(tx, id, now)), effect: 'cancelled' as const };
      }
      if (job.status === 'running') {
        if (!job.cancelRequestedAt) {
          await tx.query(`UPDATE jobs SET cancel_requested_at = $2, cancel_requested_by = $3 WHERE id = $1 AND status = 'running'`, [id, now, by]);
        }
        return { job: (await this.byId(tx, id))!, effect: 'requested' as const };
      }
      return { job, effect: 'none' as const };
    });
  }

  /**
   * running → interrupted (the process running it stopped), only if `workerId` still runs it.
   * Nothing is re-run: a deploy that was half done must be looked at, not repeated blindly.
   */
  async interrupt(id: string, workerId: string, message: string): Promise<Transition | undefined> {
    return this.endRunning(id, `worker_id = $4`, [workerId], 'interrupted', { code: 'interrupted', message });
  }

  /** Running jobs whose lease ran out: their worker died or hung. Each is marked failed and its lock passes on. */
  async expireLeases(): Promise<Transition[]> {
    const now = this.clock.now();
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM jobs WHERE status = 'running' AND lease_until < $1`, [new Date(now)]);
    const done: Transition[] = [];
    for (const { id } of rows) {
      const ended = await this.endRunning(id, `lease_until < $4`, [new Date(now)], 'failed', {
        code: 'lease_expired',
        message: 'the worker running it stopped answering, so its lock expired; it was not run again',
      });
      if (ended) done.push(ended);
    }
    return done;
  }

  /**
   * Removes a lock whatever its state (an admin's decision). Its holder, queued or running, ends
   * failed with `lock_broken`; the lock passes to the next waiting job.
   */
  async breakLock(lockKey: string, by: string): Promise<{ holder: LockHolder; transition?: Transition } | undefined> {
    const now = new Date(this.clock.now());
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<HolderRow>(`${HOLDER} WHERE l.lock_key = $1 FOR UPDATE OF l`, [lockKey]);
      const row = rows[0];
      if (!row) return undefined;
      const holder = toHolder(row);
      const error: JobError = { code: 'lock_broken', message: `the lock ${lockKey} was broken by ${by}` };
      const { rowCount } = await tx.query(
        `UPDATE jobs SET status = 'failed', error = $2, ended_at = $3, lease_until = NULL,
           cancel_requested_at = COALESCE(cancel_requested_at, $3), cancel_requested_by = COALESCE(cancel_requested_by, $4)
         WHERE id = $1 AND status IN ('queued', 'running')`,
        [row.job_id, JSON.stringify(error), now, by],
      );
      if (!rowCount) {
        await tx.query(`DELETE FROM job_locks WHERE lock_key = $1 AND job_id = $2`, [lockKey, row.job_id]);
        const granted = await this.grantNext(tx, lockKey, now);
        return { holder, ...(granted ? { transition: { job: (await this.byId(tx, row.job_id))!, granted } } : {}) };
      }
      return { holder, transition: await this.afterEnd(tx, row.job_id, now) };
    });
  }

  // --- internals ---

  private async endRunning(id: string, condition: string, extra: unknown[], status: JobStatus, error: JobError): Promise<Transition | undefined> {
    const now = new Date(this.clock.now());
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE jobs SET status = $2, error = $3, ended_at = $1, lease_until = NULL WHERE id = $5 AND status = 'running' AND ${condition}`,
        [now, status, JSON.stringify(error), ...extra, id],
      );
      if (!rowCount) return undefined;
      return this.afterEnd(tx, id, now);
    });
  }

  /** After a job ended: release its lock and hand it to the oldest job waiting for it. */
  private async afterEnd(tx: Queryable, id: string, now: Date): Promise<Transition> {
    const job = (await this.byId(tx, id))!;
    if (!job.lockKey) return { job };
    const released = await tx.query(`DELETE FROM job_locks WHERE lock_key = $1 AND job_id = $2`, [job.lockKey, id]);
    if (!released.rowCount) return { job };
    const granted = await this.grantNext(tx, job.lockKey, now);
    return { job, ...(granted ? { granted } : {}) };
  }

  private async grantNext(tx: Queryable, lockKey: string, now: Date): Promise<string | undefined> {
    const { rows } = await tx.query<{ id: string; requested_by: string; lock_label: string | null }>(
      `SELECT id, requested_by, lock_label FROM jobs WHERE lock_key = $1 AND status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE`,
      [lockKey],
    );
    const next = rows[0];
    if (!next) return undefined;
    await tx.query(`INSERT INTO job_locks (lock_key, job_id, requested_by, label, since) VALUES ($1, $2, $3, $4, $5)`, [
      lockKey,
      next.id,
      next.requested_by,
      next.lock_label,
      now,
    ]);
    return next.id;
  }

  /** A lock whose job has finished, or runs with a lease that ran out, is dead: end the job and pass the lock on. */
  private async expireDeadLock(tx: Queryable, lockKey: string, now: Date): Promise<Transition | undefined> {
    const { rows } = await tx.query<HolderRow>(`${HOLDER} WHERE l.lock_key = $1 FOR UPDATE OF l`, [lockKey]);
    const row = rows[0];
    if (!row || isAlive(row, now.getTime())) return undefined;
    if (row.status === 'running') {
      const error: JobError = { code: 'lease_expired', message: 'the worker running it stopped answering, so its lock expired; it was not run again' };
      await tx.query(`UPDATE jobs SET status = 'failed', error = $2, ended_at = $3, lease_until = NULL WHERE id = $1 AND status = 'running'`, [
        row.job_id,
        JSON.stringify(error),
        now,
      ]);
    }
    await tx.query(`DELETE FROM job_locks WHERE lock_key = $1 AND job_id = $2`, [lockKey, row.job_id]);
    const granted = await this.grantNext(tx, lockKey, now);
    return { job: (await this.byId(tx, row.job_id))!, ...(granted ? { granted } : {}) };
  }

  private async holderIn(tx: Queryable, lockKey: string): Promise<LockHolder | undefined> {
    const { rows } = await tx.query<HolderRow>(`${HOLDER} WHERE l.lock_key = $1`, [lockKey]);
    return rows[0] && toHolder(rows[0]);
  }

  private async byId(q: Queryable, id: string): Promise<JobRecord | undefined> {
    const { rows } = await q.query<Row>(`${SELECT} WHERE j.id = $1`, [id]);
    return rows[0] && toJob(rows[0]);
  }

  private async findByKey(q: Queryable, key: string): Promise<JobRecord | undefined> {
    const { rows } = await q.query<Row>(`${SELECT} WHERE j.idempotency_key = $1`, [key]);
    return rows[0] && toJob(rows[0]);
  }
}

function isAlive(row: Pick<HolderRow, 'status' | 'lease_until'>, now: number): boolean {
  if (row.status === 'queued') return true;
  return row.status === 'running' && row.lease_until !== null && row.lease_until.getTime() >= now;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
