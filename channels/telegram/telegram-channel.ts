import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Bot, GrammyError } from 'grammy';
import type { Config } from '../../config/index.js';
import { UnauthorizedError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type {
  ChannelAdapter,
  ChannelDeps,
  FetchedMedia,
  InboundHandler,
  ParsedRequest,
  RawRequest,
  SentReceipt,
  WebhookRoute,
} from '../channel-port.js';
import type { OutboundMessage, VoiceAttachment } from '../message.js';
import { renderMessage } from './format-message.js';
import { grammySignal, type GrammySignal } from './grammy-signal.js';
import { parseUpdate, readUpdate, type BotIdentity, type ParsedUpdate } from './parse-update.js';
import { TelegramMediaError, toChannelSendError } from './telegram-errors.js';
import { UpdatePoller } from './telegram-poller.js';
import { ALLOWED_UPDATES } from './telegram-update.js';
import { secretTokenMatches } from './webhook-secret.js';

export type TelegramSettings = NonNullable<Config['telegram']>;

export interface TelegramChannelDeps extends ChannelDeps {
  /** The service's public https address; when set, `start()` registers `<publicUrl>/webhooks/telegram`. */
  publicUrl?: string;
}

export interface TelegramChannelOptions {
  /** getUpdates long-poll timeout in seconds (polling mode). Default 25. */
  pollTimeoutSeconds?: number;
  /** Time limit for the calls made while starting (getMe, setWebhook, deleteWebhook). Default 10 s. */
  startTimeoutMs?: number;
  /**
   * Time limit of one sendMessage call. Default 15 s. A call that runs out has an unknown outcome
   * (Telegram may have posted it) and is not repeated (see toChannelSendError).
   */
  sendTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection to the Bot API is kept for the next call. Default 4 s:
   * below the 5 s after which common servers (Node's own, nginx's default is longer) close an idle
   * connection, so a send never goes out on a connection the server is closing at that moment.
   */
  keepAliveIdleMs?: number;
}

/**
 * grammY's default agent keeps idle connections forever (`timeout` 0, so Node ignores the server's
 * `Keep-Alive: timeout=` hint). A send written on a connection the server closed at the same moment
 * fails with a reset before any answer, and since sendMessage takes no idempotency key such a send
 * is an unknown outcome, never sent again: a fault test lost a reply that way after six idle seconds.
 * Dropping idle connections first removes that race.
 */
function keepAliveAgent(apiRoot: string, idleMs: number): HttpAgent {
  const options = { keepAlive: true, timeout: idleMs };
  return apiRoot.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
}

/** The webhook path Telegram posts updates to (a public contract, DESIGN.md). */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Bots may download files of up to 20 MB (getFile). */
const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const IDENTITY_RETRY_MS = 60_000;
/** Partly delivered long messages remembered for a retry; older entries are forgotten first. */
const PROGRESS_ENTRIES = 500;

/**
 * Creates the Telegram channel: grammY's Bot API client (pointed at `settings.apiRoot`, the real
 * Telegram by default), receiving by webhook (`POST /webhooks/telegram`) or by long polling
 * (`settings.mode`).
 *
 * @example
 * const service = await startService({
 *   config, logger,
 *   channels: (deps) => [createTelegramChannel(config.telegram!, { ...deps, publicUrl: config.publicUrl })],
 * });
 */
export function createTelegramChannel(settings: TelegramSettings, deps: TelegramChannelDeps, options: TelegramChannelOptions = {}): TelegramChannel {
  return new TelegramChannel(settings, deps, options);
}

/**
 * Transport only (ARCHITECTURE.md, "adding a channel"): verifies the secret token Telegram sends
 * with every webhook request, parses updates into the bot's messages (see `parseUpdate` for the
 * group rules), acknowledges, and sends replies as HTML with long texts split.
 */
export class TelegramChannel implements ChannelAdapter {
  readonly name = 'telegram';
  /** grammY's bot, used only for its API client (`bot.api`): updates are parsed here, not by middleware. */
  readonly bot: Bot;
  private readonly apiRoot: string;
  private readonly logger: Logger;
  private identity: BotIdentity;
  private identityAttempt: { at: number; pending?: Promise<void> } | undefined;
  private poller: UpdatePoller | undefined;
  private readonly progress = new Map<string, { parts: number; sent: number[] }>();

  constructor(
    private readonly settings: TelegramSettings,
    private readonly deps: TelegramChannelDeps,
    private readonly options: TelegramChannelOptions = {},
  ) {
    this.apiRoot = (settings.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT).replace(/\/+$/, '');
    const pollTimeout = this.pollTimeoutSeconds;
    this.bot = new Bot(settings.botToken, {
      client: {
        apiRoot: this.apiRoot,
        // grammY's default (500 s) would let one stuck sendMessage hold a conversation's lock for
        // minutes; getUpdates needs its long-poll time plus a margin.
        timeoutSeconds: Math.max(30, pollTimeout + 15),
        baseFetchConfig: { agent: keepAliveAgent(this.apiRoot, options.keepAliveIdleMs ?? 4_000) },
      },
    });
    this.logger = deps.logger.child({ channel: 'telegram' });
    // The token is "<bot id>:<secret>": the id is known without asking (replies to the bot need it).
    this.identity = { id: Number(settings.botToken.split(':')[0]) };
    if (settings.mode === 'webhook' && !settings.webhookSecret) {
      this.logger.error('TELEGRAM_WEBHOOK_SECRET is not set: every webhook request will be refused (401)');
    }
  }

  private get pollTimeoutSeconds(): number {
    return this.options.pollTimeoutSeconds ?? 25;
  }

  // --- lifecycle ---

  async start(handler: InboundHandler): Promise<void> {
    await this.ensureIdentity();
    if (this.settings.mode === 'polling') {
      // getUpdates is refused (409) while a webhook is set.
      await this.bot.api
        .deleteWebhook({ drop_pending_updates: false }, this.startSignal())
        .catch((error: unknown) => this.logger.warn({ err: error }, 'telegram deleteWebhook failed; polling will retry'));
      this.poller = new UpdatePoller({
        api: this.bot.api,
        clock: this.deps.clock,
        logger: this.logger,
        timeoutSeconds: this.pollTimeoutSeconds,
        handleUpdate: (update) => this.handlePolled(update, handler),
        orderKey: orderKey,
      });
      this.poller.start();
      this.logger.info({ bot: this.identity.username }, 'telegram: long polling');
      return;
    }
    await this.registerWebhook();
  }

  async stop(): Promise<void> {
    // The webhook stays registered: Telegram keeps updates while the service restarts.
    await this.poller?.stop();
    this.poller = undefined;
  }

  private async registerWebhook(): Promise<void> {
    const { publicUrl } = this.deps;
    if (!publicUrl) {
      this.logger.info(`telegram: webhook mode; PUBLIC_URL is not set, so register <your https URL>${TELEGRAM_WEBHOOK_PATH} with setWebhook yourself`);
      return;
    }
    if (!this.settings.webhookSecret) return;
    const url = `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
    try {
      await this.bot.api.setWebhook(
        url,
        { secret_token: this.settings.webhookSecret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false },
        this.startSignal(),
      );
      this.logger.info({ url }, 'telegram webhook registered');
    } catch (error) {
      // The service still runs: the webhook may have been registered before, or can be set by hand.
      this.logger.error({ err: error, url }, 'telegram setWebhook failed; updates will not arrive until the webhook is registered');
    }
  }

  private startSignal(): GrammySignal {
    return grammySignal(AbortSignal.timeout(this.options.startTimeoutMs ?? 10_000));
  }

  /** getMe, for the bot's username (group commands and mentions). Tried at start, then at most once a minute. */
  private async ensureIdentity(): Promise<BotIdentity> {
    if (this.identity.username) return this.identity;
    const now = this.deps.clock.now();
    const attempt = this.identityAttempt;
    if (attempt?.pending) await attempt.pending;
    else if (!attempt || now - attempt.at >= IDENTITY_RETRY_MS) {
      const pending = this.bot.api.getMe(this.startSignal()).then(
        (me) => {
          this.identity = { id: me.id, username: me.username };
        },
        (error: unknown) => this.logger.warn({ err: error }, 'telegram getMe failed: commands and mentions naming the bot are not recognised until it succeeds'),
      );
      this.identityAttempt = { at: now, pending };
      await pending;
      this.identityAttempt = { at: now };
    }
    return this.identity;
  }

  // --- receiving ---

  webhooks(): WebhookRoute[] {
    if (this.settings.mode !== 'webhook') return [];
    return [{ method: 'POST', path: TELEGRAM_WEBHOOK_PATH, verifyAndParse: (request) => this.verifyAndParse(request) }];
  }

  private async verifyAndParse(request: RawRequest): Promise<ParsedRequest> {
    if (!secretTokenMatches(request.headers[SECRET_HEADER], this.settings.webhookSecret)) {
      throw new UnauthorizedError('The X-Telegram-Bot-Api-Secret-Token header is missing or does not match TELEGRAM_WEBHOOK_SECRET.');
    }
    const parsed = await this.parse(readUpdate(request.rawBody));
    return { kind: 'messages', messages: parsed.messages, ack: { status: 200 } };
  }

  private async handlePolled(raw: unknown, handler: InboundHandler): Promise<void> {
    let parsed: ParsedUpdate;
    try {
      parsed = await this.parse(readUpdate(raw));
    } catch (error) {
      // Fetching it again would not change it: confirm it and move on.
      this.logger.warn({ err: error }, 'telegram: skipped an update that is not a valid Update');
      return;
    }
    for (const message of parsed.messages) await handler(message);
  }

  private async parse(update: ReturnType<typeof readUpdate>): Promise<ParsedUpdate> {
    const parsed = parseUpdate(update, await this.ensureIdentity(), this.deps.clock.now());
    if (parsed.ignored) this.logger.debug({ updateId: parsed.updateId, reason: parsed.ignored }, 'telegram update acknowledged, not handled');
    if (parsed.callbackQueryId) this.answerCallback(parsed.callbackQueryId);
    return parsed;
  }

  /**
   * Stops the client's spinner on the clicked button. Not awaited: the click is stored either way,
   * and a redelivered update's second answer is refused by Telegram ("query is too old"), harmlessly.
   */
  private answerCallback(id: string): void {
    this.bot.api.answerCallbackQuery(id).catch((error: unknown) => {
      const stale = error instanceof GrammyError && error.error_code === 400;
      this.logger[stale ? 'debug' : 'warn']({ err: error }, 'telegram answerCallbackQuery failed');
    });
  }

  // --- sending ---

  /**
   * Sends one message as one or more sendMessage calls (see `renderMessage`). Failures throw
   * `ChannelSendError` (see `toChannelSendError`: 429 and 5xx are retryable). When a long message
   * fails partway, the parts already delivered are remembered, and the pipeline's retry continues
   * with the next part instead of repeating them. Returns the message_id of the last part (the one
   * carrying the buttons).
   */
  async send(message: OutboundMessage): Promise<SentReceipt> {
    let requests;
    try {
      requests = renderMessage(message);
    } catch (error) {
      throw toChannelSendError(error);
    }
    const known = this.progress.get(message.id);
    const sent = known && known.parts === requests.length ? known.sent : [];
    for (let index = sent.length; index < requests.length; index++) {
      const { chat_id, text, ...other } = requests[index]!;
      try {
        const result = await this.bot.api.sendMessage(chat_id, text, other, grammySignal(AbortSignal.timeout(this.options.sendTimeoutMs ?? 15_000)));
        sent.push(result.message_id);
      } catch (error) {
        if (sent.length > 0) this.remember(message.id, { parts: requests.length, sent });
        throw toChannelSendError(error);
      }
    }
    this.progress.delete(message.id);
    return { platformMessageId: String(sent.at(-1)) };
  }

  private remember(id: string, progress: { parts: number; sent: number[] }): void {
    this.progress.delete(id);
    this.progress.set(id, progress);
    while (this.progress.size > PROGRESS_ENTRIES) this.progress.delete(this.progress.keys().next().value!);
  }

  // --- media ---

  /**
   * Downloads a voice note or audio file: getFile for its path, then
   * `{apiRoot}/file/bot{token}/{file_path}`. At most `maxBytes` are read; more is a
   * `TelegramMediaError` with reason `too_large`, decided from the declared size when Telegram gives one.
   */
  async fetchMedia(attachment: VoiceAttachment, options: { maxBytes: number }): Promise<FetchedMedia> {
    const limit = Math.min(options.maxBytes, BOT_DOWNLOAD_LIMIT);
    if (attachment.declaredSizeBytes !== undefined && attachment.declaredSizeBytes > limit) {
      throw new TelegramMediaError(`The ${attachment.kind} is ${attachment.declaredSizeBytes} bytes, over the limit of ${limit}.`, 'too_large');
    }
    let file;
    try {
      file = await this.bot.api.getFile(attachment.fileRef);
    } catch (error) {
      const unknown = error instanceof GrammyError && error.error_code === 400;
      throw new TelegramMediaError(`Telegram getFile failed: ${(error as Error).message}`, unknown ? 'not_found' : 'unavailable', { cause: error });
    }
    if (file.file_size !== undefined && file.file_size > limit) {
      throw new TelegramMediaError(`The ${attachment.kind} is ${file.file_size} bytes, over the limit of ${limit}.`, 'too_large');
    }
    if (!file.file_path) throw new TelegramMediaError('Telegram gave no file_path for the file (bots cannot download files over 20 MB).', 'too_large');

    const path = file.file_path.split('/').map(encodeURIComponent).join('/');
    // The URL carries the token: it is never logged or put into an error message.
    let response: Response;
    try {
      response = await fetch(`${this.apiRoot}/file/bot${this.settings.botToken}/${path}`, { signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      throw new TelegramMediaError(`The Telegram file server could not be reached: ${(error as Error).message}`, 'unavailable', { cause: error });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw new TelegramMediaError(`The Telegram file server answered ${response.status}.`, response.status === 404 ? 'not_found' : 'unavailable');
    }
    const declaredLength = Number(response.headers.get('content-length') ?? NaN);
    if (declaredLength > limit) {
      await response.body.cancel().catch(() => {});
      throw new TelegramMediaError(`The ${attachment.kind} is ${declaredLength} bytes, over the limit of ${limit}.`, 'too_large');
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new TelegramMediaError(`The ${attachment.kind} is over the limit of ${limit} bytes.`, 'too_large');
      }
      chunks.push(Buffer.from(value));
    }
    return { bytes: Buffer.concat(chunks), ...(attachment.declaredMimeType ? { declaredMimeType: attachment.declaredMimeType } : {}) };
  }
}

/** Updates of one chat are handled in order; different chats in parallel. */
function orderKey(update: unknown): string {
  const u = update as { message?: { chat?: { id?: number } }; edited_message?: { chat?: { id?: number } }; callback_query?: { message?: { chat?: { id?: number } }; from?: { id?: number } } };
  const chat = u.message?.chat?.id ?? u.edited_message?.chat?.id ?? u.callback_query?.message?.chat?.id;
  return chat !== undefined ? `chat:${chat}` : `other:${u.callback_query?.from?.id ?? ''}`;
}
