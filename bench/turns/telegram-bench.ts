import { TelegramFake } from '../../test/support/fakes/telegram/index.js';
import type { ChannelBench } from './run-turn-bench.js';

const SECRET = 'tg_bench-secret-0123456789';
/** Chat ids far from the tests' own, one private chat per benchmark person. */
const chatId = (chat: number) => 900_000_000 + chat;

/** Telegram: webhooks with the secret-token header; replies through sendMessage on the Bot API fake. */
export const telegramBench: ChannelBench = {
  name: 'telegram',
  async startFake(onReply) {
    const fake = await new TelegramFake().start();
    fake.onSent.push((message) => onReply(Number(message.chat_id) - 900_000_000));
    return {
      url: fake.url,
      stop: () => fake.stop(),
    };
  },
  serviceEnv: (fakeUrl) => ({
    TELEGRAM_BOT_TOKEN: new TelegramFake().token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fakeUrl,
    TELEGRAM_MODE: 'webhook',
  }),
  displayName: (chat) => `Bench${chat}`,
  identity: (chat) => ({ channel: 'telegram', externalId: String(chatId(chat)) }),
  request(chat, sequence, text) {
    const id = chatId(chat);
    const update = {
      update_id: 1_000_000 + sequence,
      message: {
        message_id: sequence + 1,
        from: { id, is_bot: false, first_name: `Bench${chat}`, language_code: 'en' },
        chat: { id, type: 'private', first_name: `Bench${chat}` },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    };
    return {
      path: '/webhooks/telegram',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    };
  },
  bareBot: {
    script: 'bench/turns/bare-grammy-bot.ts',
    env: (fakeUrl) => ({ BOT_TOKEN: new TelegramFake().token, API_ROOT: fakeUrl, SECRET }),
    webhookPath: '/',
  },
};
