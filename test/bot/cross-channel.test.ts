import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../bot/create-bot.js';
import { runAdminCommand } from '../../bot/admin-commands.js';
import { ChannelSendError } from '../../channels/index.js';
import { silentLogger } from '../../core/logger.js';
import { AgentHarness } from '../support/agent-harness.js';
import { RecordingChannel } from '../support/recording-channel.js';
import { StubUnderstander } from '../support/stub-understander.js';
import { testConfig } from '../support/test-config.js';

const slack = new RecordingChannel('slack');
const telegram = new RecordingChannel('telegram');
const understander = new StubUnderstander([
  [/^notify me here when (?:a )?deploys? fail/i, 'notify.subscribe', { events: ['deploy.failed'] }],
  [/^notify me here about everything/i, 'notify.subscribe', { events: ['build.succeeded', 'build.failed', 'deploy.live', 'deploy.failed', 'deploy.rolled_back', 'domain.verified', 'domain.failed', 'task.due', 'lead.created', 'handoff.requested', 'client.call_requested', 'client.erase_requested'] }],
  [/^remind me to (.+) at 5pm$/i, 'task.create', { title: '$1', due: '2026-03-02T17:00:00+00:00' }],
  [/^hello/i, 'greeting'],
]);

let h: AgentHarness;
beforeAll(async () => {
  h = await AgentHarness.open(understander, { NOTIFY_PER_CHAT_PER_MINUTE: '3', RATE_LIMIT_PER_USER_PER_MINUTE: '5' }, [slack, telegram]);
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  slack.sent = [];
  telegram.sent = [];
  slack.broken = false;
  telegram.broken = false;
  await h.grant('U1', 'developer', 'Ana', 'slack');
  await h.grant('42', 'developer', 'Ana', 'telegram');
});

const deployFailed = (n: number) => ({ id: `deploy.failed:${n}`, type: 'deploy.failed' as const, text: `Deploy ${n} of soarix-web to production failed.` });

