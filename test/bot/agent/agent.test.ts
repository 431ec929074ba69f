import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { StoreError } from '../../../core/index.js';
import { MessageRepo, PeopleRepo } from '../../../store/index.js';
import { DialogStep } from '../../../bot/agent/index.js';
import { AgentHarness } from '../../support/agent-harness.js';
import { StubUnderstander } from '../../support/stub-understander.js';

const understander = () =>
  new StubUnderstander([
    [/^(hi|hello)\b/i, 'greeting'],
    [/^help\b/i, 'help'],
    [/^(cancel|never ?mind|stop)\b/i, 'cancel'],
    [/^remind me to (.+?) at 5$/i, 'task.create', { title: '$1', due: '2026-03-02T17:00:00+00:00' }],
    [/^remind me to (.+)$/i, 'task.create', { title: '$1' }],
    [/^new task$/i, 'task.create'],
    [/^(?:list )?my tasks/i, 'task.list'],
    [/^delete task (\d+)/i, 'task.delete', { title: '$1' }],
    [/^delete a task$/i, 'task.delete'],
    [/^done with task (\d+)/i, 'task.complete', { title: '$1' }],
    [/^deploy (\S+) to (\S+)/i, 'deploy.create', { app: '$1', env: '$2' }],
  ]);

let h: AgentHarness;
beforeAll(async () => {
  h = await AgentHarness.open(understander(), { WEBCHAT_DEFAULT_ROLE: 'unknown' });
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

async function bobsTask(): Promise<number> {
  const reply = await h.say('bob', 'remind me to send Acme the proposal');
  return Number(/Task #(\d+)/.exec(reply)![1]);
}

describe('tasks through the agent', () => {
  it('creates, lists and completes a task', async () => {
    expect(await h.say('ana', 'remind me to call John at 5')).toMatch(/^Task #1 created: call John, due Mon 2 Mar, 17:00\. I'll remind you/);
    expect(await h.say('ana', 'my tasks')).toMatch(/You have 1 open task:\n• #1 call John — due Mon 2 Mar, 17:00/);
    expect(await h.say('ana', 'done with task 1')).toBe('Done: task #1 "call John" is marked complete.');
    expect(await h.say('ana', 'my tasks')).toBe('You have no open tasks.');
  });

  it('looks up the people a message names only when it may hold several tasks', async () => {
    const lookups = vi.spyOn(PeopleRepo.prototype, 'staffNamedIn');
    try {
      expect(await h.say('ana', 'remind me to call John at 5')).toMatch(/^Task #1 created: call John, due Mon 2 Mar, 17:00\./);
      expect(lookups).not.toHaveBeenCalled();
      expect(await h.say('ana', 'remind me to ask Bob to call John tomorrow and send Acme the proposal by Friday')).toMatch(/^Created 2 tasks:/);
      expect(lookups).toHaveBeenCalledTimes(1);
      const open = (await h.bot.tasks.listOpen()).sort((a, b) => a.number - b.number).map((t) => `#${t.number} ${t.title} (${t.assigneeName})`);
      expect(open).toEqual(['#1 call John (Ana)', '#2 call John (Bob)', '#3 send Acme the proposal (Ana)']);
    } finally {
      lookups.mockRestore();
    }
  });

  it('never leaves a turn without an answer: when no step said anything, the respond step says so', async () => {
    // A turn's steps normally reply; `respond` runs only when none did, so this path needs a silent dialog.
    const silent = vi.spyOn(DialogStep.prototype, 'run').mockResolvedValueOnce({});
    try {
      expect(await h.say('ana', 'hello')).toBe('Sorry, I didn\'t catch that. Type "help" to see what I can do.');
    } finally {
      silent.mockRestore();
    }
    expect(await h.say('ana', 'hello')).not.toMatch(/didn't catch that/);
  });

  it('asks for what is missing and takes the answer', async () => {
    expect(await h.say('ana', 'new task')).toBe('What is the task?');
    expect(await h.say('ana', 'renew the SSL certificate')).toMatch(/^Task #1 created: renew the SSL certificate\./);
  });

  it('deletes your own task straight away: it is safe', async () => {
    await h.say('ana', 'remind me to tidy the wiki');
    expect(await h.say('ana', 'delete task 1')).toBe('Deleted task #1 "tidy the wiki".');
  });
});

describe('the confirmation gate', () => {
  it("restates deleting someone else's task, and does it only on the typed phrase", async () => {
    const n = await bobsTask();
    const prompt = await h.say('ana', `delete task ${n}`);
    expect(prompt).toBe(
      [
        `Delete task #${n} "send Acme the proposal", created by Bob. It will no longer appear in anyone's list or send a reminder.`,
        'To go ahead, type exactly:',
        `CONFIRM DELETE TASK ${n}`,
        '(you or an owner or an admin can confirm within 5 minutes; say "cancel" to stop.)',
      ].join('\n'),
    );
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('open');
    expect(await h.say('ana', `  confirm   delete task ${n} `)).toBe(`Deleted task #${n} "send Acme the proposal".`);
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('deleted');
    const actions = await h.auditActions();
    const order = ['action.requested', 'confirmation.issued', 'confirmation.confirmed', 'action.executing', 'action.succeeded'];
    const positions = order.map((a) => actions.lastIndexOf(a));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions.every((p) => p >= 0)).toBe(true);
  });

  it('answers a confirmation whose answer could not be stored when the platform retries it: the dialog waited with the answer', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    const checkpointOf = async () =>
      (await h.stores.db.query<{ checkpoint_id: string }>(`SELECT checkpoint_id FROM langgraph.thread_checkpoints WHERE checkpoint_ns = ''`)).rows
        .map((row) => row.checkpoint_id)
        .sort();
    const before = await checkpointOf();
    const confirm = { channel: 'webchat' as const, messageId: randomUUID(), conversation: 'ana', user: { id: 'ana' }, text: `CONFIRM DELETE TASK ${n}`, receivedAt: h.clock.now() };
    // The task is deleted, then the database goes away before the answer is stored.
    const answer = vi.spyOn(MessageRepo.prototype, 'answerAndTake').mockRejectedValueOnce(new StoreError('the database is away', { store: 'durable' }));
    try {
      await expect(h.bot.pipeline.handleInbound(confirm)).rejects.toBeInstanceOf(StoreError);
    } finally {
      answer.mockRestore();
    }
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('deleted');
    // The conversation's state did not move without its answer.
    expect(await checkpointOf()).toEqual(before);
    // The platform's retry of the same message finds the confirmation still awaited, and answers with the first outcome.
    const retried = await h.bot.pipeline.handleInbound(confirm);
    expect(retried.replies.map((r) => r.text).join('\n')).toBe(`Deleted task #${n} "send Acme the proposal".`);
    expect((await h.auditActions()).filter((a) => a === 'action.succeeded')).toHaveLength(2); // Bob's task, then the deletion: once
  });

  it('refuses lookalikes and a phrase inside a longer message, and cancels after three wrong attempts', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    expect(await h.say('ana', `please CONFIRM DELETE TASK ${n}`)).toMatch(/^I'm waiting for the confirmation/);
    expect(await h.say('ana', `C\u041eNFIRM DELETE TASK ${n}`)).toMatch(/^That doesn't match\. Type exactly: CONFIRM DELETE TASK \d+ \(2 attempts left/);
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}0`)).toMatch(/1 attempt left/);
    expect(await h.say('ana', `C0NFIRM DELETE TASK ${n}`)).toMatch(/After three wrong attempts I cancelled it/);
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`)).toBe("Sorry, that's not something I can do. Type \"help\" to see what I can.");
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('open');
  });

  it('never takes a voice transcript, an edited or a forwarded message as a confirmation', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`, { voice: true })).toMatch(
      new RegExp(`^I heard: “CONFIRM DELETE TASK ${n}”\nA voice note can't confirm anything`),
    );
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`, { edited: true })).toMatch(/^An edited message can't confirm/);
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`, { forwarded: true })).toMatch(/^A forwarded message can't confirm/);
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('open');
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`)).toMatch(/^Deleted task/);
  });

  it('lets an allowed approver confirm in the same conversation, and refuses one who is not allowed', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`, { conversation: 'ops-room' });
    expect(await h.say('bob', `CONFIRM DELETE TASK ${n}`, { conversation: 'ops-room' })).toBe('Only the person who asked or an owner or an admin can confirm this.');
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('open');
    expect(await h.say('boss', `CONFIRM DELETE TASK ${n}`, { conversation: 'ops-room' })).toMatch(/^Deleted task/);
    const confirmed = (await h.bot.audit.tail(50)).find((r) => r.action === 'confirmation.confirmed');
    expect(confirmed?.actor).toBe((await h.bot.people.findByIdentity('webchat', 'boss'))?.id);
  });

  it('does not carry a confirmation into another conversation', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`, { conversation: 'room-a' });
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`, { conversation: 'room-b' })).not.toMatch(/Deleted/);
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('open');
  });

  it('expires after five minutes on the clock', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    await h.clock.advance(5 * 60_000);
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`)).toMatch(/^That confirmation expired/);
    expect((await h.bot.tasks.findByNumber(n))?.status).toBe('open');
    expect(await h.auditActions()).toContain('confirmation.expired');
  });

  it('uses a phrase once: replaying it acts no second time', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    await h.say('ana', `CONFIRM DELETE TASK ${n}`);
    await h.say('ana', `CONFIRM DELETE TASK ${n}`);
    expect((await h.auditActions()).filter((a) => a === 'action.succeeded')).toHaveLength(2); // bob's create + the delete
  });

  it('cancels the pending action when a new request comes, and says so', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    const reply = await h.say('ana', 'remind me to water the plants');
    expect(reply).toMatch(/^I cancelled the pending task deletion \(delete task \d+\): a new request replaces it\.\nTask #\d+ created: water the plants/);
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`)).not.toMatch(/Deleted/);
    expect(await h.auditActions()).toContain('confirmation.superseded');
  });

  it('cancels from every state, and says when there is nothing to cancel', async () => {
    expect(await h.say('ana', 'cancel')).toBe('There is nothing to cancel.');
    await h.say('ana', 'new task');
    expect(await h.say('ana', 'never mind')).toBe('Cancelled: new task. Nothing was changed.');
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    expect(await h.say('ana', 'stop')).toBe('Cancelled: task deletion. Nothing was changed.');
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`)).not.toMatch(/Deleted/);
  });

  it('survives a restart between the request and the confirmation', async () => {
    const n = await bobsTask();
    await h.say('ana', `delete task ${n}`);
    await h.restart();
    expect(await h.say('ana', `CONFIRM DELETE TASK ${n}`)).toBe(`Deleted task #${n} "send Acme the proposal".`);
  });
});

