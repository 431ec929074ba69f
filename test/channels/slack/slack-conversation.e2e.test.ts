import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMentionEvent, messageEvent, slackTs, slashCommand } from '../../support/fakes/slack/index.js';
import { ANA, ANA_DM, OPS, settle, startSlackService, type SlackService } from './slack-service-harness.js';

/** The running service with the Slack channel: messages in through signed webhooks, replies out to the fake. */

let h: SlackService;

beforeAll(async () => {
  h = await startSlackService();
  await h.service.bot.people.grant('slack', ANA, 'developer');
});

afterAll(async () => {
  await h?.stop();
});

describe('talking to the bot on Slack', () => {
  it('answers a direct message in the DM, and a mention in a channel in its thread, where plain replies are then read', async () => {
    const dm = await h.slack.event(messageEvent({ channel: ANA_DM, user: ANA, text: 'remind me to call John' }));
    expect(dm).toMatchObject({ status: 200, text: '' });
    const [answer] = await h.fake.waitForPosts(1, (p) => p.channel === ANA_DM);
    expect(answer).toMatchObject({ text: expect.stringMatching(/^Task #1 created: call John\./), thread_ts: undefined });

    const ts = slackTs();
    expect((await h.slack.event(appMentionEvent({ channel: OPS, user: ANA, text: `<@${h.fake.botUserId}> my tasks`, ts }))).status).toBe(200);
    const [inThread] = await h.fake.waitForPosts(1, (p) => p.channel === OPS && p.thread_ts === ts);
    expect(inThread!.text).toMatch(/^You have 1 open task:\n• #1 call John/);

    // In the thread the bot answered in, a reply needs no mention.
    await h.slack.event(messageEvent({ channel: OPS, user: ANA, text: 'remind me to water the plants', thread_ts: ts }));
    const thread = await h.fake.waitForPosts(2, (p) => p.channel === OPS && p.thread_ts === ts);
    expect(thread[1]!.text).toMatch(/^Task #2 created: water the plants\./);

    // Channel chatter that does not mention the bot is acknowledged, not read, not stored.
    expect((await h.slack.event(messageEvent({ channel: OPS, user: ANA, text: 'lunch at noon?' }))).status).toBe(200);
    await settle();
    expect(await h.inboundWithText('lunch at noon?')).toBe(0);
    expect(h.fake.postsIn(OPS)).toHaveLength(2);
  });

  it('acts once and answers once for a Slack retry, and for a message delivered as message and app_mention', async () => {
    const event = messageEvent({ channel: ANA_DM, user: ANA, text: 'remind me to send the invoice' });
    // The first delivery and a retry racing it, then a late retry after the answer.
    const [first, racing] = await Promise.all([h.slack.event(event), h.slack.event(event, { retryNum: 1, retryReason: 'http_timeout' })]);
    expect([first.status, racing.status]).toEqual([200, 200]);
    await h.fake.waitForPosts(1, (p) => /send the invoice/.test(p.text ?? ''));
    expect((await h.slack.event(event, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);

    const ts = slackTs();
    const text = `<@${h.fake.botUserId}> remind me to book the venue`;
    await Promise.all([
      h.slack.event(appMentionEvent({ channel: OPS, user: ANA, text, ts })),
      h.slack.event(messageEvent({ channel: OPS, user: ANA, text, ts })),
    ]);
    await h.fake.waitForPosts(1, (p) => /book the venue/.test(p.text ?? ''));
    await settle();

    expect(h.fake.posted.filter((p) => /send the invoice/.test(p.text ?? ''))).toHaveLength(1);
    expect(h.fake.posted.filter((p) => /book the venue/.test(p.text ?? ''))).toHaveLength(1);
    const { rows } = await h.service.stores.db.query<{ title: string }>(`SELECT title FROM tasks WHERE title IN ('send the invoice', 'book the venue')`);
    expect(rows.map((r) => r.title).sort()).toEqual(['book the venue', 'send the invoice']);
    expect(await h.inboundWithText('remind me to send the invoice')).toBe(1);
  });

  it('gives a Slack user it does not know a pairing code', async () => {
    await h.slack.event(messageEvent({ channel: 'D0STRANGE1', user: 'U0STRANGE1', text: 'remind me to look around' }));
    const [reply] = await h.fake.waitForPosts(1, (p) => p.channel === 'D0STRANGE1');
    expect(reply!.text).toMatch(/^I don't know you yet\. Ask an admin to approve your pairing code [A-Z2-9]{8}/);
  });

  it('runs /task and /switchboard help: acknowledged privately at once, answered in the channel', async () => {
    const task = await h.slack.command(slashCommand({ command: '/task', text: 'remind me to renew the SSL certificate', channel_id: OPS, user_id: ANA }));
    expect(task.status).toBe(200);
    expect(task.contentType).toMatch(/^application\/json/);
    expect(task.json()).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/^On it: `\/task remind me to renew the SSL certificate`/) });
    const [created] = await h.fake.waitForPosts(1, (p) => p.channel === OPS && /renew the SSL certificate/.test(p.text ?? ''));
    expect(created).toMatchObject({ thread_ts: undefined, text: expect.stringMatching(/^Task #\d+ created: renew the SSL certificate\./) });

    const help = await h.slack.command(slashCommand({ command: '/switchboard', text: 'help', channel_id: ANA_DM, user_id: ANA }));
    expect(help.json()).toMatchObject({ response_type: 'ephemeral' });
    const [helpReply] = await h.fake.waitForPosts(1, (p) => p.channel === ANA_DM && /Here is what you can ask me/.test(p.text ?? ''));
    expect(helpReply!.text).toMatch(/^Here is what you can ask me \(as developer\):\n• /);
  });
});
