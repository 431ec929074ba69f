import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Database } from './database.js';

export interface Task {
  id: string;
  number: number;
  title: string;
  dueAt: number | null;
  assigneeId: string | null;
  assigneeName: string | null;
  createdBy: string;
  createdByName: string | null;
  conversationId: string | null;
  status: 'open' | 'done' | 'deleted';
  createdAt: number;
  completedAt: number | null;
  remindedAt: number | null;
}

interface Row {
  id: string;
  number: number;
  title: string;
  due_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  created_by: string;
  created_by_name: string | null;
  conversation_id: string | null;
  status: Task['status'];
  created_at: Date;
  completed_at: Date | null;
  reminded_at: Date | null;
}

const toTask = (r: Row): Task => ({
  id: r.id,
  number: r.number,
  title: r.title,
  dueAt: r.due_at?.getTime() ?? null,
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  conversationId: r.conversation_id,
  status: r.status,
  createdAt: r.created_at.getTime(),
  completedAt: r.completed_at?.getTime() ?? null,
  remindedAt: r.reminded_at?.getTime() ?? null,
});

const SELECT = `SELECT t.*, a.display_name AS assignee_name, c.display_name AS created_by_name
  FROM tasks t LEFT JOIN people a ON a.id = t.assignee_id LEFT JOIN people c ON c.id = t.created_by`;

export interface TaskQuery {
  assigneeId?: string;
  /** Only tasks due before this instant (ms). */
  dueBefore?: number;
  /** Only tasks due at or after this instant (ms). */
  dueFrom?: number;
  limit?: number;
}

/** What tools/resolve asks of tasks (its `RecordQuery`, without the organisation tasks do not have). */
export interface TaskMatchQuery {
  words: string[];
  ownerIds: string[];
  number?: number;
  createdFrom?: number;
  createdBefore?: number;
  newestFirst: boolean;
  limit: number;
}

