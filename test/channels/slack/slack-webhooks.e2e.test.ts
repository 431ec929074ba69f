import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, messageEvent, slashCommand } from '../../support/fakes/slack/index.js';
import { ANA, ANA_DM, settle, startSlackService, type SlackService } from './slack-service-harness.js';

/** What the Slack webhooks refuse, and what happens when Slack refuses our replies. */

let h: SlackService;

beforeAll(async () => {
  h = await startSlackService();
  await h.service.bot.people.grant('slack', ANA, 'developer');
});

afterAll(async () => {
  await h?.stop();
});

/** The status of the reply to the inbound message `text`, once delivery has finished one way or the other. */
async function replyStatus(text: string, timeoutMs = 20_000): Promise<{ status: string; error: string | null; platform_message_id: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await h.service.stores.db.query<{ status: string; error: string | null; platform_message_id: string | null }>(
      `SELECT o.status, o.error, o.platform_message_id FROM messages o JOIN messages i ON o.in_reply_to = i.id
       WHERE i.direction = 'in' AND i.text = $1 AND o.direction = 'out'`,
      [text],
    );
    // Finished: neither waiting for the outbox (pending) nor mid-attempt (sending).
    if (rows[0] && rows[0].status !== 'pending' && rows[0].status !== 'sending') return rows[0];
    if (Date.now() > deadline) throw new Error(`no delivery outcome for "${text}" after ${timeoutMs} ms: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('what the Slack webhooks accept', () => {
  it('refuses forged, unsigned and stale requests with 401 and stores nothing', async () => {
    const before = await h.messageRows();
    const event = messageEvent({ channel: ANA_DM, user: ANA, text: 'remind me to wire the money' });
    const forged = await h.slack.event(event, { secret: 'not-the-signing-secret' });
    const unsigned = await h.slack.event(event, { signature: null });
    const stale = await h.slack.event(event, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const command = await h.slack.command(slashCommand({ command: '/task', text: 'remind me to wire the money', channel_id: ANA_DM, user_id: ANA }), { secret: 'forged' });
    for (const answer of [forged, unsigned, stale, command]) {
      expect(answer.status).toBe(401);
      expect(answer.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    await settle();
    expect(await h.messageRows()).toBe(before);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('refuses malformed bodies with 400 and stores nothing; answers url_verification with its challenge', async () => {
    const before = await h.messageRows();
    const noUser = { ...messageEvent({ channel: ANA_DM, user: ANA, text: 'hello' }) };
    delete noUser.user;
    const answers = await Promise.all([
      h.slack.post('/webhooks/slack/events', 'this is not json', { contentType: 'application/json' }),
      h.slack.envelope({ token: 'XXYYZZ' }),
      h.slack.envelope({ type: 'event_callback' }),
      h.slack.envelope(eventCallback(noUser)),
      h.slack.post('/webhooks/slack/commands', JSON.stringify({ command: '/task', text: 'list' }), { contentType: 'application/json' }),
      h.slack.post('/webhooks/slack/commands', 'command=%2Ftask&text=list', { contentType: 'application/x-www-form-urlencoded' }),
      h.slack.post('/webhooks/slack/interactivity', 'nothing=here', { contentType: 'application/x-www-form-urlencoded' }),
      h.slack.post('/webhooks/slack/interactivity', `payload=${encodeURIComponent('{"type":')}`, { contentType: 'application/x-www-form-urlencoded' }),
    ]);
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json()).toMatchObject({ error: { code: 'bad_request' } });
    }
    await settle();
    expect(await h.messageRows()).toBe(before);

    const challenge = await h.slack.envelope({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    expect(challenge).toMatchObject({ status: 200, text: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect(challenge.contentType).toMatch(/^text\/plain/);
  });
});

describe('when Slack refuses a reply', () => {
  it('retries after 429 (Retry-After: 1) and then 500, and records the reply as sent', async () => {
    h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 }).fail('chat.postMessage', { status: 500 });
    const started = Date.now();
    await h.slack.event(messageEvent({ channel: ANA_DM, user: ANA, text: 'remind me to pay the hosting bill' }));
    const outcome = await replyStatus('remind me to pay the hosting bill');
    expect(outcome.status).toBe('sent');
    const [posted] = h.fake.postsIn(ANA_DM).filter((p) => /pay the hosting bill/.test(p.text ?? ''));
    expect(outcome.platform_message_id).toBe(posted!.ts);
    expect(h.fake.callsOf('chat.postMessage').slice(-3).map((c) => c.outcome)).toEqual(['ratelimited', 'HTTP 500', 'ok']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // Retry-After was honoured
  });

  it('records the reply as failed when Slack keeps answering 500', async () => {
    h.fake.fail('chat.postMessage', { status: 500 }, 10);
    await h.slack.event(messageEvent({ channel: ANA_DM, user: ANA, text: 'remind me to renew the domain' }));
    const outcome = await replyStatus('remind me to renew the domain');
    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 500/), platform_message_id: null });
    expect(h.fake.postsIn(ANA_DM).filter((p) => /renew the domain/.test(p.text ?? ''))).toHaveLength(0);
  });
});