describe('notifications', () => {
  it('fan out to every subscribed chat on its own channel, and a failing channel does not stop the others', async () => {
    expect(await h.say('U1', 'notify me here when deploys fail', { channel: 'slack', conversation: 'C-ops' })).toBe(
      'Done: this chat will get notifications about deploys failing.',
    );
    await h.say('42', 'notify me here when a deploy fails', { channel: 'telegram', conversation: '42' });
    slack.sent = [];
    telegram.sent = [];
    telegram.broken = true;

    await h.bot.notifications.publish(deployFailed(1));
    expect(slack.texts('C-ops')).toEqual(['Deploy 1 of soarix-web to production failed.']);
    expect(telegram.sent).toEqual([]);
    const { rows } = await h.stores.db.query<{ channel: string; status: string; error: string | null }>(
      `SELECT c.channel, d.status, d.error FROM notification_deliveries d JOIN conversations c ON c.id = d.conversation_id WHERE d.event_id = 'deploy.failed:1' ORDER BY c.channel`,
    );
    expect(rows).toEqual([
      { channel: 'slack', status: 'sent', error: null },
      { channel: 'telegram', status: 'failed', error: 'telegram is down' },
    ]);
    const failed = await h.stores.db.query<{ status: string; error: string }>(`SELECT status, error FROM messages WHERE kind = 'notification' AND status = 'failed'`);
    expect(failed.rows).toEqual([{ status: 'failed', error: 'telegram is down' }]);
  });

  it('deliver an event once per chat, however often and wherever it is published', async () => {
    await h.say('U1', 'notify me here when deploys fail', { channel: 'slack', conversation: 'C-ops' });
    slack.sent = [];
    // A second instance on the same stores (the in-process hot tier stands in for Redis pub/sub).
    const other = createBot({ config: testConfig(), logger: silentLogger(), clock: h.clock, stores: h.stores, understander, channels: [slack] });
    await other.start();
    await Promise.all([h.bot.notifications.publish(deployFailed(2)), other.notifications.publish(deployFailed(2)), h.bot.notifications.publish(deployFailed(2))]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.stop();
    expect(slack.texts()).toEqual(['Deploy 2 of soarix-web to production failed.']);
  });

  it('are rate-limited per chat, held back on record, with one notice', async () => {
    await h.say('U1', 'notify me here when deploys fail', { channel: 'slack', conversation: 'C-ops' });
    slack.sent = [];
    for (let n = 10; n < 16; n++) await h.bot.notifications.publish(deployFailed(n));
    expect(slack.texts()).toEqual([
      'Deploy 10 of soarix-web to production failed.',
      'Deploy 11 of soarix-web to production failed.',
      'Deploy 12 of soarix-web to production failed.',
      'More notifications arrived in the last minute than this chat gets; I held some back.',
    ]);
    const { rows } = await h.stores.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_deliveries WHERE status = 'rate_limited'`);
    expect(rows[0]!.n).toBe(3);
    await h.clock.advance(60_000);
    await h.bot.notifications.publish(deployFailed(20));
    expect(slack.texts().at(-1)).toBe('Deploy 20 of soarix-web to production failed.');
  });

  it('tell a chat subscribed to "task.due" when a task falls due', async () => {
    await h.say('U1', 'notify me here about everything', { channel: 'slack', conversation: 'C-team' });
    await h.say('42', 'remind me to send the invoice at 5pm', { channel: 'telegram', conversation: '42' });
    slack.sent = [];
    await h.clock.set(Date.parse('2026-03-02T17:00:00Z'));
    await waitFor(() => slack.sent.length === 1);
    expect(slack.texts('C-team')).toEqual([expect.stringMatching(/^⏰ Task due: #1 send the invoice — due Mon 2 Mar, 17:00/)]);
  });
});

describe('one event, one message per chat', () => {
  it("gives a task's owner who subscribed to due tasks in the same chat one message, not a reminder and a notice", async () => {
    await h.say('U1', 'notify me here about everything', { channel: 'slack', conversation: 'D-U1' });
    await h.say('U1', 'remind me to send the invoice at 5pm', { channel: 'slack', conversation: 'D-U1' });
    await h.say('42', 'notify me here about everything', { channel: 'telegram', conversation: '42' });
    slack.sent = [];
    telegram.sent = [];
    await h.clock.set(Date.parse('2026-03-02T17:00:00Z'));
    await waitFor(() => slack.sent.length >= 1 && telegram.sent.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.texts('D-U1')).toEqual([expect.stringMatching(/^⏰ Reminder: #1 send the invoice/)]);
    // Another subscribed chat still hears about it, once.
    expect(telegram.texts('42')).toEqual([expect.stringMatching(/^⏰ Task due: #1 send the invoice/)]);
    const { rows } = await h.stores.db.query<{ status: string }>(`SELECT status FROM notification_deliveries WHERE event_type = 'task.due' ORDER BY status`);
    expect(rows).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  });
});

describe('identity linking', () => {
  it('lets a task made in Slack be reminded on Telegram', async () => {
    await h.say('U7', 'hello', { channel: 'slack', conversation: 'D-U7' });
    await h.grant('U7', 'developer', 'Sam', 'slack');
    await runAdminCommand(h.bot.admin, 'users.link', { identity: 'slack:U7', other: 'telegram:777' });
    await runAdminCommand(h.bot.admin, 'users.prefer', { identity: 'slack:U7', channel: 'telegram' });
    await h.say('U7', 'remind me to call Globex at 5pm', { channel: 'slack', conversation: 'D-U7' });
    telegram.sent = [];
    await h.clock.set(Date.parse('2026-03-02T17:00:00Z'));
    await waitFor(() => telegram.sent.length === 1);
    expect(telegram.sent[0]).toMatchObject({ conversation: '777', text: expect.stringMatching(/^⏰ Reminder: #1 call Globex/) });
    expect(slack.texts('D-U7').filter((t) => t.startsWith('⏰'))).toEqual([]);
  });

  it('merges a person who already wrote from the other channel', async () => {
    await h.say('U1', 'remind me to tidy up at 5pm', { channel: 'slack', conversation: 'D-U1' });
    const result = (await runAdminCommand(h.bot.admin, 'users.link', { identity: 'slack:U1', other: 'telegram:42' })) as { identities: string[] };
    expect(result.identities.sort()).toEqual(['slack:U1', 'telegram:42']);
    const people = await h.bot.people.list();
    expect(people.filter((p) => p.identities.some((i) => i.externalId === 'U1' || i.externalId === '42'))).toHaveLength(1);
    await expect(runAdminCommand(h.bot.admin, 'users.prefer', { identity: 'slack:U1', channel: 'whatsapp' })).rejects.toThrow(/has no whatsapp identity/);
  });
});

describe('a message that cannot reach a WhatsApp client', () => {
  it('is recorded as failed and the admins are told, with the reason', async () => {
    class WindowClosed extends ChannelSendError {
      override readonly reason = 'window_closed';
    }
    const whatsapp = new RecordingChannel('whatsapp');
    const harness = await AgentHarness.open(understander, {}, [whatsapp]);
    try {
      await harness.reset();
      await harness.grant('boss', 'admin', 'Boss');
      await harness.say('boss', 'hello');
      whatsapp.send = async () => {
        throw new WindowClosed("Not sent: WhatsApp's 24-hour customer-service window is closed.", 'whatsapp', false);
      };
      const reply = await harness.say('447700900123', 'hello', { channel: 'whatsapp' });
      expect(reply).toMatch(/^Hello/);
      const { rows } = await harness.stores.db.query<{ status: string }>(`SELECT m.status FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'whatsapp' AND m.direction = 'out'`);
      expect(rows).toEqual([{ status: 'failed' }]);
      const boss = (await harness.bot.conversations.find('webchat', 'boss'))!;
      const notices = (await harness.bot.messages.history(boss.id)).filter((m) => m.kind === 'notification').map((m) => m.text);
      expect(notices).toEqual([expect.stringMatching(/^⚠️ A WhatsApp message to a client was not sent: Not sent: WhatsApp's 24-hour[\s\S]*It said: "Hello/)]);
    } finally {
      await harness.close();
    }
  });
});

describe('flood protection', () => {
  it('answers the first messages, then says once to slow down and records the rest without handling them', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 9; i++) replies.push(await h.say('U1', `hello ${i}`, { channel: 'slack', conversation: 'D-U1' }));
    expect(replies.slice(0, 5).every((r) => r.startsWith('Hello'))).toBe(true);
    expect(replies[5]).toMatch(/^You're sending messages faster than I can handle them/);
    expect(replies.slice(6)).toEqual(['', '', '']);
    const { rows } = await h.stores.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM messages WHERE direction = 'in' GROUP BY status ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'answered', n: 5 },
      { status: 'rate_limited', n: 4 },
    ]);
    await h.clock.advance(60_000);
    expect(await h.say('U1', 'hello again', { channel: 'slack', conversation: 'D-U1' })).toMatch(/^Hello/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
