import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../../bot/admin-commands.js';
import { createBot, type Bot } from '../../../bot/create-bot.js';
import type { InboundMessage } from '../../../channels/index.js';
import { SystemClock } from '../../../core/clock.js';
import { createLogger } from '../../../core/logger.js';
import type { Stores } from '../../../store/open-stores.js';
import { memoryStores } from '../../support/memory-stores.js';
import { RecordingChannel } from '../../support/recording-channel.js';
import { StubUnderstander } from '../../support/stub-understander.js';
import { testConfig } from '../../support/test-config.js';

/**
 * Finding 9 of issue 9: on the embedded database, several pg connections multiplexed onto the one
 * PGlite session interleaved their protocol messages: errors (`portal "" does not exist`) and, worse,
 * rows stored with another query's parameters (a message of chat 2127 attributed to user 2128).
 * Here 50 people write at once through the real webhook path (store, agent, task tool, reply) while
 * admin commands run, and every row must belong to the person who sent it.
 */
const PEOPLE = 50;
const clock = new SystemClock();
let stores: Stores;
let bot: Bot;
let channel: RecordingChannel;
const logged: { level: string; msg: string; err?: unknown }[] = [];

beforeAll(async () => {
  stores = await memoryStores(clock);
  channel = new RecordingChannel('telegram');
  const stream = new PassThrough();
  stream.on('data', (line: Buffer) => {
    for (const text of line.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(text) as (typeof logged)[number]);
  });
  bot = createBot({
    config: testConfig(),
    logger: createLogger({ level: 'warn', stream }),
    clock,
    stores,
    understander: new StubUnderstander([[/^remind me to (.+)$/i, 'task.create', { title: '$1' }]]),
    channels: [channel],
  });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await stores?.close();
});

function message(i: number): InboundMessage {
  return {
    channel: 'telegram',
    messageId: `m-${i}`,
    conversation: `chat-${2100 + i}`,
    user: { id: `user-${2100 + i}`, displayName: `Person ${i}` },
    text: `remind me to water plant ${i}`,
    receivedAt: clock.now(),
  };
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the embedded database under concurrent turns and admin commands', () => {
  it('answers 50 concurrent webhook turns with no error and stores every row under the person who sent it', async () => {
    // Everyone may create tasks: granted concurrently, through the admin commands the CLI uses.
    await Promise.all(
      Array.from({ length: PEOPLE }, (_, i) => runAdminCommand(bot.admin, 'users.grant', { identity: `telegram:user-${2100 + i}`, role: 'developer' })),
    );

    const turns = Array.from({ length: PEOPLE }, (_, i) => bot.pipeline.enqueueInbound(message(i)));
    // Admin commands at the same time: grants of other people and listings.
    const admin = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? runAdminCommand(bot.admin, 'users.grant', { identity: `slack:U${i}`, role: 'sales' })
        : runAdminCommand(bot.admin, 'users.list', {}),
    );
    const settled = await Promise.allSettled([...turns, ...admin]);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);

    await waitUntil(
      'every turn answered',
      async () => {
        const { rows } = await stores.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in' AND status = 'answered'`);
        return rows[0]!.n === PEOPLE && channel.sent.length >= PEOPLE;
      },
      90_000,
    );
    expect(logged.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);

    const { rows: inbound } = await stores.db.query<{ text: string; external_id: string; conversation: string; status: string }>(
      `SELECT m.text, i.external_id, c.external_id AS conversation, m.status
       FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN identities i ON i.person_id = m.person_id AND i.channel = 'telegram'
       WHERE m.direction = 'in'`,
    );
    expect(inbound).toHaveLength(PEOPLE);
    for (const row of inbound) {
      const i = Number(/water plant (\d+)$/.exec(row.text)![1]);
      expect(row).toEqual({ text: `remind me to water plant ${i}`, external_id: `user-${2100 + i}`, conversation: `chat-${2100 + i}`, status: 'answered' });
    }

    const { rows: tasks } = await stores.db.query<{ title: string; creator: string; assignee: string; conversation: string }>(
      `SELECT t.title, ci.external_id AS creator, ai.external_id AS assignee, c.external_id AS conversation
       FROM tasks t
       JOIN identities ci ON ci.person_id = t.created_by AND ci.channel = 'telegram'
       JOIN identities ai ON ai.person_id = t.assignee_id AND ai.channel = 'telegram'
       JOIN conversations c ON c.id = t.conversation_id`,
    );
    expect(tasks).toHaveLength(PEOPLE);
    for (const task of tasks) {
      const i = Number(/water plant (\d+)$/.exec(task.title)![1]);
      expect(task).toEqual({ title: `water plant ${i}`, creator: `user-${2100 + i}`, assignee: `user-${2100 + i}`, conversation: `chat-${2100 + i}` });
    }

    // Each chat got exactly its own answer.
    for (let i = 0; i < PEOPLE; i++) {
      const texts = channel.texts(`chat-${2100 + i}`);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(`water plant ${i}`);
    }

    const people = (await runAdminCommand(bot.admin, 'users.list', {})) as { identities: string[]; role: string }[];
    expect(people.flatMap((p) => p.identities).sort()).toEqual(
      [...Array.from({ length: PEOPLE }, (_, i) => `telegram:user-${2100 + i}`), ...Array.from({ length: 10 }, (_, i) => `slack:U${i * 2}`)].sort(),
    );
  });
});