export class TaskRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async create(input: { title: string; dueAt: number | null; assigneeId: string | null; createdBy: string; conversationId: string | null }): Promise<Task> {
    const now = new Date(this.clock.now());
    // Inserted and read back with the people's names in one statement.
    const { rows } = await this.db.query<Row>(
      `WITH t AS (
         INSERT INTO tasks (id, title, due_at, assignee_id, created_by, conversation_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) RETURNING *
       )
       SELECT t.*, a.display_name AS assignee_name, c.display_name AS created_by_name
       FROM t LEFT JOIN people a ON a.id = t.assignee_id LEFT JOIN people c ON c.id = t.created_by`,
      [randomUUID(), input.title, input.dueAt === null ? null : new Date(input.dueAt), input.assigneeId, input.createdBy, input.conversationId, now],
    );
    return toTask(rows[0]!);
  }

  async findById(id: string): Promise<Task | undefined> {
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE t.id = $1`, [id]);
    return rows[0] && toTask(rows[0]);
  }

  async findByNumber(number: number): Promise<Task | undefined> {
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE t.number = $1`, [number]);
    return rows[0] && toTask(rows[0]);
  }

  /** Open tasks, soonest due first (undated last). */
  async listOpen(query: TaskQuery = {}): Promise<Task[]> {
    const where = [`t.status = 'open'`];
    const params: unknown[] = [];
    if (query.assigneeId) where.push(`t.assignee_id = $${params.push(query.assigneeId)}`);
    if (query.dueBefore !== undefined) where.push(`t.due_at < $${params.push(new Date(query.dueBefore))}`);
    if (query.dueFrom !== undefined) where.push(`t.due_at >= $${params.push(new Date(query.dueFrom))}`);
    const { rows } = await this.db.query<Row>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY t.due_at ASC NULLS LAST, t.number LIMIT $${params.push(query.limit ?? 50)}`,
      params,
    );
    return rows.map(toTask);
  }

  /** Open tasks a person can act on (assigned to or created by them) whose title contains every word of `text`. */
  async searchOpen(personId: string | undefined, text: string): Promise<Task[]> {
    const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 1).slice(0, 8);
    const params: unknown[] = [];
    const where = [`t.status = 'open'`];
    if (personId) where.push(`(t.assignee_id = $${params.push(personId)} OR t.created_by = $${params.length})`);
    for (const word of words) where.push(`lower(t.title) LIKE $${params.push(`%${word.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)}`);
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY t.number LIMIT 10`, params);
    return rows.map(toTask);
  }

  /** An open task by id; undefined once it is done or deleted. */
  async findOpenById(id: string): Promise<Task | undefined> {
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE t.id = $1 AND t.status = 'open'`, [id]);
    return rows[0] && toTask(rows[0]);
  }

  /**
   * Open tasks for a description (tools/resolve), in one bounded query on indexes (migration 13):
   * every word as a prefix of an English stem of the title ("calling" finds "Call Acme"), whose list
   * it is on (the assignee, else the creator), its number, when it was created.
   */
  async findOpenMatching(query: TaskMatchQuery): Promise<Task[]> {
    const where = [`t.status = 'open'`];
    const params: unknown[] = [];
    if (query.number !== undefined) where.push(`t.number = $${params.push(query.number)}`);
    if (query.ownerIds.length) {
      const owners = params.push(query.ownerIds);
      where.push(`(t.assignee_id = ANY($${owners}::uuid[]) OR (t.assignee_id IS NULL AND t.created_by = ANY($${owners}::uuid[])))`);
    }
    // Letters and digits only reach to_tsquery, each word a prefix (`call:*`): nothing typed is query syntax.
    const terms = query.words.flatMap((w) => w.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => `${w}:*`);
    if (terms.length) where.push(`to_tsvector('english', t.title) @@ to_tsquery('english', $${params.push(terms.join(' & '))})`);
    if (query.createdFrom !== undefined) where.push(`t.created_at >= $${params.push(new Date(query.createdFrom))}`);
    if (query.createdBefore !== undefined) where.push(`t.created_at < $${params.push(new Date(query.createdBefore))}`);
    const order = query.newestFirst ? 't.created_at DESC, t.number DESC' : 't.number';
    const { rows } = await this.db.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.push(Math.min(query.limit, 100))}`, params);
    return rows.map(toTask);
  }

  /** Marks an open task done; undefined when it was not open. */
  async complete(id: string, by: string): Promise<Task | undefined> {
    const now = new Date(this.clock.now());
    const { rowCount } = await this.db.query(
      `UPDATE tasks SET status = 'done', completed_at = $3, completed_by = $2, updated_at = $3 WHERE id = $1 AND status = 'open'`,
      [id, by, now],
    );
    return rowCount ? this.findById(id) : undefined;
  }

  async delete(id: string, by: string): Promise<Task | undefined> {
    const now = new Date(this.clock.now());
    const { rowCount } = await this.db.query(
      `UPDATE tasks SET status = 'deleted', deleted_at = $3, deleted_by = $2, updated_at = $3 WHERE id = $1 AND status <> 'deleted'`,
      [id, by, now],
    );
    return rowCount ? this.findById(id) : undefined;
  }

  /** The earliest due time of an open task not yet reminded, if any (for the scheduler). */
  async nextReminderAt(): Promise<number | undefined> {
    const { rows } = await this.db.query<{ due_at: Date }>(
      `SELECT due_at FROM tasks WHERE status = 'open' AND reminded_at IS NULL AND due_at IS NOT NULL ORDER BY due_at LIMIT 1`,
    );
    return rows[0]?.due_at.getTime();
  }

  /** Open, unreminded tasks due at or before `now`. */
  async dueForReminder(now: number): Promise<Task[]> {
    const { rows } = await this.db.query<Row>(
      `${SELECT} WHERE t.status = 'open' AND t.reminded_at IS NULL AND t.due_at <= $1 ORDER BY t.due_at, t.number LIMIT 100`,
      [new Date(now)],
    );
    return rows.map(toTask);
  }

  /** Claims the reminder of a task: true for exactly one caller, across instances and restarts. */
  async claimReminder(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE tasks SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL AND status = 'open'`,
      [id, new Date(this.clock.now())],
    );
    return (rowCount ?? 0) > 0;
  }
}
