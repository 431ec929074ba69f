import { startService, type RunningService } from '../../../bot/service.js';
import { createSlackChannel } from '../../../channels/slack/index.js';
import { silentLogger } from '../../../core/logger.js';
import type { Understander } from '../../../intents/index.js';
import { FAKE_SLACK_SIGNING_SECRET, SlackFake, SlackWebhookSender } from '../../support/fakes/slack/index.js';
import { tempDataDir } from '../../support/spawn-service.js';
import { StubUnderstander } from '../../support/stub-understander.js';
import { testConfig } from '../../support/test-config.js';

/** Slack users of the end-to-end tests. */
export const ANA = 'U0ANA00001';
export const BOB = 'U0BOB00001';
export const BOSS = 'U0BOSS0001';
export const OPS = 'C0OPS00001';
export const ANA_DM = 'D0ANA00001';
export const BOB_DM = 'D0BOB00001';

/** What "the model" understands in these tests: deterministic, and aware of the slash-command word. */
export function slackUnderstander(): StubUnderstander {
  return new StubUnderstander([
    [/^(hi|hello)\b/i, 'greeting'],
    [/^help\b/i, 'help'],
    [/^(cancel|never ?mind|stop)\b/i, 'cancel'],
    [/^(?:task )?remind me to (.+)$/i, 'task.create', { title: '$1' }],
    [/^(?:task )?(?:list|my tasks)\b/i, 'task.list'],
    [/^(?:task )?delete task (\d+)/i, 'task.delete', { title: '$1' }],
  ]);
}

export interface SlackService {
  service: RunningService;
  fake: SlackFake;
  /** Signs and POSTs to the service as Slack does. */
  slack: SlackWebhookSender;
  /** Rows in the messages table (both directions). */
  messageRows(): Promise<number>;
  /** Inbound rows whose text is `text`. */
  inboundWithText(text: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The real service in-process (embedded database in a temporary folder, real HTTP server) with the
 * Slack channel pointed at a fresh Slack fake, as `npm start` would run it with SLACK_* set.
 */
export async function startSlackService(options: { understander?: Understander; env?: Record<string, string> } = {}): Promise<SlackService> {
  const fake = await new SlackFake().start();
  const config = testConfig({
    DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    // A test sends a burst of messages as one person; the flood limit is not what these tests are about.
    RATE_LIMIT_PER_USER_PER_MINUTE: '1000',
    RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '1000',
    ...options.env,
  });
  let service: RunningService;
  try {
    service = await startService({
      config,
      logger: silentLogger(),
      understander: options.understander ?? slackUnderstander(),
      channels: (deps) => [createSlackChannel(config.slack!, deps)],
    });
  } catch (error) {
    await fake.stop();
    throw error;
  }
  const count = async (sql: string, params: unknown[] = []) => Number((await service.stores.db.query<{ n: string }>(sql, params)).rows[0]!.n);
  return {
    service,
    fake,
    slack: new SlackWebhookSender(service.url, FAKE_SLACK_SIGNING_SECRET, fake.botUserId),
    messageRows: () => count('SELECT count(*) AS n FROM messages'),
    inboundWithText: (text) => count(`SELECT count(*) AS n FROM messages WHERE direction = 'in' AND text = $1`, [text]),
    async stop() {
      await service.stop();
      await fake.stop();
    },
  };
}

/** Lets background work settle, for tests that check that nothing happened. */
export function settle(ms = 400): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
