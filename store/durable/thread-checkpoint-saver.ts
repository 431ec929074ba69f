import {
  BaseCheckpointSaver,
  copyCheckpoint,
  WRITES_IDX_MAP,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import type { RunnableConfig } from '@langchain/core/runnables';
import { CheckpointSerializer } from './checkpoint-serializer.js';
import type { Database } from './database.js';

/**
 * A checkpoint kept back to be stored by `MessageRepo.answer`, in the statement that marks the turn's
 * message answered and stores its replies: the conversation's state and its answer commit together.
 * Without it, a process that died between the two left the checkpoint a turn ahead of an unanswered
 * message, and the replay started from the wrong state (a "CONFIRM …" phrase replayed after its dialog
 * had ended was no longer understood). It also makes one statement and one commit fewer per turn.
 */
export interface CheckpointWrite {
  threadId: string;
  namespace: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  type: string;
  checkpoint: string;
  metadata: string;
  /** Pending writes of the checkpoint's run, as the `writes` column holds them. */
  writes: StoredWrite[];
}

/** Where a graph run's checkpoint is kept back instead of written: `{ configurable: { [DEFERRED_CHECKPOINT]: sink } }`. */
export const DEFERRED_CHECKPOINT = 'switchboard_deferred_checkpoint';

/**
 * The row's insert and its replacement of the thread's previous checkpoint, shared by `put` and by
 * `MessageRepo.answer` (which stores a kept-back checkpoint): one definition of what a write replaces.
 */
export const INSERT_CHECKPOINT =
  'INSERT INTO langgraph.thread_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, writes, updated_at)';
export const ON_CHECKPOINT_CONFLICT = `ON CONFLICT (thread_id, checkpoint_ns) DO UPDATE SET
  checkpoint_id = EXCLUDED.checkpoint_id, parent_checkpoint_id = EXCLUDED.parent_checkpoint_id, type = EXCLUDED.type,
  checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata, writes = EXCLUDED.writes, updated_at = now()`;

/** Filled by `put` (and `putWrites` of the same checkpoint) when a run's config carries it. */
export interface CheckpointSink {
  checkpoint?: CheckpointWrite;
}

/**
 * The agent graph's checkpointer: the LATEST checkpoint of each conversation thread, one row
 * (`langgraph.thread_checkpoints`, migration 15), read with one statement and written with one upsert.
 *
 * Why not `PostgresSaver`: it keeps every checkpoint and writes each channel as its own blob, which
 * made 15 inserts, a transaction and 2 reads of every turn (bench:telegram), for a history nothing
 * reads. The agent runs with `durability: 'exit'` (one checkpoint per turn) and never travels back in
 * time, so the latest checkpoint, with the pending writes of its own run, is all the graph needs.
 *
 * A conversation whose state is still in PostgresSaver's tables (an install from before migration 15)
 * is read from there once, when `legacy` is given, and continues here from its next turn.
 */
export class ThreadCheckpointSaver extends BaseCheckpointSaver {
  constructor(
    private readonly db: Database,
    private readonly legacy?: BaseCheckpointSaver,
    serde?: SerializerProtocol,
  ) {
    super(serde);
    // LangGraph's own serializer, read back without its per-value promises (checkpoint-serializer.ts).
    if (!serde) this.serde = new CheckpointSerializer(this.serde);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { threadId, namespace } = keyOf(config);
    const wanted = config.configurable?.checkpoint_id as string | undefined;
    const { rows } = await this.db.query<Row>(
      `SELECT checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, writes
       FROM langgraph.thread_checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2`,
      [threadId, namespace],
    );
    const row = rows[0];
    if (!row) return this.legacy ? this.readLegacy(config) : undefined;
    if (wanted && wanted !== row.checkpoint_id) return undefined;
    return this.toTuple(threadId, namespace, row);
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    if (options?.limit !== undefined && options.limit <= 0) return;
    const tuple = await this.getTuple(config);
    if (!tuple) return;
    const before = options?.before?.configurable?.checkpoint_id as string | undefined;
    if (before && tuple.checkpoint.id >= before) return;
    if (options?.filter && !Object.entries(options.filter).every(([key, value]) => (tuple.metadata as Record<string, unknown> | undefined)?.[key] === value)) return;
    yield tuple;
  }

  /**
   * Writes the checkpoint, or, when the run's config carries a sink (DEFERRED_CHECKPOINT), keeps it
   * there for `MessageRepo.answer` to store with the turn's answer.
   */
  async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, _newVersions: ChannelVersions): Promise<RunnableConfig> {
    const { threadId, namespace } = keyOf(config);
    const [[type, serialised], [, serialisedMetadata]] = await Promise.all([
      this.serde.dumpsTyped(copyCheckpoint(checkpoint)),
      this.serde.dumpsTyped(metadata),
    ]);
    if (type !== 'json') throw new Error(`A checkpoint serialised as "${type}" cannot be stored as text`);
    const sink = sinkOf(config);
    if (sink) {
      sink.checkpoint = {
        threadId,
        namespace,
        checkpointId: checkpoint.id,
        parentCheckpointId: (config.configurable?.checkpoint_id as string | undefined) ?? null,
        type,
        checkpoint: toText(serialised),
        metadata: toText(serialisedMetadata),
        writes: [],
      };
      return { configurable: { thread_id: threadId, checkpoint_ns: namespace, checkpoint_id: checkpoint.id } };
    }
    await this.db.query(
      `${INSERT_CHECKPOINT} VALUES ($1, $2, $3, $4, $5, $6, $7, '[]'::jsonb, now()) ${ON_CHECKPOINT_CONFLICT}`,
      [threadId, namespace, checkpoint.id, (config.configurable?.checkpoint_id as string | undefined) ?? null, type, toText(serialised), toText(serialisedMetadata)],
    );
    return { configurable: { thread_id: threadId, checkpoint_ns: namespace, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const { threadId, namespace } = keyOf(config);
    const checkpointId = config.configurable?.checkpoint_id as string | undefined;
    if (!checkpointId) throw new Error('putWrites needs configurable.checkpoint_id');
    const stored: StoredWrite[] = await Promise.all(
      writes.map(async ([channel, value], index) => {
        const [type, serialised] = await this.serde.dumpsTyped(value);
        return { taskId, index: WRITES_IDX_MAP[channel] ?? index, channel, type, value: type === 'json' ? toText(serialised) : Buffer.from(serialised).toString('base64') };
      }),
    );
    // Kept back with their checkpoint when it is (a run whose checkpoint is stored with its answer).
    const kept = sinkOf(config)?.checkpoint;
    if (kept && kept.threadId === threadId && kept.namespace === namespace && kept.checkpointId === checkpointId) {
      kept.writes.push(...stored);
      return;
    }
    // Only while the row still holds that checkpoint: writes of an older run are dropped, as they would be superseded.
    await this.db.query(
      `UPDATE langgraph.thread_checkpoints SET writes = writes || $4::jsonb
       WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`,
      [threadId, namespace, checkpointId, JSON.stringify(stored)],
    );
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.db.query('DELETE FROM langgraph.thread_checkpoints WHERE thread_id = $1', [threadId]);
    await this.legacy?.deleteThread(threadId).catch(() => undefined);
  }

  private async toTuple(threadId: string, namespace: string, row: Row): Promise<CheckpointTuple> {
    const checkpoint = (await this.serde.loadsTyped(row.type, row.checkpoint)) as Checkpoint;
    const metadata = (await this.serde.loadsTyped(row.type, row.metadata)) as CheckpointMetadata;
    const pendingWrites: CheckpointPendingWrite[] = await Promise.all(
      row.writes.map(
        async (w) => [w.taskId, w.channel, await this.serde.loadsTyped(w.type, w.type === 'json' ? w.value : Buffer.from(w.value, 'base64'))] as CheckpointPendingWrite,
      ),
    );
    return {
      config: { configurable: { thread_id: threadId, checkpoint_ns: namespace, checkpoint_id: row.checkpoint_id } },
      checkpoint,
      metadata,
      pendingWrites,
      ...(row.parent_checkpoint_id
        ? { parentConfig: { configurable: { thread_id: threadId, checkpoint_ns: namespace, checkpoint_id: row.parent_checkpoint_id } } }
        : {}),
    };
  }

  private legacyTables: Promise<boolean> | undefined;

  private async readLegacy(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    // A new install has no old tables: asked once per process, then nothing more is read.
    this.legacyTables ??= hasLegacyCheckpoints(this.db).catch(() => {
      this.legacyTables = undefined;
      return false;
    });
    if (!(await this.legacyTables)) return undefined;
    return this.legacy!.getTuple(config);
  }
}

interface Row {
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  /** JSON text (the serializer's `json` type), so the CRM erasure's sweep of text columns reads it too. */
  checkpoint: string;
  metadata: string;
  writes: StoredWrite[];
}

/** One pending write as the `writes` column holds it. */
interface StoredWrite {
  taskId: string;
  index: number;
  channel: string;
  type: string;
  value: string;
}

function sinkOf(config: RunnableConfig): CheckpointSink | undefined {
  const sink = config.configurable?.[DEFERRED_CHECKPOINT] as CheckpointSink | undefined;
  return sink && typeof sink === 'object' ? sink : undefined;
}

function toText(bytes: Uint8Array | string): string {
  return typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function keyOf(config: RunnableConfig): { threadId: string; namespace: string } {
  const threadId = config.configurable?.thread_id as string | undefined;
  if (typeof threadId !== 'string' || threadId === '') throw new Error('The checkpointer needs configurable.thread_id (the conversation id)');
  return { threadId, namespace: (config.configurable?.checkpoint_ns as string | undefined) ?? '' };
}

/** Whether PostgresSaver's tables exist (an install from before migration 15), so old threads are read from them. */
export async function hasLegacyCheckpoints(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ found: string | null }>(`SELECT to_regclass('langgraph.checkpoints')::text AS found`);
  return rows[0]?.found != null;
}
