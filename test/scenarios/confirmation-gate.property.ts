import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import type { InboundMessage } from '../../channels/index.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { Role } from '../../core/roles.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Person } from '../../store/index.js';
import type { TestDatabase } from '../support/services.js';
import { StubUnderstander } from '../support/stub-understander.js';
import { testConfig } from '../support/test-config.js';

/**
 * Random conversations of random messages from random people, against the whole message path
 * (pipeline, agent graph, dialog machine, executor, PostgreSQL). After each conversation an
 * oracle written independently of the bot's code checks every risky execution in the database:
 * it must rest on a phrase typed as a whole message, exactly (case and spacing aside), in plain
 * ASCII, not voice/edited/forwarded/bot, by the requester or an admin/owner, in the same
 * conversation, before expiry, used once; and its audit records must come in order.
 */
const PEOPLE: [string, Role][] = [
  ['ana', 'developer'],
  ['bob', 'developer'],
  ['sam', 'sales'],
  ['boss', 'admin'],
  ['stranger', 'unknown'],
];
const TTL_MS = 5 * 60_000;
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 1_000);

type Step =
  | { kind: 'say'; who: number; text: (n: number) => string; flags: Flags }
  | { kind: 'wait'; ms: number };
interface Flags {
  voice: boolean;
  edited: boolean;
  forwarded: boolean;
  bot: boolean;
}

const flagsArb: fc.Arbitrary<Flags> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ voice: false, edited: false, forwarded: false, bot: false }) },
  { weight: 1, arbitrary: fc.record({ voice: fc.boolean(), edited: fc.boolean(), forwarded: fc.boolean(), bot: fc.boolean() }) },
);

/** Messages that matter to the gate: requests, the phrase and its near misses, cancels, chatter. */
const textArb: fc.Arbitrary<(n: number) => string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant((n: number) => `delete task ${n}`) },
  { weight: 4, arbitrary: fc.constant((n: number) => `CONFIRM DELETE TASK ${n}`) },
  { weight: 2, arbitrary: fc.constant((n: number) => `  confirm   delete TASK ${n} `) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      (n: number) => `CONFIRM DELETE TASK ${n + 1}`,
      (n: number) => `C\u041eNFIRM DELETE TASK ${n}`,
      (n: number) => `C0NFIRM DELETE TASK ${n}`,
      (n: number) => `conf\u0131rm delete task ${n}`,
      (n: number) => `CONFIRM DELETE TASK ${n} please`,
      (n: number) => `ok CONFIRM DELETE TASK ${n}`,
      (n: number) => `CONFIRM\u200b DELETE TASK ${n}`,
      (n: number) => `CONFIRM DELETE TASK ${n}.`,
    ),
  },
  { weight: 1, arbitrary: fc.constant(() => 'cancel') },
  { weight: 1, arbitrary: fc.constant(() => 'remind me to water the plants') },
  { weight: 1, arbitrary: fc.constant(() => 'what is the weather') },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('say' as const), who: fc.nat(PEOPLE.length - 1), text: textArb, flags: flagsArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 30_000, max: 4 * 60_000 }) }) },
);

/**
 * The property's body, for a `describe` of the store it runs on: PostgreSQL
 * (confirmation-gate.property.int.test.ts) and the embedded PGlite (confirmation-gate.property.test.ts),
 * so that it runs without services too.
 */
export function confirmationGateProperty(openDatabase: () => Promise<TestDatabase>): void {
  let t: TestDatabase;
  let bot: Bot;
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  const people = new Map<string, Person>();
  /** How often each path was taken, so a run that never reaches the risky path cannot pass unnoticed. */
  const seen = { riskyExecutions: 0, ownerDeletions: 0, conversations: 0 };

  beforeAll(async () => {
    t = await openDatabase();
    const understander = new StubUnderstander([
      [/^delete task (\d+)$/i, 'task.delete', { title: '$1' }],
      [/^remind me to (.+)$/i, 'task.create', { title: '$1' }],
      [/^cancel$/i, 'cancel'],
    ]);
    bot = createBot({
      config: testConfig({ WEBCHAT_DEFAULT_ROLE: 'unknown', CONFIRM_TTL_MS: String(TTL_MS) }),
      logger: silentLogger(),
      clock,
      stores: { db: t.db, hot: new MemoryHotStore(clock), dataDirLock: undefined, close: async () => {} },
      understander,
    });
    await bot.start();
    for (const [name, role] of PEOPLE) people.set(name, await bot.people.grant('webchat', name, role));
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await t?.close();
  });

  it(`holds for ${NUM_RUNS} conversations`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        // Each conversation gets its own room and its own task, created by bob: deleting it is risky for anyone else.
        const room = randomUUID();
        const task = await bot.tasks.create({ title: 'the task', dueAt: null, assigneeId: people.get('bob')!.id, createdBy: people.get('bob')!.id, conversationId: null });
        for (const step of steps) {
          if (step.kind === 'wait') {
            await clock.advance(step.ms);
            continue;
          }
          const [name] = PEOPLE[step.who]!;
          const message: InboundMessage = {
            channel: 'webchat',
            messageId: randomUUID(),
            conversation: room,
            user: { id: name, ...(step.flags.bot ? { isBot: true } : {}) },
            text: step.text(task.number),
            receivedAt: clock.now(),
            ...(step.flags.voice ? { voice: { kind: 'voice' as const, fileRef: 'note' } } : {}),
            ...(step.flags.edited ? { edited: true } : {}),
            ...(step.flags.forwarded ? { forwarded: true } : {}),
          };
          await bot.pipeline.handleInbound(message);
        }
        await checkOracle({ t, bot, people, seen }, room, task.id, task.number);
      }),
      { numRuns: NUM_RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261121), endOnFailure: true },
    );
    console.log(`[property] ${JSON.stringify(seen)}`);
    expect(seen.riskyExecutions).toBeGreaterThan(NUM_RUNS / 50);
  }, 15 * 60_000);
}

