import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OfflineUnderstander } from '../../../intents/index.js';
import { AgentHarness } from '../../support/agent-harness.js';

/**
 * Tasks found by description through the whole agent, with the offline understanding the service
 * runs by default: "delete bob's task about calling acme", a question when several match and its
 * answer, and "what's on bob's list?" for a role that may see it and one that may not.
 */

let h: AgentHarness;
beforeAll(async () => {
  h = await AgentHarness.open(OfflineUnderstander.train(), { WEBCHAT_DEFAULT_ROLE: 'unknown' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  await h.grant('ana', 'developer', 'Ana');
  await h.grant('bob', 'developer', 'Bob');
  await h.grant('boss', 'admin', 'Boss');
});

async function created(user: string, text: string): Promise<number> {
  const reply = await h.say(user, text);
  const match = /Task #(\d+) created/.exec(reply);
  if (!match) throw new Error(`no task created from "${text}": ${reply}`);
  return Number(match[1]);
}

describe('tasks found by description', () => {
  it("restates deleting bob's task about calling acme, and deletes it on the phrase", async () => {
    const acme = await created('bob', 'remind me to call Acme about the renewal');
    await created('bob', 'remind me to update the landing page');
    const prompt = await h.say('ana', "delete bob's task about calling acme");
    expect(prompt).toContain(`Delete task #${acme} "call Acme about the renewal", created by Bob.`);
    expect(prompt).toContain(`CONFIRM DELETE TASK ${acme}`);
    expect((await h.bot.tasks.findByNumber(acme))?.status).toBe('open');
    expect(await h.say('ana', `CONFIRM DELETE TASK ${acme}`)).toBe(`Deleted task #${acme} "call Acme about the renewal".`);
    expect((await h.bot.tasks.findByNumber(acme))?.status).toBe('deleted');
  });

  it('asks which one when several match, and acts on the one the answer picks', async () => {
    const acme = await created('ana', 'remind me to send the Acme proposal');
    const initech = await created('ana', 'remind me to send the Initech proposal');
    const question = await h.say('ana', 'delete the proposal task');
    expect(question).toBe(
      [
        'Two open tasks about "proposal" — which one should I delete?',
        `1. #${acme} send the Acme proposal · Ana`,
        `2. #${initech} send the Initech proposal · Ana`,
        'Answer with its number (1–2) or a word only it has.',
      ].join('\n'),
    );
    expect(await h.say('ana', '2')).toBe(`Deleted task #${initech} "send the Initech proposal".`);
    expect((await h.bot.tasks.findByNumber(acme))?.status).toBe('open');
  });

  it('takes a distinguishing word as the answer, and says what exists when nothing matches', async () => {
    const acme = await created('ana', 'remind me to send the Acme proposal');
    await created('ana', 'remind me to send the Initech proposal');
    await h.say('ana', 'mark the proposal task as done');
    expect(await h.say('ana', 'acme')).toBe(`Done: task #${acme} "send the Acme proposal" is marked complete.`);
    expect(await h.say('ana', 'delete the task about the budget')).toMatch(
      /^I can't find an open task about "budget"\. You have 1 open task:\n• #\d+ send the Initech proposal · Ana$/,
    );
  });

  it("lists bob's tasks for an admin, and refuses politely to a developer", async () => {
    const acme = await created('bob', 'remind me to call Acme about the renewal');
    const landing = await created('bob', 'remind me to update the landing page');
    const forAdmin = await h.say('boss', "what's on bob's list?");
    expect(forAdmin).toBe(`Bob has 2 open tasks:\n• #${acme} call Acme about the renewal\n• #${landing} update the landing page`);
    expect(await h.say('boss', 'show bob’s tasks')).toBe(forAdmin);
    expect(await h.say('ana', "what's on bob's list?")).toBe(`Sorry, I can only show you your own tasks, not Bob's. Say "my tasks" to see yours.`);
    expect(await h.say('bob', "what's on my list?")).toMatch(/^You have 2 open tasks:/);
    // "plate" holds "late": only the word "late" (or "overdue", "past due") asks for overdue tasks.
    expect(await h.say('bob', "what's on my plate")).toMatch(/^You have 2 open tasks:/);
    expect(await h.say('bob', 'which of my tasks are late?')).toBe('You have no overdue tasks.');
  });
});
