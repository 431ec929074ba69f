import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startService, type RunningService } from '../../../bot/service.js';
import { createWhatsAppChannel } from '../../../channels/whatsapp/index.js';
import type { Config } from '../../../config/index.js';
import { SystemClock, type Clock, type TimerHandle } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import type { Understander } from '../../../intents/index.js';
import type { StoredMessage } from '../../../store/index.js';
import { FAKE_WHATSAPP, MetaWebhookClient, WhatsAppGraphFake, type SentMessage } from '../../support/fakes/whatsapp/index.js';
import { StubUnderstander } from '../../support/stub-understander.js';
import { testConfig } from '../../support/test-config.js';

/**
 * The real service, in-process, with the WhatsApp Cloud API channel pointed at the Graph fake, and
 * Meta's side (signed notifications) to talk to it. Time is the system's, shifted on demand, so a
 * test can step past the 24-hour window without waiting for it.
 */
export interface WhatsAppService {
  service: RunningService;
  config: Config;
  fake: WhatsAppGraphFake;
  meta: MetaWebhookClient;
  clock: ShiftedClock;
  close(): Promise<void>;
}

/** System time plus an offset; timers run on real time, so retries and backoff behave as in production. */
export class ShiftedClock implements Clock {
  private offset = 0;
  private readonly system = new SystemClock();
  now(): number {
    return Date.now() + this.offset;
  }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.system.setTimeout(callback, delayMs);
  }
  clearTimeout(handle: TimerHandle): void {
    this.system.clearTimeout(handle);
  }
  shift(ms: number): void {
    this.offset += ms;
  }
}

/** What the dialogs need, understood deterministically (the offline classifier is tested elsewhere). */
export function stubUnderstander(): StubUnderstander {
  return new StubUnderstander([
    [/^(hi|hello)\b/i, 'greeting'],
    [/^help\b/i, 'help'],
    [/^(cancel|never ?mind|stop)\b/i, 'cancel'],
    [/^remind me to (.+)$/i, 'task.create', { title: '$1' }],
    [/^delete task (\d+)/i, 'task.delete', { title: '$1' }],
    [/^deploy (\S+) to (\S+)/i, 'deploy.create', { app: '$1', env: '$2' }],
  ]);
}

export async function startWhatsAppService(options: { env?: Record<string, string>; understander?: Understander } = {}): Promise<WhatsAppService> {
  const fake = await new WhatsAppGraphFake().start();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-whatsapp-'));
  const clock = new ShiftedClock();
  const config = testConfig({
    DATA_DIR: dataDir,
    WHATSAPP_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
    WHATSAPP_APP_SECRET: FAKE_WHATSAPP.appSecret,
    WHATSAPP_VERIFY_TOKEN: FAKE_WHATSAPP.verifyToken,
    WHATSAPP_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
    WHATSAPP_GRAPH_URL: fake.url,
    ...options.env,
  });
  const service = await startService({
    config,
    logger: silentLogger(),
    clock,
    understander: options.understander ?? stubUnderstander(),
    channels: (deps) => [createWhatsAppChannel(config.whatsapp!, deps)],
  });
  return {
    service,
    config,
    fake,
    meta: new MetaWebhookClient(service.url),
    clock,
    async close() {
      await service.stop();
      await fake.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Turn {
  inbound: StoredMessage;
  /** The reply rows, once each is sent or failed. */
  replies: StoredMessage[];
  /** What the Graph fake received for those replies. */
  sent: SentMessage[];
}

const messageOf = (payload: Record<string, any>): { id: string } => payload.entry[0].changes[0].value.messages[0];

/** Delivers a message notification as Meta does, and waits until its replies are sent or failed. */
export async function turn(h: WhatsAppService, payload: Record<string, unknown>): Promise<Turn> {
  const answer = await h.meta.deliver(payload);
  expect(answer.status).toBe(200);
  return waitForTurn(h, messageOf(payload).id);
}

export async function waitForTurn(h: WhatsAppService, wamid: string, timeoutMs = 20_000): Promise<Turn> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inbound = await inboundRow(h, wamid);
    if (inbound?.status === 'answered') {
      const replies = await h.service.bot.messages.repliesTo(inbound.id);
      // The outbox has finished with them: not waiting (pending) and not mid-attempt (sending).
      if (replies.every((r) => r.status !== 'pending' && r.status !== 'sending')) {
        const ids = new Set(replies.map((r) => r.platformMessageId));
        return { inbound, replies, sent: h.fake.sent.filter((m) => ids.has(m.wamid)) };
      }
    }
    if (Date.now() > deadline) throw new Error(`message ${wamid} was not answered in time (inbound: ${inbound?.status ?? 'not stored'})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function inboundRow(h: WhatsAppService, wamid: string): Promise<StoredMessage | undefined> {
  return h.service.bot.messages.findInbound('whatsapp', wamid);
}

export async function messageCount(h: WhatsAppService): Promise<number> {
  const { rows } = await h.service.stores.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
  return rows[0]!.n;
}

/** A proactive message (a reminder, a job's result) to a WhatsApp conversation, through the pipeline's delivery. */
export async function notify(h: WhatsAppService, waId: string, text: string): Promise<{ delivered: boolean; row: StoredMessage }> {
  const { bot } = h.service;
  const conversation = await bot.conversations.find('whatsapp', waId);
  if (!conversation) throw new Error(`no WhatsApp conversation with ${waId}`);
  const stored = await bot.messages.recordNotification(conversation.id, { text, kind: 'notification' });
  const delivered = await bot.pipeline.deliver([bot.pipeline.toOutbound(stored, conversation)]);
  return { delivered, row: (await bot.messages.findOutbound(stored.id))! };
}
