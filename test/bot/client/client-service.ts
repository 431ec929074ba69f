import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { startService, type RunningService } from '../../../bot/service.js';
import { createSlackChannel } from '../../../channels/slack/index.js';
import { createTelegramChannel } from '../../../channels/telegram/index.js';
import { createWhatsAppChannel } from '../../../channels/whatsapp/index.js';
import type { Config } from '../../../config/index.js';
import { silentLogger } from '../../../core/logger.js';
import { FAKE_WHATSAPP, inbound, MetaWebhookClient, WhatsAppGraphFake, type Sender, type SentMessage as WhatsAppSent } from '../../support/fakes/whatsapp/index.js';
import { FAKE_SLACK_SIGNING_SECRET, messageEvent, SlackFake, SlackWebhookSender, type PostedMessage } from '../../support/fakes/slack/index.js';
import { TelegramFake, type FakeUser, type SentMessage as TelegramSent } from '../../support/fakes/telegram/index.js';
import { tempDataDir } from '../../support/spawn-service.js';
import { StubUnderstander } from '../../support/stub-understander.js';
import { testConfig } from '../../support/test-config.js';
import { ShiftedClock } from '../../channels/whatsapp/whatsapp-service.js';

export const BOOKING_URL = 'https://cal.example.com/agency/intro';
export const TELEGRAM_SECRET = 'tg_client-e2e-secret-0123';
/** The team: Ana, an admin, on Telegram. */
export const ANA = TelegramFake.user(5550001, 'Ana', { last_name: 'Silva' });
export const ANA_CHAT = TelegramFake.privateChat(ANA);

/**
 * What "the model" understood in these tests: deterministic, and for the adversarial client every staff
 * intent it could ask for, understood as that intent with high confidence (the worst case: the
 * understanding is fooled, the code must still refuse).
 */
