import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../bot/service.js';
import { createSlackChannel } from '../../channels/slack/index.js';
import { createTelegramChannel } from '../../channels/telegram/index.js';
import { silentLogger } from '../../core/logger.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { FAKE_SLACK_SIGNING_SECRET, SlackFake, SlackWebhookSender } from '../support/fakes/slack/index.js';
import { appMentionEvent, messageEvent, slackTs, slashCommand } from '../support/fakes/slack/slack-payloads.js';
import { TelegramFake } from '../support/fakes/telegram/index.js';
import { tempDataDir } from '../support/spawn-service.js';
import { testConfig } from '../support/test-config.js';

/**
 * A production deploy across channels, through the real Slack and Telegram adapters against their fakes
 * and the real offline understanding: `/deploy soarix-web production` in a Slack channel → the
 * restatement with what is live → the phrase typed by an admin → progress where it was asked →
 * `deploy.live` on the Telegram chat that subscribed. soarix-web has no configured target, so the
 * sandbox providers run it and every reply says SANDBOX.
 */
const SECRET = 'tg_deploy-secret-0123456789';
const ANA = 'U0ANA00001';
const BOSS = 'U0BOSS0001';
const OPS = 'C0OPS00001';
const ANA_TG = TelegramFake.user(2222222, 'Ana');

describe('deploying from Slack, told on Telegram', () => {
  let slackFake: SlackFake;
  let telegramFake: TelegramFake;
  let service: RunningService;
  let slack: SlackWebhookSender;

  beforeAll(async () => {
    slackFake = await new SlackFake().start();
    telegramFake = await new TelegramFake().start();
    const config = testConfig({
      DATA_DIR: tempDataDir(),
      APPS: 'soarix-web,acme-shop',
      SLACK_BOT_TOKEN: slackFake.botToken,
      SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackFake.url,
      TELEGRAM_BOT_TOKEN: telegramFake.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegramFake.url,
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000',
      RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '1000',
      NOTIFY_PER_CHAT_PER_MINUTE: '100',
    });
    service = await startService({
      config,
      logger: silentLogger(),
      understander: OfflineUnderstander.train(),
      channels: (deps) => [createSlackChannel(config.slack!, deps), createTelegramChannel(config.telegram!, deps)],
    });
    slack = new SlackWebhookSender(service.url, FAKE_SLACK_SIGNING_SECRET, slackFake.botUserId);
    await service.bot.people.grant('slack', ANA, 'developer');
    await service.bot.people.grant('slack', BOSS, 'admin');
    await service.bot.people.grant('telegram', String(ANA_TG.id), 'developer');
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await slackFake?.stop();
    await telegramFake?.stop();
  });

  const telegram = async (text: string) => {
    const post = await fetch(`${service.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(telegramFake.message({ chat: TelegramFake.privateChat(ANA_TG), from: ANA_TG, text })),
    });
    expect(post.status).toBe(200);
  };
  const inOps = (pattern: RegExp, thread?: string) => (p: { channel: string; text?: string; thread_ts?: string }) =>
    p.channel === OPS && pattern.test(p.text ?? '') && (thread === undefined ? !p.thread_ts : p.thread_ts === thread);

  it('slash command → restatement → phrase → progress in the channel → deploy.live on Telegram; then again in a thread', { timeout: 90_000 }, async () => {
    await telegram('notify me here when deploys go live');
    expect((await telegramFake.waitForSent(ANA_TG.id, 1))[0]!.text).toMatch(/^Done: this chat will get notifications about deploys going live/);

    // /deploy in the channel: the restatement says what is live (nothing yet) and the phrase
    const ack = await slack.command(slashCommand({ command: '/deploy', text: 'soarix-web production', channel_id: OPS, user_id: ANA }));
    expect(ack.status).toBe(200);
    const [prompt] = await slackFake.waitForPosts(1, inOps(/CONFIRM DEPLOY SOARIX-WEB PRODUCTION/));
    expect(prompt!.text).toMatch(/^SANDBOX: Deploy soarix-web to production: main, built first/);
    expect(prompt!.text).toContain('Nothing is live on production yet.');

    // the developer who asked cannot confirm a production deploy; the admin can, answering in the channel
    await slack.command(slashCommand({ command: '/switchboard', text: 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION', channel_id: OPS, user_id: ANA }));
    await slackFake.waitForPosts(1, inOps(/^Only an owner or an admin can confirm this\.$/));
    await slack.command(slashCommand({ command: '/switchboard', text: 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION', channel_id: OPS, user_id: BOSS }));
    await slackFake.waitForPosts(1, inOps(/^SANDBOX: Started deploying main of soarix-web to production \(run #[0-9a-f]{8}\)/));
    await slackFake.waitForPosts(1, inOps(/^SANDBOX: soarix-web production \(run #[0-9a-f]{8}\): checkout…$/));
    const [live] = await slackFake.waitForPosts(1, inOps(/^SANDBOX: ✅ soarix-web is live on production: [0-9a-f]{7}/), 30_000);
    const commit = /live on production: ([0-9a-f]{7})/.exec(live!.text!)![1]!;

    const told = await telegramFake.waitForSent(ANA_TG.id, 2, 15_000);
    expect(told[1]!.text).toMatch(new RegExp(`^SANDBOX: ✅ soarix-web is live on production: ${commit} \\(run #[0-9a-f]{8}, by `));

    // Asked in a thread: the restatement names what is live now, the phrase is typed in the thread, progress stays there
    const request = slackTs();
    await slack.event(appMentionEvent({ channel: OPS, user: ANA, text: `<@${slackFake.botUserId}> deploy soarix-web to production`, ts: request }));
    const [again] = await slackFake.waitForPosts(1, inOps(/CONFIRM DEPLOY SOARIX-WEB PRODUCTION/, request));
    expect(again!.text).toMatch(new RegExp(`Live there now: ${commit} since .+, deployed by `));
    expect(again!.text).toContain(`What changes: ${commit} → ${commit}.\n${commit} is already live there: this deploys it again.`);
    await slack.event(messageEvent({ channel: OPS, user: BOSS, text: 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION', thread_ts: request }));
    await slackFake.waitForPosts(1, inOps(/^SANDBOX: Started deploying/, request));
    await slackFake.waitForPosts(1, inOps(/^SANDBOX: ✅ soarix-web is live on production/, request), 30_000);
    await telegramFake.waitForSent(ANA_TG.id, 3, 15_000);
  });
});
