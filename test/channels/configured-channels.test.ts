import { describe, expect, it } from 'vitest';
import { configuredChannels, type ChannelDeps } from '../../channels/index.js';
import { silentLogger, SystemClock } from '../../core/index.js';
import { testConfig } from '../support/test-config.js';

const deps: ChannelDeps = {
  logger: silentLogger(),
  clock: new SystemClock(),
  lastInboundAt: async () => undefined,
  recordDeliveryStatus: async () => false,
};

describe('the channels a config turns on (their modules loaded only when configured)', () => {
  it('none but the web chat (built by the bot) without credentials', async () => {
    expect((await configuredChannels(testConfig()))(deps)).toEqual([]);
  });

  it('Telegram with its token and secret, Slack with its tokens, each once', async () => {
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: '7000000001:AAFakeTelegramTokenForTests_0123456789',
      TELEGRAM_WEBHOOK_SECRET: 'tg_secret-0123456789',
      TELEGRAM_MODE: 'webhook',
      SLACK_BOT_TOKEN: 'xoxb-1-2-abcdefabcdefabcdef',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    });
    const channels = (await configuredChannels(config))(deps);
    expect(channels.map((c) => c.name).sort()).toEqual(['slack', 'telegram']);
  });
});