interface Run {
  t: TestDatabase;
  bot: Bot;
  people: Map<string, Person>;
  seen: { riskyExecutions: number; ownerDeletions: number; conversations: number };
}

/** The invariant, checked from the database and the messages as stored, without the bot's own code. */
async function checkOracle({ t, bot, people, seen }: Run, room: string, taskId: string, taskNumber: number): Promise<void> {
  const conversation = await bot.conversations.find('webchat', room);
  if (!conversation) {
    // Nobody spoke: nothing may have happened to the task.
    expect((await bot.tasks.findById(taskId))!.status).toBe('open');
    return;
  }
  const { rows: runs } = await t.db.query<{ confirmation_id: string | null; actor_id: string; status: string }>(
    `SELECT confirmation_id, actor_id, status FROM tool_runs WHERE conversation_id = $1 AND action = 'task.delete'`,
    [conversation.id],
  );
  const bob = people.get('bob')!.id;
  const deleted = (await bot.tasks.findById(taskId))!.status === 'deleted';
  const riskyRuns = runs.filter((r) => r.actor_id !== bob);
  const bobRuns = runs.filter((r) => r.actor_id === bob);
  seen.conversations++;
  seen.riskyExecutions += riskyRuns.length;
  seen.ownerDeletions += bobRuns.length;
  // Only bob (its creator) may delete without a confirmation; anyone else's deletion must rest on one.
  for (const run of bobRuns) expect(run.confirmation_id).toBeNull();
  if (deleted && bobRuns.length === 0) expect(riskyRuns.length).toBe(1);
  expect(riskyRuns.length).toBeLessThanOrEqual(1);

  for (const run of riskyRuns) {
    expect(run.confirmation_id).not.toBeNull();
    const { rows } = await t.db.query<{
      status: string;
      phrase: string;
      requester_id: string;
      confirmed_by: string;
      confirmed_at: Date;
      expires_at: Date;
      conversation_id: string;
      confirmed_by_message: string;
    }>('SELECT * FROM confirmations WHERE id = $1', [run.confirmation_id]);
    const confirmation = rows[0]!;
    expect(confirmation.status).toBe('consumed');
    expect(confirmation.conversation_id).toBe(conversation.id);
    expect(confirmation.phrase).toBe(`CONFIRM DELETE TASK ${taskNumber}`);

    // The message that confirmed it, as stored: typed, whole, exact, in time, by someone allowed, here.
    const { rows: messages } = await t.db.query<{ text: string; payload: { inbound: InboundMessage }; person_id: string; conversation_id: string }>(
      `SELECT text, payload, person_id, conversation_id FROM messages WHERE id = $1`,
      [confirmation.confirmed_by_message],
    );
    const message = messages[0]!;
    const inbound = message.payload.inbound;
    expect(message.conversation_id).toBe(conversation.id);
    expect(/^[\x20-\x7e]*$/.test(message.text)).toBe(true);
    expect(message.text.trim().replace(/ +/g, ' ').toUpperCase()).toBe(confirmation.phrase);
    expect(inbound.voice ?? null).toBeNull();
    expect(inbound.edited ?? false).toBe(false);
    expect(inbound.forwarded ?? false).toBe(false);
    expect(inbound.user.isBot ?? false).toBe(false);
    expect(inbound.receivedAt).toBeLessThan(confirmation.expires_at.getTime());
    expect(message.person_id).toBe(confirmation.confirmed_by);
    const confirmer = [...people.values()].find((p) => p.id === confirmation.confirmed_by)!;
    expect(confirmer.id === confirmation.requester_id || confirmer.role === 'admin' || confirmer.role === 'owner').toBe(true);
    expect(confirmer.role).not.toBe('unknown');

    // Its audit records, in order.
    const audit = (await bot.audit.forConversation(conversation.id)).filter(
      (r) => r.data.confirmationId === run.confirmation_id || (r.action === 'action.executing' && r.data.confirmationId === run.confirmation_id),
    );
    const order = audit.map((r) => r.action);
    const expected = ['confirmation.issued', 'confirmation.confirmed', 'action.executing'];
    expect(order.filter((a) => expected.includes(a))).toEqual(expected);
    const requested = (await bot.audit.forConversation(conversation.id)).find((r) => r.action === 'action.requested');
    expect(requested!.seq).toBeLessThan(audit[0]!.seq);
  }
}
