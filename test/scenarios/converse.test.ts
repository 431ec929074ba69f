import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../bot/create-bot.js';
import { createServiceHttpServer } from '../../bot/service.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { MemoryHotStore } from '../../store/hot/memory-hot-store.js';
import type { Stores } from '../../store/open-stores.js';
import { memoryStores } from '../support/memory-stores.js';
import { testConfig } from '../support/test-config.js';
import { CANNOT_MOVE_TASK } from '../../tools/tasks/index.js';

/**
 * Whole conversations through POST /api/converse, understood by the real offline classifier, on a
 * manual clock. (The dialog's corner cases are covered message by message in test/bot/agent/.)
 */
const understander = OfflineUnderstander.train();
let clock: ManualClock;
let stores: Stores;
let bot: Bot;
let app: FastifyInstance;

async function say(user: string, text: string, conversation?: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/converse',
    headers: { 'content-type': 'application/json' },
    payload: { user, text, ...(conversation ? { conversation } : {}) },
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
}

async function taskStatus(number: number) {
  return (await bot.tasks.findByNumber(number))?.status;
}

beforeAll(async () => {
  clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  stores = await memoryStores(clock);
});
afterAll(async () => {
  await bot?.stop();
  await stores.close();
});
beforeEach(async () => {
  await bot?.stop();
  const { rows } = await stores.db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname IN ('public', 'langgraph') AND tablename NOT IN ('schema_migrations', 'roles', 'checkpoint_migrations')`,
  );
  if (rows.length) await stores.db.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
  (stores as { hot: Stores['hot'] }).hot = new MemoryHotStore(clock);
  const config = testConfig({ WEBCHAT_DEFAULT_ROLE: 'developer' });
  bot = createBot({ config, logger: silentLogger(), clock, stores, understander });
  await bot.start();
  app = await createServiceHttpServer({ config, logger: silentLogger(), clock, bot, stores });
  await bot.people.grant('webchat', 'boss', 'admin');
});

describe('conversations through the converse API', () => {
  it('greets, helps, refuses the out-of-scope, and restates a domain purchase (every tool is connected)', async () => {
    expect(await say('ana', 'hi there')).toMatch(/^Hello! I'm Switchboard/);
    expect(await say('ana', 'thanks!')).toBe("You're welcome! Anything else, just ask.");
    expect(await say('ana', 'great, see you monday')).toBe("Bye! I'm here whenever you need me.");
    expect(await say('ana', 'what can you do?')).toMatch(/^Here is what you can ask me \(as developer\):/);
    expect(await say('ana', "what's the weather in Paris")).toBe("Sorry, that's not something I can do. Type \"help\" to see what I can.");
    const help = await say('ana', 'what can you do?');
    expect(help).not.toMatch(/not connected yet/);
    // The sandbox registrar quotes it; registering is critical, so the phrase carries a one-time code.
    expect(await say('boss', 'register soarix-new.ai for 2 years')).toMatch(/^SANDBOX: Register soarix-new\.ai for 2 years[\s\S]*CONFIRM REGISTER SOARIX-NEW\.AI 2-YEARS [A-Z0-9]{4}\n/);
  });

  it('fills a missing slot, creates, lists and completes tasks', async () => {
    expect(await say('ana', 'add a task')).toBe('What is the task?');
    expect(await say('ana', 'send the quarterly report to Globex')).toBe('Task #1 created: send the quarterly report to Globex.');
    expect(await say('ana', 'remind me to call the bank tomorrow at 10')).toMatch(/^Task #2 created: call the bank, due Tue 3 Mar, 10:00\./);
    expect(await say('ana', 'what are my tasks')).toMatch(/^You have 2 open tasks:\n• #2 call the bank — due Tue 3 Mar, 10:00\n• #1 send the quarterly report to Globex$/);
    expect(await say('ana', "what's due this week?")).toBe('You have 1 task due this week:\n• #2 call the bank — due Tue 3 Mar, 10:00');
    expect(await say('ana', 'anything overdue?')).toBe('You have no overdue tasks.');
    expect(await say('ana', 'mark task 1 as done')).toBe('Done: task #1 "send the quarterly report to Globex" is marked complete.');
    // Moving a task is not a new task: it is answered, and nothing is stored.
    expect(await say('ana', 'push back the bank task to friday')).toBe(CANNOT_MOVE_TASK);
    expect(await say('ana', 'can you reschedule task 2 to thursday?')).toBe(CANNOT_MOVE_TASK);
    expect(await say('ana', 'what are my tasks')).toMatch(/^You have 1 open task:\n• #2 call the bank/);
    expect(await say('ana', 'remind me to move the task board to Trello on friday')).toMatch(/^Task #3 created: move the task board to Trello, due Fri 6 Mar/);
  });

  it("deletes someone else's task only on the typed phrase, by the requester or an allowed approver", async () => {
    await say('bob', 'remind me to renew the SSL certificate on friday');
    const prompt = await say('ana', 'delete task 1', 'ops');
    expect(prompt).toMatch(/^Delete task #1 "renew the SSL certificate".*\nTo go ahead, type exactly:\nCONFIRM DELETE TASK 1\n/);
    expect(await say('ana', 'ok CONFIRM DELETE TASK 1', 'ops')).toMatch(/^I'm waiting for the confirmation/);
    expect(await say('ana', 'CONFIRM DELETE TASK 1\u200b', 'ops')).toMatch(/^That doesn't match/);
    expect(await say('carl', 'CONFIRM DELETE TASK 1', 'ops')).toBe('Only the person who asked or an owner or an admin can confirm this.');
    expect(await taskStatus(1)).toBe('open');
    expect(await say('boss', 'confirm delete task 1', 'ops')).toBe('Deleted task #1 "renew the SSL certificate".');
    expect(await taskStatus(1)).toBe('deleted');
    expect(await say('ana', 'CONFIRM DELETE TASK 1', 'ops')).not.toMatch(/^Deleted/);
  });

  it('cancels while collecting and while awaiting the phrase, and the phrase expires', async () => {
    expect(await say('ana', 'new task')).toBe('What is the task?');
    expect(await say('ana', 'never mind')).toBe('Cancelled: new task. Nothing was changed.');
    await say('bob', 'remind me to order new laptops');
    await say('ana', 'delete task 1');
    expect(await say('ana', 'cancel')).toBe('Cancelled: task deletion. Nothing was changed.');
    await say('ana', 'delete task 1');
    await clock.advance(5 * 60_000 + 1);
    expect(await say('ana', 'CONFIRM DELETE TASK 1')).toMatch(/^That confirmation expired/);
    expect(await taskStatus(1)).toBe('open');
  });

  it('keeps a chain of audit records that verifies', async () => {
    await say('bob', 'remind me to archive old previews');
    await say('ana', 'delete task 1');
    await say('ana', 'CONFIRM DELETE TASK 1');
    expect(await bot.audit.verify()).toMatchObject({ ok: true });
    const actions = (await bot.audit.tail(50)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['action.requested', 'confirmation.issued', 'confirmation.confirmed', 'action.executing', 'action.succeeded']));
  });
});
