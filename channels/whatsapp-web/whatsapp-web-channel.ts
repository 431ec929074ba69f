import { mkdir } from 'node:fs/promises';
import type { Config } from '../../config/index.js';
import type { TimerHandle } from '../../core/clock.js';
import { SwitchboardError } from '../../core/errors.js';
import { maskPhone } from '../../core/redact.js';
import { ChannelSendError, type ChannelAdapter, type ChannelDeps, type FetchedMedia, type InboundHandler, type SentReceipt } from '../channel-port.js';
import type { OutboundMessage, VoiceAttachment } from '../message.js';
import { sanitiseInbound } from '../sanitise-inbound.js';
import { formatForWhatsApp, MediaTooLargeError, splitText } from '../whatsapp/index.js';
import { loadWhatsAppWeb, type WebClient, type WebMessage, type WhatsAppWebLibrary } from './whatsapp-web-library.js';
import { chatIdOf, toInboundMessage } from './whatsapp-web-message.js';

export type WhatsAppWebSettings = NonNullable<Config['whatsappWeb']>;

export interface WhatsAppWebOptions {
  /** How the package is loaded; tests give a stub. Default: a dynamic import of whatsapp-web.js. */
  loadLibrary?: () => Promise<WhatsAppWebLibrary>;
  /** Reconnection backoff: the first delay, doubled after each failure up to the maximum. Default 2 s … 5 min. */
  reconnect?: { initialDelayMs: number; maxDelayMs: number };
}

/** Voice notes kept for fetchMedia (it needs the library's Message object), and half-sent replies. */
const MAX_REMEMBERED_MEDIA = 200;

/** The media of a message this channel no longer has, or WhatsApp no longer serves. */
export class WhatsAppWebMediaError extends SwitchboardError {
  readonly code = 'whatsapp_web_media_unavailable';
}

/**
 * WhatsApp Web: the bot runs on the agency's own WhatsApp number, logged in by scanning a QR code,
 * through whatsapp-web.js (a real browser, driven by Puppeteer, running web.whatsapp.com).
 *
 * Limits, read before enabling it:
 * - It is unofficial. WhatsApp does not allow automated or bulk messaging on ordinary accounts;
 *   numbers used this way can be banned without warning. Use a number you can afford to lose, and
 *   prefer the Cloud API (`createWhatsAppChannel`) for anything that matters.
 * - It may break whenever WhatsApp changes its web app, until the library catches up.
 * - It needs a Chromium (set PUPPETEER_EXECUTABLE_PATH, e.g. /usr/bin/chromium) and a few hundred MB
 *   of memory, and runs one session per number: one service instance only.
 * - The login lives in the session folder (LocalAuth): whoever can read it is logged in as the number.
 * - No 24-hour window, no templates, no delivery statuses; buttons are shown as text to type.
 * - It uses the channel name `whatsapp`, like the Cloud API channel: run one or the other.
 *
 * The package is loaded with a dynamic import in `start()` only, so the service runs without it.
 *
 * @example
 * channels: (deps) => (config.whatsappWeb ? [createWhatsAppWebChannel(config.whatsappWeb, deps)] : []),
 */
export function createWhatsAppWebChannel(settings: WhatsAppWebSettings, deps: ChannelDeps, options: WhatsAppWebOptions = {}): WhatsAppWebChannel {
  return new WhatsAppWebChannel(settings, deps, options);
}

export class WhatsAppWebChannel implements ChannelAdapter {
  readonly name = 'whatsapp' as const;
  private library: WhatsAppWebLibrary | undefined;
  private client: WebClient | undefined;
  private handler: InboundHandler | undefined;
  private ready = false;
  private stopped = true;
  private failures = 0;
  private reconnectTimer: TimerHandle | undefined;
  private readonly media = new Map<string, WebMessage>();
  private readonly delivered = new Map<string, string[]>();

  constructor(
    private readonly settings: WhatsAppWebSettings,
    private readonly deps: ChannelDeps,
    private readonly options: WhatsAppWebOptions = {},
  ) {}

  /** Whether the session is logged in and connected. */
  get connected(): boolean {
    return this.ready;
  }

