import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentHarness } from '../../support/agent-harness.js';
import { StubUnderstander } from '../../support/stub-understander.js';

// Monday 2 March 2026, 09:00 in London.
const understander = new StubUnderstander([
  [/^deploy (\S+) to (\S+)/i, 'deploy.create', { app: '$1', env: '$2' }],
  [/remind me|send|call|email/i, 'task.create'],
]);

let h: AgentHarness;
beforeAll(async () => {
  h = await AgentHarness.open(understander, { DEFAULT_TIMEZONE: 'Europe/London', WEBCHAT_DEFAULT_ROLE: 'unknown' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  await h.grant('ana', 'developer', 'Ana');
  await h.grant('priya', 'developer', 'Priya Shah');
});

const openTasks = async () => (await h.bot.tasks.listOpen()).sort((a, b) => a.number - b.number).map((t) => `#${t.number} ${t.title} @${t.dueAt === null ? '-' : new Date(t.dueAt).toISOString()} (${t.assigneeName})`);

describe('a voice note becomes tasks', () => {
  it('creates every task it holds, with its date, lists them back, and offers undo', async () => {
    const reply = await h.say('ana', 'remind me to call John tomorrow at five and send Acme the proposal by Friday', { voice: true });
    expect(reply).toBe(
      [
        'I heard: “remind me to call John tomorrow at five and send Acme the proposal by Friday”',
        'Created 2 tasks:',
        '• #1 call John — due Tue 3 Mar, 17:00',
        '• #2 send Acme the proposal — due Fri 6 Mar, 09:00',
        'Say "undo" within 5 minutes to remove them.',
      ].join('\n'),
    );
    expect(await openTasks()).toEqual([
      '#1 call John @2026-03-03T17:00:00.000Z (Ana)',
      '#2 send Acme the proposal @2026-03-06T09:00:00.000Z (Ana)',
    ]);
    const stored = await h.stores.db.query<{ text: string; transcript: string; transcript_meta: Record<string, unknown> }>(
      `SELECT text, transcript, transcript_meta FROM messages WHERE direction = 'in'`,
    );
    expect(stored.rows).toEqual([
      { text: '', transcript: 'remind me to call John tomorrow at five and send Acme the proposal by Friday', transcript_meta: expect.objectContaining({ machineMade: true, untrusted: true }) },
    ]);
  });

  it('takes them back on "undo" within 5 minutes, once', async () => {
    await h.say('ana', 'call the bank tomorrow and email Sam the report on Wednesday', { voice: true });
    await h.clock.advance(4 * 60_000);
    expect(await h.say('ana', 'undo')).toBe('Undone: removed tasks #1, #2.');
    expect(await openTasks()).toEqual([]);
    expect(await h.say('ana', 'undo')).toMatch(/^There is nothing to undo/);
  });

  it('does not undo after 5 minutes, or for someone else', async () => {
    await h.say('ana', 'call the bank tomorrow and email Sam the report on Wednesday', { voice: true, conversation: 'team' });
    expect(await h.say('priya', 'undo', { conversation: 'team' })).toMatch(/^There is nothing to undo/);
    await h.clock.advance(5 * 60_000);
    expect(await h.say('ana', 'undo', { conversation: 'team' })).toMatch(/^There is nothing to undo/);
    expect(await openTasks()).toHaveLength(2);
  });

  it('assigns a task to a known person and keeps an unknown name in the title', async () => {
    await h.say('ana', 'ask Priya to review the landing page copy by Friday and ask Bob to order the new laptops tomorrow', { voice: true });
    expect(await openTasks()).toEqual([
      '#1 review the landing page copy @2026-03-06T09:00:00.000Z (Priya Shah)',
      '#2 Ask Bob to order the new laptops @2026-03-03T09:00:00.000Z (Ana)',
    ]);
  });

  it('creates the tasks and handles the rest of the note as a request', async () => {
    const reply = await h.say('ana', 'remind me to call John tomorrow at ten. Deploy landing-page to staging.', { voice: true });
    expect(reply).toMatch(/^I heard: “[^”]+”\nCreated 1 task:\n• #1 call John — due Tue 3 Mar, 10:00[\s\S]*\nSANDBOX: Started deploying main of landing-page to staging \(run #[0-9a-f]{8}\)/);
  });

  it('creates several tasks from one typed message too', async () => {
    const reply = await h.say('ana', 'remind me to call John tomorrow at five and send Acme the proposal by Friday');
    expect(reply).toMatch(/^Created 2 tasks:\n• #1 call John — due Tue 3 Mar, 17:00\n• #2 send Acme the proposal — due Fri 6 Mar, 09:00/);
  });

  it('never creates tasks for someone who may not', async () => {
    expect(await h.say('stranger', 'remind me to call John tomorrow and email Sam on Friday', { voice: true })).toMatch(/pairing code/);
    await h.grant('client1', 'client');
    // A client's turn never reaches the staff dialog (bot/client): a plain refusal, no roles named.
    expect(await h.say('client1', 'remind me to call John tomorrow and email Sam on Friday', { voice: true })).toMatch(/^I heard: “remind me to call John tomorrow and email Sam on Friday”\nSorry, that isn't something I can help with here\./);
    expect(await openTasks()).toEqual([]);
  });
});