describe('roles and pairing', () => {
  it('gives a stranger a pairing code, the same one each time', async () => {
    const first = await h.say('stranger', 'remind me to hack things');
    const code = /pairing code ([A-Z2-9]{8})/.exec(first)![1];
    expect(await h.say('stranger', 'my tasks')).toContain(code);
    expect(await h.say('stranger', 'hello')).toMatch(/^Hello/);
  });

  it('refuses what a role may not start, in one sentence, without revealing anything', async () => {
    await h.grant('client1', 'client');
    // A client hears no roles, no admins and no configuration (bot/client words its refusals).
    const refusal = await h.say('client1', 'deploy soarix-web to production');
    expect(refusal).toMatch(/^Sorry, that isn't something I can help with here\./);
    expect(refusal).not.toMatch(/admin|role|deploy/i);
  });

  it('lists what this role can do in help', async () => {
    const help = await h.say('ana', 'help');
    expect(help).toMatch(/^Here is what you can ask me \(as developer\):/);
    expect(help).toMatch(/Create a task .* — e\.g\. "remind me to call John tomorrow at 5pm"/);
    // Every tool a developer may use is connected; registering a domain is for admins and owners.
    expect(help).not.toMatch(/not connected yet/);
    expect(help).toMatch(/Check whether a domain is free/);
    expect(help).not.toMatch(/Buy and register a domain/);
  });
});