  /**
   * Loads the package (a clear error if it is missing) and connects in the background: a first
   * login waits for the QR code to be scanned, which must not hold up the service's start.
   */
  async start(handler: InboundHandler): Promise<void> {
    this.library = await (this.options.loadLibrary ?? loadWhatsAppWeb)();
    await mkdir(this.settings.sessionDir, { recursive: true, mode: 0o700 });
    this.handler = handler;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    if (this.reconnectTimer) this.deps.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.destroy().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'whatsapp web: closing the browser failed'));
  }

  async send(message: OutboundMessage): Promise<SentReceipt> {
    const client = this.client;
    if (!client || !this.ready) {
      throw new ChannelSendError('WhatsApp Web is not connected: scan the QR code in the log, or wait for it to reconnect.', 'whatsapp', true, 5_000);
    }
    const parts = splitText(render(message));
    const done = this.delivered.get(message.id) ?? [];
    try {
      for (const part of parts.slice(done.length)) {
        const sent = await client.sendMessage(chatIdOf(message.conversation), part);
        done.push(sent.id._serialized);
        this.delivered.set(message.id, done);
        if (this.delivered.size > MAX_REMEMBERED_MEDIA) this.delivered.delete(this.delivered.keys().next().value!);
      }
    } catch (error) {
      // The browser's errors say little about permanence ("Evaluation failed"); trying again is cheap.
      throw new ChannelSendError(`WhatsApp Web could not send: ${error instanceof Error ? error.message : String(error)}`, 'whatsapp', true, undefined, { cause: error });
    }
    this.delivered.delete(message.id);
    const last = done.at(-1);
    return last ? { platformMessageId: last } : {};
  }

  /** Downloads a voice note through the library (`message.downloadMedia()`), at most `maxBytes`. */
  async fetchMedia(attachment: VoiceAttachment, options: { maxBytes: number }): Promise<FetchedMedia> {
    const message = this.media.get(attachment.fileRef) ?? (await this.client?.getMessageById?.(attachment.fileRef)) ?? undefined;
    if (!message) throw new WhatsAppWebMediaError('That voice note is no longer available from WhatsApp Web.');
    const media = await message.downloadMedia();
    if (!media) throw new WhatsAppWebMediaError('WhatsApp Web did not return the voice note (it may have expired on the phone).');
    // The library hands over base64; its length tells the size before decoding.
    const size = media.filesize ?? Math.floor((media.data.length * 3) / 4);
    if (size > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, size);
    const bytes = Buffer.from(media.data, 'base64');
    if (bytes.length > options.maxBytes) throw new MediaTooLargeError(options.maxBytes, bytes.length);
    this.media.delete(attachment.fileRef);
    return { bytes, declaredMimeType: media.mimetype };
  }

  // --- connection ---

  private connect(): void {
    if (this.stopped || !this.library) return;
    const { logger } = this.deps;
    const client = this.library.createClient({ sessionDir: this.settings.sessionDir });
    this.client = client;
    client.on('qr', (qr) => {
      logger.warn(
        { qr },
        'WhatsApp Web needs a login: on the phone, open WhatsApp → Linked devices → Link a device, and scan this QR code ' +
          '(the "qr" value; show it with any QR tool, e.g. qrencode -t ansiutf8 "<qr>").',
      );
    });
    client.on('authenticated', () => logger.info('WhatsApp Web: logged in'));
    client.on('auth_failure', (reason) => logger.error({ reason }, 'WhatsApp Web: login failed; delete the session folder to log in again'));
    client.on('ready', () => {
      this.ready = true;
      this.failures = 0;
      logger.info('WhatsApp Web: connected');
    });
    client.on('disconnected', (reason) => {
      if (this.client !== client) return;
      this.ready = false;
      logger.warn({ reason }, reason === 'LOGOUT' ? 'WhatsApp Web: the phone unlinked this device; a new QR code will follow' : 'WhatsApp Web: disconnected');
      // The library closes its browser after a disconnect; a fresh client takes over.
      this.scheduleReconnect(client);
    });
    client.on('message', (message) => void this.onMessage(message));
    client.initialize().catch((error: unknown) => {
      if (this.client !== client) return;
      this.ready = false;
      logger.error({ err: error }, 'WhatsApp Web: could not start the browser session');
      this.scheduleReconnect(client);
    });
  }

  private scheduleReconnect(failed: WebClient): void {
    if (this.stopped || this.reconnectTimer) return;
    const { initialDelayMs, maxDelayMs } = this.options.reconnect ?? { initialDelayMs: 2_000, maxDelayMs: 300_000 };
    const delay = Math.min(initialDelayMs * 2 ** this.failures, maxDelayMs);
    this.failures++;
    this.deps.logger.info({ delayMs: delay, attempt: this.failures }, 'WhatsApp Web: reconnecting');
    this.reconnectTimer = this.deps.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      void failed.destroy().catch(() => {});
      this.connect();
    }, delay);
  }

  // --- inbound ---

  private async onMessage(message: WebMessage): Promise<void> {
    try {
      const inbound = toInboundMessage(message, { receivedAt: this.deps.clock.now() });
      if (!inbound || !this.handler) return;
      const displayName = await this.displayName(message);
      if (inbound.voice) this.remember(message);
      // The one inbound gate of every adapter: ids that cannot be stored are refused, text is cleaned.
      await this.handler(sanitiseInbound(displayName ? { ...inbound, user: { ...inbound.user, displayName } } : inbound));
    } catch (error) {
      this.deps.logger.error({ err: error, from: maskPhone(message.from) }, 'WhatsApp Web: handling a message failed');
    }
  }

  private async displayName(message: WebMessage): Promise<string | undefined> {
    try {
      const contact = await message.getContact?.();
      return contact?.pushname || contact?.name || undefined;
    } catch {
      return undefined;
    }
  }

  private remember(message: WebMessage): void {
    this.media.set(message.id._serialized, message);
    if (this.media.size > MAX_REMEMBERED_MEDIA) this.media.delete(this.media.keys().next().value!);
  }
}

/** WhatsApp's light markup; buttons become a line of replies to type, which the bot reads as well as taps. */
function render(message: OutboundMessage): string {
  const text = formatForWhatsApp(message.text);
  if (!message.buttons?.length) return text;
  return `${text}\n\nReply: ${message.buttons.map((b) => `"${b.label}"`).join(' or ')}`;
}
