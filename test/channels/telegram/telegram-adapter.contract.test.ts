import type { RawRequest } from '../../../channels/index.js';
import { createTelegramChannel, TELEGRAM_WEBHOOK_PATH } from '../../../channels/telegram/index.js';
import { TelegramFake } from '../../support/fakes/telegram/index.js';
import { testConfig } from '../../support/test-config.js';
import { channelAdapterContract, contractDeps } from '../channel-adapter.contract.js';

const SECRET = 'tg_contract-secret-0123456789';
const ANA = TelegramFake.user(4444444, 'Ana', { username: 'ana_contract' });

const update = (body: unknown, secret = SECRET): RawRequest => ({
  method: 'POST',
  path: TELEGRAM_WEBHOOK_PATH,
  headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
  query: {},
  rawBody: Buffer.from(JSON.stringify(body)),
});

channelAdapterContract('telegram', async () => {
  const fake = await new TelegramFake().start();
  const config = testConfig({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, TELEGRAM_MODE: 'webhook' });
  const adapter = createTelegramChannel(config.telegram!, contractDeps());
  const text = (body: string) => fake.message({ chat: TelegramFake.privateChat(ANA), from: ANA, text: body });
  return {
    adapter,
    requests: {
      good: (body) => update(text(body)),
      forged: (body) => update(text(body), 'tg_not-the-secret-000000'),
      malformed: () => update({ update_id: 'not a number', message: [] }),
      // Telegram's ids are numbers; the callback query id is the identifier it sends as a string.
      unstorableId: () =>
        update(fake.update({ callback_query: { id: 'cb\u0000id', from: ANA, message: { message_id: 1, chat: TelegramFake.privateChat(ANA), date: 0 }, data: 'cancel' } })),
    },
    conversation: String(ANA.id),
    received: () => fake.sentTo(ANA.id).map((sent) => sent.text),
    givesMessageId: true,
    media: async (size) => ({ kind: 'voice', fileRef: fake.addFile(Buffer.alloc(size, 1)).file_id }),
    close: async () => {
      await adapter.stop();
      await fake.stop();
    },
  };
});
