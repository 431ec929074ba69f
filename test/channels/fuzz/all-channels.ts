import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createBot, type Bot } from '../../../bot/create-bot.js';
import { createServiceHttpServer } from '../../../bot/service.js';
import { createSlackChannel } from '../../../channels/slack/index.js';
import { createTelegramChannel } from '../../../channels/telegram/index.js';
import { createWhatsAppChannel } from '../../../channels/whatsapp/index.js';
import { SystemClock } from '../../../core/clock.js';
import { createLogger } from '../../../core/logger.js';
import type { Stores } from '../../../store/open-stores.js';
import { FAKE_SLACK_SIGNING_SECRET, SlackFake } from '../../support/fakes/slack/index.js';
import { TelegramFake } from '../../support/fakes/telegram/index.js';
import { FAKE_WHATSAPP, signMetaPayload, WhatsAppGraphFake } from '../../support/fakes/whatsapp/index.js';
import { GreetingHandler } from '../../support/greeting-handler.js';
import { memoryStores } from '../../support/memory-stores.js';
import { testConfig } from '../../support/test-config.js';

export const TELEGRAM_SECRET = 'tg_fuzz-secret-0123456789';

/** Rows the accept phase of the pipeline writes; a refused request must leave all four unchanged. */
export interface RowCounts {
  people: number;
  identities: number;
  conversations: number;
  inbound: number;
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * The service's real HTTP server (`createServiceHttpServer`, every route and error handler as in
 * production) on the embedded PGlite in memory, with Slack, Telegram and WhatsApp Cloud adapters
 * pointed at their fakes and the web chat and converse API on. Requests go through Fastify's
 * `inject` (the whole request path, without a socket). Error-level log lines are kept in `errors`.
 */
export interface AllChannels {
  app: FastifyInstance;
  bot: Bot;
  stores: Stores;
  telegramFake: TelegramFake;
  /** Error-level log lines, parsed. */
  errors: Record<string, unknown>[];
  counts(): Promise<RowCounts>;
  /** Bodies are sent as given (a Buffer byte for byte) and signed over those exact bytes. */
  slackEvents(body: string | Buffer, options?: { retryNum?: number }): Promise<Answer>;
  slackCommand(body: string): Promise<Answer>;
  slackInteraction(body: string): Promise<Answer>;
  telegram(body: string | Buffer): Promise<Answer>;
  whatsapp(body: string | Buffer): Promise<Answer>;
  converse(body: string | Buffer): Promise<Answer>;
  webchatMessage(body: string | Buffer): Promise<Answer>;
  webchatVoice(bytes: Buffer, contentType: string): Promise<Answer>;
  close(): Promise<void>;
}

export async function startAllChannels(): Promise<AllChannels> {
  const clock = new SystemClock();
  const [slackFake, telegramFake, graphFake] = await Promise.all([new SlackFake().start(), new TelegramFake().start(), new WhatsAppGraphFake().start()]);
  const config = testConfig({
    SLACK_BOT_TOKEN: slackFake.botToken,
    SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET,
    SLACK_API_URL: slackFake.url,
    TELEGRAM_BOT_TOKEN: telegramFake.token,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: telegramFake.url,
    TELEGRAM_MODE: 'webhook',
    WHATSAPP_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
    WHATSAPP_APP_SECRET: FAKE_WHATSAPP.appSecret,
    WHATSAPP_VERIFY_TOKEN: FAKE_WHATSAPP.verifyToken,
    WHATSAPP_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
    WHATSAPP_GRAPH_URL: graphFake.url,
    RATE_LIMIT_PER_USER_PER_MINUTE: '100000',
    RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '100000',
  });
  const errors: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          errors.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          errors.push({ msg: line });
        }
      }
      done();
    },
  });
  const logger = createLogger({ level: 'error', stream: sink });
  const stores = await memoryStores(clock);
  const bot = createBot({
    config,
    logger,
    clock,
    stores,
    handler: new GreetingHandler(),
    channels: (deps) => [createSlackChannel(config.slack!, deps), createTelegramChannel(config.telegram!, deps), createWhatsAppChannel(config.whatsapp!, deps)],
  });
  await bot.start();
  const app = await createServiceHttpServer({ config, logger, clock, bot, stores });

  const post = async (url: string, body: string | Buffer, headers: Record<string, string>): Promise<Answer> => {
    const response = await app.inject({ method: 'POST', url, headers, payload: body });
    return { status: response.statusCode, body: response.body };
  };
  const slackSigned = (url: string, body: string | Buffer, contentType: string, retryNum?: number) => {
    const timestamp = String(Math.floor(clock.now() / 1000));
    const signature = `v0=${createHmac('sha256', FAKE_SLACK_SIGNING_SECRET).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
    return post(url, body, {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
      ...(retryNum !== undefined ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    });
  };
  const count = async (): Promise<RowCounts> => {
    const { rows } = await stores.db.query<RowCounts>(
      `SELECT (SELECT count(*)::int FROM people) AS people, (SELECT count(*)::int FROM identities) AS identities,
              (SELECT count(*)::int FROM conversations) AS conversations,
              (SELECT count(*)::int FROM messages WHERE direction = 'in') AS inbound`,
    );
    return rows[0]!;
  };

  return {
    app,
    bot,
    stores,
    telegramFake,
    errors,
    counts: count,
    slackEvents: (body, options = {}) => slackSigned('/webhooks/slack/events', body, 'application/json', options.retryNum),
    slackCommand: (body) => slackSigned('/webhooks/slack/commands', body, 'application/x-www-form-urlencoded'),
    slackInteraction: (body) => slackSigned('/webhooks/slack/interactivity', body, 'application/x-www-form-urlencoded'),
    telegram: (body) => post('/webhooks/telegram', body, { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET }),
    whatsapp: (body) => post('/webhooks/whatsapp', body, { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(body) }),
    converse: (body) => post('/api/converse', body, { 'content-type': 'application/json' }),
    webchatMessage: (body) => post('/webchat/api/messages', body, { 'content-type': 'application/json' }),
    webchatVoice: (bytes, contentType) => post('/webchat/api/voice', bytes, { 'content-type': contentType }),
    async close() {
      await app.close();
      await bot.stop();
      await stores.close();
      await Promise.all([slackFake.stop(), telegramFake.stop(), graphFake.stop()]);
    },
  };
}
