import { createHmac } from 'node:crypto';
import type { RawRequest } from '../../../channels/index.js';
import { createSlackChannel, SLACK_WEBHOOK_PATHS } from '../../../channels/slack/index.js';
import { eventCallback, FAKE_SLACK_SIGNING_SECRET, messageEvent, SlackFake } from '../../support/fakes/slack/index.js';
import { testConfig } from '../../support/test-config.js';
import { channelAdapterContract, contractDeps } from '../channel-adapter.contract.js';

const DM = 'D0CONTRACT1';

function signed(body: string, secret = FAKE_SLACK_SIGNING_SECRET): RawRequest {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const headers = { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
  return { method: 'POST', path: SLACK_WEBHOOK_PATHS.events, headers, query: {}, rawBody: Buffer.from(body) };
}
const dm = (text: string, user = 'U0CONTRACT1') => JSON.stringify(eventCallback(messageEvent({ channel: DM, user, text })));

channelAdapterContract('slack', async () => {
  const fake = await new SlackFake().start();
  const config = testConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET, SLACK_API_URL: fake.url });
  const adapter = createSlackChannel(config.slack!, contractDeps());
  return {
    adapter,
    requests: {
      good: (text) => signed(dm(text)),
      forged: (text) => signed(dm(text), 'not-the-signing-secret-000000'),
      malformed: () => signed(JSON.stringify({ type: 'event_callback', event: 'not an event' })),
      unstorableId: () => signed(dm('hello', 'U0CON\u0000TRACT')),
    },
    conversation: DM,
    received: () => fake.postsIn(DM).map((post) => post.text ?? ''),
    givesMessageId: true,
    media: async (size) => {
      const id = `F0${size}CONTRACT`;
      fake.addFile({ id, name: 'note.webm', mimetype: 'audio/webm', bytes: Buffer.alloc(size, 1) });
      return { kind: 'voice', fileRef: id };
    },
    close: () => fake.stop(),
  };
});
