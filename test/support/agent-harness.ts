import { randomUUID } from 'node:crypto';
import { createBot, type Bot } from '../../bot/create-bot.js';
import type { ChannelAdapter, InboundMessage } from '../../channels/index.js';
import { flushMicrotasks, ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { Understander } from '../../intents/index.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { memoryStores } from './memory-stores.js';
import { testConfig } from './test-config.js';

export interface SayOptions {
  conversation?: string;
  voice?: boolean;
  edited?: boolean;
  forwarded?: boolean;
  bot?: boolean;
  name?: string;
}

/**
 * A whole bot on in-process stores with a manual clock, for conversations in tests. `restart()`
 * builds a new bot on the same database (a service restart: in-process state is gone).
 */
export class AgentHarness {
  bot!: Bot;
  private constructor(
    readonly stores: Stores,
    readonly clock: ManualClock,
    private readonly understander: Understander,
    private readonly env: Record<string, string>,
    private readonly channels: ChannelAdapter[] = [],
  ) {}

  /** What voice notes "say" in tests that are not about audio: the attachment's fileRef maps to a transcript. */
  readonly transcripts = new Map<string, string>();

  static readonly START = Date.parse('2026-03-02T09:00:00Z');

  /** Opens the stores once; call `reset()` before each test. */
  static async open(understander: Understander, env: Record<string, string> = {}, channels: ChannelAdapter[] = []): Promise<AgentHarness> {
    let stores: Stores | undefined;
    const clock = new ManualClock(AgentHarness.START, () => databaseSettled(stores));
    stores = await memoryStores(clock);
    return new AgentHarness(stores, clock, understander, env, channels);
  }

  /** Empty tables (checkpoints included), the clock back at the start, a fresh bot. */
  async reset(): Promise<void> {
    if (this.booted) await this.bot.stop();
    const { rows } = await this.stores.db.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
       WHERE schemaname IN ('public', 'langgraph') AND tablename NOT IN ('schema_migrations', 'roles', 'checkpoint_migrations')`,
    );
    if (rows.length) await this.stores.db.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
    (this as { clock: ManualClock }).clock = new ManualClock(AgentHarness.START, () => databaseSettled(this.stores));
    (this.stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(this.clock);
    await this.boot();
  }

  private booted = false;

  private async boot(): Promise<void> {
    this.bot = createBot({
      config: testConfig(this.env),
      logger: silentLogger(),
      clock: this.clock,
      stores: this.stores,
      understander: this.understander,
      channels: this.channels,
      voiceNotes: {
        transcribe: async (_channel, attachment) => {
          const text = this.transcripts.get(attachment.fileRef);
          if (text === undefined) throw new Error(`no transcript scripted for ${attachment.fileRef}`);
          return { text, durationSeconds: 2, meta: { scripted: true } };
        },
      },
    });
    await this.bot.start();
    this.booted = true;
  }

  async restart(): Promise<void> {
    await this.bot.stop();
    (this.stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(this.clock);
    await this.boot();
  }

  async grant(user: string, role: Parameters<Bot['people']['grant']>[2], name?: string, channel: InboundMessage['channel'] = 'webchat') {
    const person = await this.bot.people.grant(channel, user, role);
    if (name) await this.bot.people.setDisplayName(person.id, name);
    return person;
  }

  /** One message from `user`; returns the bot's replies joined into one string. */
  async say(user: string, text: string, options: SayOptions & { channel?: InboundMessage['channel'] } = {}): Promise<string> {
    const message: InboundMessage = {
      channel: options.channel ?? 'webchat',
      messageId: randomUUID(),
      conversation: options.conversation ?? user,
      user: { id: user, ...(options.name ? { displayName: options.name } : {}), ...(options.bot ? { isBot: true } : {}) },
      text: options.voice ? '' : text,
      receivedAt: this.clock.now(),
      ...(options.voice ? { voice: { kind: 'voice' as const, fileRef: this.scriptVoice(text) } } : {}),
      ...(options.edited ? { edited: true } : {}),
      ...(options.forwarded ? { forwarded: true } : {}),
    };
    const outcome = await this.bot.pipeline.handleInbound(message);
    return outcome.replies.map((r) => r.text).join('\n');
  }

  /** A voice note whose transcript is `text` (the message itself then carries no text). */
  private scriptVoice(text: string): string {
    const ref = `note-${this.transcripts.size + 1}`;
    this.transcripts.set(ref, text);
    return ref;
  }

  async auditActions(): Promise<string[]> {
    return (await this.bot.audit.tail(1000)).map((r) => r.action);
  }

  async close(): Promise<void> {
    if (this.booted) await this.bot.stop();
    await this.stores.close();
  }
}

/**
 * The manual clock's "settled" for a whole bot: a few event-loop turns, and then until the database has
 * had no query running or waiting for three turns in a row. A timer's work (a reminder scan that re-arms
 * itself after its queries) reaches the embedded database in its own thread, which answers after more
 * than a few turns of this one.
 */
async function databaseSettled(stores: Stores | undefined): Promise<void> {
  await flushMicrotasks();
  const pool = stores?.db.pool;
  if (!pool) return;
  for (let quiet = 0; quiet < 3; ) {
    if (pool.waitingCount === 0 && pool.idleCount === pool.totalCount) {
      quiet++;
      await flushMicrotasks();
    } else {
      quiet = 0;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
