import { rmSync } from 'node:fs';
import { startService, type RunningService } from '../../../bot/service.js';
import { createTelegramChannel } from '../../../channels/telegram/index.js';
import type { Role } from '../../../core/roles.js';
import type { Config } from '../../../config/index.js';
import { silentLogger } from '../../../core/logger.js';
import type { Understander } from '../../../intents/index.js';
import { TelegramFake, type FakeUpdate } from '../../support/fakes/telegram/index.js';
import { tempDataDir } from '../../support/spawn-service.js';
import { StubUnderstander } from '../../support/stub-understander.js';
import { testConfig } from '../../support/test-config.js';

export const TELEGRAM_SECRET = 'tg_e2e-secret-0123456789';
export const PUBLIC_URL = 'https://switchboard.example.com';

/** Telegram people of the end-to-end tests. */
export const ANA = TelegramFake.user(1111111, 'Ana', { last_name: 'Silva', username: 'ana_silva' });
export const BOB = TelegramFake.user(2222222, 'Bob', { username: 'bob_ops' });
export const STRANGER = TelegramFake.user(3333333, 'Test Firstname', { last_name: 'Test Lastname', username: 'Testusername' });
export const OPS = TelegramFake.group(-1001234567890, 'Agency ops');

/** What "the model" understands in these tests: deterministic. */
export function telegramUnderstander(): StubUnderstander {
  return new StubUnderstander([
    [/^(hi|hello)\b/i, 'greeting'],
    [/^help\b/i, 'help'],
    [/^(cancel|never ?mind|stop)\b/i, 'cancel'],
    [/^remind me to (.+)$/i, 'task.create', { title: '$1' }],
    [/^(?:list )?my tasks/i, 'task.list'],
    [/^delete task (\d+)/i, 'task.delete', { title: '$1' }],
  ]);
}

export interface TelegramService {
  service: RunningService;
  fake: TelegramFake;
  config: Config;
  /** Where Telegram would post updates to this service. */
  webhookUrl: string;
  /** Posts an update to the service's webhook as Telegram does (the secret registered by setWebhook). */
  post(update: FakeUpdate | string, secret?: string | null): Promise<{ status: number; body: string }>;
  grant(user: { id: number; first_name: string; last_name?: string }, role: Role): Promise<void>;
  /** Rows in the messages table (both directions). */
  messageRows(): Promise<number>;
  /** The outbound rows of a chat, oldest first. */
  outbound(chatId: number): Promise<{ text: string; status: string; platform_message_id: string | null }[]>;
  stop(): Promise<void>;
}

/**
 * The real service in-process (embedded database in a temporary folder, real HTTP server) with the
 * Telegram channel pointed at a fresh Telegram fake, as `npm start` runs it with TELEGRAM_* set.
 */
export async function startTelegramService(
  options: { mode?: 'webhook' | 'polling'; understander?: Understander; publicUrl?: boolean; env?: Record<string, string> } = {},
): Promise<TelegramService> {
  const fake = await new TelegramFake().start();
  const dataDir = tempDataDir();
  const config = testConfig({
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_MODE: options.mode ?? 'webhook',
    ...(options.publicUrl ? { PUBLIC_URL } : {}),
    ...options.env,
  });
  let service: RunningService;
  try {
    service = await startService({
      config,
      logger: silentLogger(),
      understander: options.understander ?? telegramUnderstander(),
      channels: (deps) => [createTelegramChannel(config.telegram!, { ...deps, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }, { pollTimeoutSeconds: 2 })],
    });
  } catch (error) {
    await fake.stop();
    throw error;
  }
  const webhookUrl = `${service.url}/webhooks/telegram`;
  const db = service.stores.db;
  return {
    service,
    fake,
    config,
    webhookUrl,
    post: (update, secret) => fake.postUpdate(update, { url: webhookUrl, ...(secret !== undefined ? { secret } : { secret: fake.webhook?.secret_token ?? TELEGRAM_SECRET }) }),
    async grant(user, role) {
      const person = await service.bot.people.grant('telegram', String(user.id), role);
      // A person granted before they first write has no name yet (PeopleRepo.resolve names only new people).
      await service.bot.people.setDisplayName(person.id, [user.first_name, user.last_name].filter(Boolean).join(' '));
    },
    messageRows: async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]!.n),
    outbound: async (chatId) =>
      (
        await db.query<{ text: string; status: string; platform_message_id: string | null }>(
          `SELECT m.text, m.status, m.platform_message_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE c.channel = 'telegram' AND c.external_id = $1 AND m.direction = 'out' ORDER BY m.seq`,
          [String(chatId)],
        )
      ).rows,
    async stop() {
      await service.stop();
      await fake.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Lets background work settle, for tests that check that nothing happened. */
export function settle(ms = 400): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
