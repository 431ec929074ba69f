import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../bot/service.js';
import { createSlackChannel } from '../../channels/slack/index.js';
import { createTelegramChannel } from '../../channels/telegram/index.js';
import { silentLogger } from '../../core/logger.js';
import { FAKE_SLACK_SIGNING_SECRET, SlackFake, SlackWebhookSender } from '../support/fakes/slack/index.js';
import { appMentionEvent, slackTs } from '../support/fakes/slack/slack-payloads.js';
import { TelegramFake } from '../support/fakes/telegram/index.js';
import { tempDataDir } from '../support/spawn-service.js';
import { StubUnderstander } from '../support/stub-understander.js';
import { testConfig } from '../support/test-config.js';

/**
 * One event, two subscribed chats on two platforms, one platform failing: through the real Slack and
 * Telegram adapters against their fakes. The Slack channel gets it; the Telegram delivery is tried
 * again with backoff and then recorded as failed, and nothing is lost silently.
 */
const SECRET = 'tg_fanout-secret-0123456789';
const ANA_SLACK = 'U0ANA00001';
const OPS = 'C0OPS00001';
const ANA_TG = TelegramFake.user(1111111, 'Ana');

describe('notification fan-out to Slack and Telegram, with Telegram failing', () => {
  let slackFake: SlackFake;
  let telegramFake: TelegramFake;
  let service: RunningService;
  let slack: SlackWebhookSender;

  beforeAll(async () => {
    slackFake = await new SlackFake().start();
    telegramFake = await new TelegramFake().start();
    const config = testConfig({
      DATA_DIR: tempDataDir(),
      SLACK_BOT_TOKEN: slackFake.botToken,
      SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackFake.url,
      TELEGRAM_BOT_TOKEN: telegramFake.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegramFake.url,
    });
    service = await startService({
      config,
      logger: silentLogger(),
      understander: new StubUnderstander([[/notify (?:me|us) here when deploys fail/i, 'notify.subscribe', { events: ['deploy.failed'] }]]),
      channels: (deps) => [createSlackChannel(config.slack!, deps), createTelegramChannel(config.telegram!, deps)],
    });
    slack = new SlackWebhookSender(service.url, FAKE_SLACK_SIGNING_SECRET, slackFake.botUserId);
    await service.bot.people.grant('slack', ANA_SLACK, 'developer');
    await service.bot.people.grant('telegram', String(ANA_TG.id), 'developer');
  });
  afterAll(async () => {
    await service?.stop();
    await slackFake?.stop();
    await telegramFake?.stop();
  });

  it('reaches the Slack channel and records the Telegram failure after retrying', async () => {
    // Subscribe a Slack channel (by mention) and a Telegram chat.
    const ts = slackTs();
    await slack.event(appMentionEvent({ channel: OPS, user: ANA_SLACK, text: `<@${slackFake.botUserId}> notify us here when deploys fail`, ts }));
    await slackFake.waitForPosts(1, (p) => p.channel === OPS);
    const chat = TelegramFake.privateChat(ANA_TG);
    const post = await fetch(`${service.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(telegramFake.message({ chat, from: ANA_TG, text: 'notify me here when deploys fail' })),
    });
    expect(post.status).toBe(200);
    expect((await telegramFake.waitForSent(ANA_TG.id, 1))[0]!.text).toMatch(/^Done: this chat will get notifications about deploys failing/);

    // Telegram's API now fails every send.
    telegramFake.serverError('sendMessage', 10);
    const started = Date.now();
    await service.bot.notifications.publish({ id: 'deploy.failed:fanout-1', type: 'deploy.failed', text: 'Deploy of soarix-web to production failed: health check timed out.' });

    const [failed] = (await slackFake.waitForPosts(1, (p) => p.channel === OPS && (p.text ?? '').startsWith('Deploy of soarix-web'))).slice(-1);
    expect(failed!.text).toBe('Deploy of soarix-web to production failed: health check timed out.');
    // Three retries with backoff before giving up (equal jitter: at least half of 500 ms, 1 s, 2 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(250 + 500 + 1_000);
    expect(telegramFake.callsTo('sendMessage').filter((c) => c.status === 500).length).toBe(4);

    const { rows } = await service.stores.db.query<{ channel: string; status: string }>(
      `SELECT c.channel, d.status FROM notification_deliveries d JOIN conversations c ON c.id = d.conversation_id WHERE d.event_id = 'deploy.failed:fanout-1' ORDER BY c.channel`,
    );
    expect(rows).toEqual([
      { channel: 'slack', status: 'sent' },
      { channel: 'telegram', status: 'failed' },
    ]);
    const kept = await service.stores.db.query<{ status: string; error: string }>(
      `SELECT m.status, m.error FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'telegram' AND m.kind = 'notification'`,
    );
    expect(kept.rows).toEqual([{ status: 'failed', error: expect.any(String) }]);
  });
});