export function clientUnderstander(): StubUnderstander {
  return new StubUnderstander([
    [/\bI'm ([A-Z][a-z]+ [A-Z][a-z]+) from ([A-Z][a-z]+), my e-?mail is (\S+@\S+?)\.?$/, 'crm.lead.create', { name: '$1', company: '$2', email: '$3' }],
    [/\bI'm ([A-Z][a-z]+ [A-Z][a-z]+) from ([A-Z][a-z]+), (.+)$/, 'crm.lead.create', { name: '$1', company: '$2', note: '$3' }],
    [/^(hi|hello|thanks|thank you)\b/i, 'greeting'],
    [/^help\b/i, 'help'],
    [/^(?:please )?deploy (\S+) to (\S+)/i, 'deploy.create', { app: '$1', env: '$2' }],
    [/^roll back (\S+)/i, 'deploy.rollback', { app: '$1' }],
    [/^build (\S+)/i, 'build.start', { app: '$1' }],
    [/\bstatus of (\S+) deploys\b/i, 'deploy.status', { app: '$1' }],
    [/^remind me to (.+)$/i, 'task.create', { title: '$1' }],
    [/^delete task (\d+)/i, 'task.delete', { title: '$1' }],
    [/^(?:list|show) (?:all )?tasks/i, 'task.list'],
    [/who do we know at (\w+)/i, 'crm.contact.find', { query: '$1' }],
    [/what's ([A-Z]\w+ [A-Z]\w+)'s (?:email|phone)/i, 'crm.contact.find', { query: '$1' }],
    [/^move the (\w+) deal to (\w+)/i, 'crm.deal.update', { company: '$1', stage: '$2' }],
    [/^add a note/i, 'crm.note.add', { note: 'hacked' }],
    [/^erase (\w+ \w+)/i, 'crm.contact.delete', { name: '$1' }],
    [/^register (\S+)/i, 'domain.register', { domain: '$1' }],
    [/^add a dns record/i, 'domain.dns.add', { domain: 'initech.com', recordType: 'A', recordName: '@', recordValue: '6.6.6.6' }],
    [/^notify me/i, 'notify.subscribe', { events: ['deploy.failed'] }],
    [/ignore previous instructions/i, 'deploy.create', { app: 'initech-portal', env: 'production' }, 0.99],
    [/^confirm deploy (\S+) (\S+)$/i, 'deploy.create', { app: '$1', env: '$2' }, 0.99],
    [/\b(price|cost|charge)\b/i, 'knowledge.ask', { query: 'website price' }],
  ]);
}

export interface ClientService {
  service: RunningService;
  config: Config;
  whatsapp: WhatsAppGraphFake;
  meta: MetaWebhookClient;
  telegram: TelegramFake;
  slack: SlackFake;
  /** System time plus an offset: a test can step past WhatsApp's 24-hour window. */
  clock: ShiftedClock;
  /** A client writes on WhatsApp (a signed webhook); resolves when the message is answered and its replies have left. */
  client(from: Sender, text: string): Promise<WhatsAppSent[]>;
  /** Ana writes on Telegram (a webhook with the secret), optionally as a reply to a message the bot sent her. */
  team(text: string, replyTo?: TelegramSent): Promise<TelegramSent[]>;
  /** Someone on the team writes in a Slack channel, at the top or in the thread of `thread` (a message the bot posted). */
  slackSay(user: string, channel: string, text: string, thread?: PostedMessage): Promise<PostedMessage[]>;
  /** Rows of a table, for "nothing changed" checks. */
  count(table: string): Promise<number>;
  stop(): Promise<void>;
}

/** The real service in-process: WhatsApp pointed at the Graph fake (clients), Telegram at its fake (the team). */
export async function startClientService(options: { apps?: unknown[]; env?: Record<string, string> } = {}): Promise<ClientService> {
  const whatsapp = await new WhatsAppGraphFake().start();
  const telegram = await new TelegramFake().start();
  const slack = await new SlackFake().start();
  const dataDir = tempDataDir();
  const appsFile = path.join(dataDir, 'apps.json');
  writeFileSync(appsFile, JSON.stringify({ apps: options.apps ?? [] }));
  const config = testConfig({
    DATA_DIR: dataDir,
    APPS_FILE: appsFile,
    BOOKING_URL,
    WHATSAPP_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
    WHATSAPP_APP_SECRET: FAKE_WHATSAPP.appSecret,
    WHATSAPP_VERIFY_TOKEN: FAKE_WHATSAPP.verifyToken,
    WHATSAPP_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
    WHATSAPP_GRAPH_URL: whatsapp.url,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_MODE: 'webhook',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: FAKE_SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    // The scripted conversations send more than a person types in a minute.
    RATE_LIMIT_PER_USER_PER_MINUTE: '200',
    RATE_LIMIT_PER_CONVERSATION_PER_MINUTE: '200',
    ...options.env,
  });
  const clock = new ShiftedClock();
  const service = await startService({
    config,
    clock,
    logger: silentLogger(),
    understander: clientUnderstander(),
    channels: (deps) => [createWhatsAppChannel(config.whatsapp!, deps), createTelegramChannel(config.telegram!, deps), createSlackChannel(config.slack!, deps)],
  });
  const meta = new MetaWebhookClient(service.url);
  const slackSender = new SlackWebhookSender(service.url, FAKE_SLACK_SIGNING_SECRET, slack.botUserId);
  let peopleTs = 0;
  const db = service.stores.db;

  /** Waits until an inbound message is answered and none of the service's outbound rows is still on its way. */
  const settled = async (channel: string, platformId: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const row = await service.bot.messages.findInbound(channel, platformId);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'out' AND status IN ('pending', 'sending')`);
      if (row?.status === 'answered' && rows[0]!.n === 0) return;
      if (Date.now() > deadline) throw new Error(`message ${platformId} was not answered in time (${row?.status ?? 'not stored'})`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  return {
    service,
    config,
    whatsapp,
    meta,
    telegram,
    slack,
    clock,
    async client(from, text) {
      const before = whatsapp.sentTo(from.waId).length;
      const payload = inbound.text(from, text) as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] };
      const answer = await meta.deliver(payload);
      expect(answer.status).toBe(200);
      await settled('whatsapp', payload.entry[0]!.changes[0]!.value.messages[0]!.id);
      return whatsapp.sentTo(from.waId).slice(before);
    },
    async team(text, replyTo) {
      const before = telegram.sentTo(ANA.id).length;
      const update = telegram.message({ chat: ANA_CHAT, from: ANA as FakeUser, text, ...(replyTo ? { replyTo: replyTo.message } : {}) });
      const answer = await telegram.postUpdate(update, { url: `${service.url}/webhooks/telegram`, secret: TELEGRAM_SECRET });
      expect(answer.status).toBe(200);
      await settled('telegram', String((update.message as { message_id: number }).message_id));
      return telegram.sentTo(ANA.id).slice(before);
    },
    async slackSay(user, channel, text, thread) {
      const before = slack.posted.length;
      // People's messages count from 500000, so they never share a ts with one the fake gave the bot.
      const ts = `${Math.floor(Date.now() / 1000)}.${String(500_000 + ++peopleTs).padStart(6, '0')}`;
      const answer = await slackSender.event(messageEvent({ channel, user, text, ts, ...(thread ? { thread_ts: thread.ts, parent_user_id: slack.botUserId } : {}) }));
      expect(answer.status).toBe(200);
      await settled('slack', ts);
      return slack.posted.slice(before);
    },
    count: async (table) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n),
    async stop() {
      await service.stop();
      await whatsapp.stop();
      await telegram.stop();
      await slack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Ana is an admin who has written to the bot (so the team's notices have a chat to go to). */
export async function meetAna(h: ClientService): Promise<void> {
  const person = await h.service.bot.people.grant('telegram', String(ANA.id), 'admin');
  await h.service.bot.people.setDisplayName(person.id, 'Ana Silva');
  await h.team('hello');
}

/** The texts of messages, for readable assertions. */
export const texts = (sent: readonly { text: string }[]) => sent.map((m) => m.text);
