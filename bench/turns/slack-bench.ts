import { createHmac } from 'node:crypto';
import { eventCallback, FAKE_SLACK_SIGNING_SECRET, messageEvent, SlackFake } from '../../test/support/fakes/slack/index.js';
import type { ChannelBench } from './run-turn-bench.js';

/** One direct-message channel (`D…`) and one person (`U…`) per benchmark chat, far from the tests' own ids. */
const PREFIX = 9_000_000;
const channelId = (chat: number) => `D${PREFIX + chat}`;
const userId = (chat: number) => `U${PREFIX + chat}`;
const token = new SlackFake().botToken;

/**
 * Slack: Events API `message` events in direct messages (unique event ids and `ts`), signed as Slack
 * signs them (`v0=HMAC-SHA256(signing secret, "v0:{timestamp}:{body}")`); replies through
 * chat.postMessage on the Web API fake.
 */
export const slackBench: ChannelBench = {
  name: 'slack',
  async startFake(onReply) {
    const fake = await new SlackFake().start();
    fake.onPosted.push((post) => {
      if (/^D\d+$/.test(post.channel)) onReply(Number(post.channel.slice(1)) - PREFIX);
    });
    // The Web API base URL, `…/api/`, as SLACK_API_URL and Bolt's `slackApiUrl` take it.
    return { url: fake.url, stop: () => fake.stop() };
  },
  serviceEnv: (fakeUrl) => ({
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET,
    SLACK_API_URL: fakeUrl,
  }),
  identity: (chat) => ({ channel: 'slack', externalId: userId(chat) }),
  request(chat, sequence, text) {
    // A Slack ts is unique within a channel: seconds, then the message's place in the run.
    const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
    const body = JSON.stringify(eventCallback(messageEvent({ channel: channelId(chat), user: userId(chat), text, ts, channel_type: 'im' })));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', FAKE_SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return {
      path: '/webhooks/slack/events',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
      },
      body,
    };
  },
  bareBot: {
    script: 'bench/turns/bare-bolt-app.ts',
    env: (fakeUrl) => ({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET, SLACK_API_URL: fakeUrl }),
    webhookPath: '/slack/events',
  },
};
