import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTelegramHtml, TelegramHtmlError, type HtmlEntity } from './telegram-html.js';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the Telegram Bot API (https://core.telegram.org/bots/api), as a real HTTP server on
 * 127.0.0.1. grammY is pointed at it with `new Bot(token, { client: { apiRoot: fake.url } })`, so
 * its request building and error handling run for real.
 *
 * Served: `/bot<token>/<method>` for getMe, setWebhook, deleteWebhook, getWebhookInfo, getUpdates,
 * sendMessage, answerCallbackQuery, getFile; and file downloads at `/file/bot<token>/<file_path>`.
 * Parameters are read from the query string and from JSON or form bodies, as the Bot API does.
 *
 * It checks what it receives as Telegram does, and answers as Telegram does
 * (`{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…}`):
 * - the token → 401 `Unauthorized`; an unknown method → 404 `Not Found`;
 * - sendMessage: `chat_id`; `text` 1-4096 characters after entities parsing; `parse_mode` one the API
 *   knows (only HTML is parsed here: Markdown modes are refused as unsupported by the fake); well-formed
 *   HTML with only the documented tags (see telegram-html.ts); `message_thread_id` an integer;
 *   `reply_parameters` naming a message of that chat; an inline keyboard whose buttons have a text
 *   and exactly one action, `callback_data` 1-64 bytes;
 * - getUpdates: refused (409) while a webhook is set, or when another getUpdates call takes over;
 *   `offset` confirms earlier updates; `timeout` holds the call open until an update is queued;
 * - answerCallbackQuery: only for a callback query the fake delivered, once;
 * - setWebhook: an https URL; `secret_token` 1-256 characters of A-Z a-z 0-9 _ -;
 * - getFile: a file id the test added; files over 20 MB are refused as the API does.
 *
 * Every call that passes the token check is recorded in `calls` (with the status it got), messages
 * the bot sent in `sent` (text after parsing, and the raw HTML). Calls can be scripted to fail:
 * `fake.rateLimit('sendMessage', 1)` answers 429 with `parameters.retry_after`, `serverError` 500.
 *
 * It also plays Telegram's side: builds updates (`message`, `editedMessage`, `callbackQuery`,
 * `voiceMessage`), queues them for getUpdates, or posts them to a webhook with the secret header.
 *
 * @example
 * const fake = await new TelegramFake().start();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.url } });
 * fake.rateLimit('sendMessage', 1);
 * …
 * await fake.stop();
 */

export const FAKE_TELEGRAM_TOKEN = '7000000001:AAFakeTelegramTokenForTests_0123456789';
/** Bots may download files up to 20 MB. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const TEXT_LIMIT = 4096;
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const UPDATE_KINDS = new Set([
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_connection', 'business_message',
  'edited_business_message', 'deleted_business_messages', 'message_reaction', 'message_reaction_count', 'inline_query',
  'chosen_inline_result', 'callback_query', 'shipping_query', 'pre_checkout_query', 'purchased_paid_media', 'poll',
  'poll_answer', 'my_chat_member', 'chat_member', 'chat_join_request', 'chat_boost', 'removed_chat_boost',
]);
const DEFAULT_ALLOWED = [...UPDATE_KINDS].filter((kind) => !['chat_member', 'message_reaction', 'message_reaction_count'].includes(kind));

// --- Bot API objects, as the fake builds them ---

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: boolean;
}

export interface FakeEntity {
  type: string;
  offset: number;
  length: number;
  [key: string]: unknown;
}

export interface FakeMessage {
  message_id: number;
  message_thread_id?: number;
  is_topic_message?: boolean;
  from?: FakeUser;
  chat: FakeChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: FakeEntity[];
  caption?: string;
  caption_entities?: FakeEntity[];
  reply_to_message?: FakeMessage;
  reply_markup?: unknown;
  [key: string]: unknown;
}

export interface FakeUpdate {
  update_id: number;
  [kind: string]: unknown;
}

export interface FakeFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
}

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** 200, or the error code the fake answered with. */
  status: number;
  description?: string;
}

export interface SentMessage {
  message_id: number;
  chat_id: number | string;
  message_thread_id?: number;
  /** The text after entities parsing, as the user sees it. */
  text: string;
  /** The text as the bot sent it. */
  raw: string;
  parse_mode?: string;
  entities: HtmlEntity[];
  reply_markup?: { inline_keyboard: { text: string; callback_data?: string; url?: string }[][] };
  reply_to_message_id?: number;
  /** The Message object the fake returned (use it to build replies and button clicks). */
  message: FakeMessage;
}

export interface WebhookInfo {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
}

interface ScriptedFailure {
  error_code: number;
  description: string;
  parameters?: Record<string, unknown>;
}

class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

interface Waiter {
  res: ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
}

export interface TelegramFakeOptions {
  token?: string;
  /** The bot's username, without `@`. Default `switchboard_test_bot`. */
  username?: string;
}

export class TelegramFake {
  readonly token: string;
  readonly botUser: FakeUser;
  /** Every call that passed the token check, in arrival order. */
  readonly calls: RecordedCall[] = [];
  /** Messages the bot sent successfully. */
  readonly sent: SentMessage[] = [];
  /** Called with each message the bot sent successfully, as it arrives (benchmarks count turns by it). */
  readonly onSent: ((message: SentMessage) => void)[] = [];
  /** Callback query ids answered with answerCallbackQuery. */
  readonly answeredCallbacks: string[] = [];
  /** File paths downloaded from `/file/bot<token>/…`. */
  readonly downloads: string[] = [];
  /** Requests refused before reaching a method (wrong token, unknown method). */
  readonly refused: { path: string; status: number }[] = [];
  webhook: WebhookInfo | undefined;

  /** Per method, what the next calls get: a failure, or `null` to let one through. */
  private readonly script = new Map<string, (ScriptedFailure | null)[]>();
  private readonly hangs = new Map<string, number[]>();
  private readonly files = new Map<string, { file: FakeFile; bytes: Buffer }>();
  private readonly blocked = new Set<string>();
  private readonly messageIds = new Map<string, number>();
  private readonly knownMessages = new Map<string, Set<number>>();
  private readonly pendingCallbacks = new Set<string>();
  private readonly queue: FakeUpdate[] = [];
  private allowedUpdates: string[] = DEFAULT_ALLOWED;
  private waiter: Waiter | undefined;
  private nextUpdateId = 100_000;
  private server: LoopbackServer | undefined;
  private port = 0;

  constructor(options: TelegramFakeOptions = {}) {
    this.token = options.token ?? FAKE_TELEGRAM_TOKEN;
    this.botUser = { id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Switchboard', username: options.username ?? 'switchboard_test_bot' };
  }

  /** The API root to give grammY (`client.apiRoot`); no trailing slash. */
  get url(): string {
    if (!this.server) throw new Error('TelegramFake is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  get username(): string {
    return this.botUser.username!;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, 500, { ok: false, error_code: 500, description: `Telegram fake failed: ${String(error)}` });
      });
    });
    this.port = this.server.port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    if (this.waiter) this.flushWaiter([]);
    await server.close();
  }

  // --- scripting ---

  /** The next `times` calls of `method` get 429 with `parameters.retry_after` (seconds). */
  rateLimit(method: string, retryAfterSeconds: number, times = 1): this {
    return this.failWith(method, 429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds }, times);
  }

  /** The next `times` calls of `method` get 500. */
  serverError(method: string, times = 1): this {
    return this.failWith(method, 500, 'Internal Server Error', undefined, times);
  }

  /** The next `times` valid calls of `method` succeed before the failures scripted after this. */
  pass(method: string, times = 1): this {
    const queue = this.script.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(null);
    this.script.set(method, queue);
    return this;
  }

  /** The next `times` valid calls of `method` fail with this error. */
  failWith(method: string, errorCode: number, description: string, parameters?: Record<string, unknown>, times = 1): this {
    const queue = this.script.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push({ error_code: errorCode, description, ...(parameters ? { parameters } : {}) });
    this.script.set(method, queue);
    return this;
  }

  /**
   * The next `times` valid calls of `method` are carried out (a sendMessage is posted and recorded in
   * `sent`) but answered only after `ms`: a platform that accepted the request and then hung, past
   * the client's timeout.
   */
  hang(method: string, ms: number, times = 1): this {
    const queue = this.hangs.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(ms);
    this.hangs.set(method, queue);
    return this;
  }

  /** Messages to this chat are refused as Telegram refuses them after the user blocked the bot (403). */
  blockChat(chatId: number): this {
    this.blocked.add(String(chatId));
    return this;
  }

  /** Makes a file downloadable through getFile. */
  addFile(bytes: Buffer, options: { path?: string; fileId?: string } = {}): FakeFile {
    const file: FakeFile = {
      file_id: options.fileId ?? `AwACAgIAAxkBAAI${randomBytes(12).toString('base64url')}`,
      file_unique_id: `AgAD${randomBytes(6).toString('base64url')}`,
      file_size: bytes.length,
      file_path: options.path ?? `voice/file_${this.files.size + 1}.oga`,
    };
    this.files.set(file.file_id, { file, bytes });
    return file;
  }

  // --- what the tests read ---

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((message) => String(message.chat_id) === String(chatId));
  }

  /** Polls until `probe` returns something truthy (default: up to 10 s). */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 10_000, what = 'the condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`TelegramFake: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Resolves with the messages sent to a chat once there are at least `count`. */
  waitForSent(chatId: number, count = 1, timeoutMs = 10_000): Promise<SentMessage[]> {
    return this.waitFor(() => {
      const sent = this.sentTo(chatId);
      return sent.length >= count ? sent : undefined;
    }, timeoutMs, `${count} message(s) to chat ${chatId}`);
  }

  // --- Telegram's side: updates ---

  static user(id: number, firstName: string, extra: Partial<FakeUser> = {}): FakeUser {
    return { id, is_bot: false, first_name: firstName, ...extra };
  }

  static privateChat(user: FakeUser): FakeChat {
    return { id: user.id, type: 'private', first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}), ...(user.username ? { username: user.username } : {}) };
  }

  static group(id: number, title: string, extra: Partial<FakeChat> = {}): FakeChat {
    return { id, type: 'supergroup', title, ...extra };
  }

  /**
   * A new message from a user, with the entities Telegram would compute: a `bot_command` at the
   * start and `mention`s of `@usernames` (unless `entities` is given).
   */
  message(input: { chat: FakeChat; from: FakeUser; text: string; entities?: FakeEntity[]; replyTo?: FakeMessage; threadId?: number; extra?: Partial<FakeMessage> }): FakeUpdate {
    const message: FakeMessage = {
      message_id: this.nextMessageId(input.chat.id),
      from: input.from,
      chat: input.chat,
      date: now(),
      text: input.text,
      ...(input.threadId !== undefined ? { message_thread_id: input.threadId, is_topic_message: true } : {}),
      ...(input.replyTo ? { reply_to_message: input.replyTo } : {}),
      ...input.extra,
    };
    const entities = input.entities ?? computeEntities(input.text);
    if (entities.length) message.entities = entities;
    return this.update({ message });
  }

  /** The same message, edited (same message_id, an edit_date). */
  editedMessage(original: FakeUpdate, text: string): FakeUpdate {
    const message = original.message as FakeMessage;
    const entities = computeEntities(text);
    const edited: FakeMessage = { ...message, text, edit_date: message.date + 60 };
    if (entities.length) edited.entities = entities;
    else delete edited.entities;
    return this.update({ edited_message: edited });
  }

  /** A voice note (or, with `kind: 'audio'`, an audio file) from a user. */
  voiceMessage(input: { chat: FakeChat; from: FakeUser; file: FakeFile; duration: number; kind?: 'voice' | 'audio'; caption?: string; mimeType?: string }): FakeUpdate {
    const media = {
      file_id: input.file.file_id,
      file_unique_id: input.file.file_unique_id,
      duration: input.duration,
      mime_type: input.mimeType ?? (input.kind === 'audio' ? 'audio/mpeg' : 'audio/ogg'),
      file_size: input.file.file_size,
    };
    return this.update({
      message: {
        message_id: this.nextMessageId(input.chat.id),
        from: input.from,
        chat: input.chat,
        date: now(),
        [input.kind ?? 'voice']: media,
        ...(input.caption ? { caption: input.caption } : {}),
      },
    });
  }

  /** A click on an inline button under a message the bot sent. */
  callbackQuery(input: { from: FakeUser; message: SentMessage; data: string }): FakeUpdate {
    const id = String(BigInt.asUintN(63, BigInt(`0x${randomBytes(8).toString('hex')}`)));
    this.pendingCallbacks.add(id);
    return this.update({
      callback_query: { id, from: input.from, message: input.message.message, chat_instance: String(Math.abs(Number(input.message.chat_id)) * 7919), data: input.data },
    });
  }

  /** Any other update (its `update_id` is assigned). */
  update(body: Record<string, unknown>): FakeUpdate {
    return { update_id: this.nextUpdateId++, ...body };
  }

  /** Queues updates for getUpdates (long polling); a waiting getUpdates call gets them at once. */
  queueUpdate(...updates: FakeUpdate[]): this {
    for (const update of updates) this.track(update);
    this.queue.push(...updates);
    if (this.waiter) {
      const ready = this.deliverable(this.waiter.limit);
      if (ready.length) this.flushWaiter(ready);
    }
    return this;
  }

  /** Updates queued and not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): number {
    return this.queue.length;
  }

  /**
   * Posts an update to a webhook as Telegram does: JSON, with `X-Telegram-Bot-Api-Secret-Token` set to
   * the secret registered with setWebhook. `url` defaults to the registered webhook; `secret`
   * overrides the header (`null`: no header at all).
   */
  async postUpdate(update: FakeUpdate | string, options: { url?: string; secret?: string | null } = {}): Promise<{ status: number; body: string }> {
    const url = options.url ?? this.webhook?.url;
    if (!url) throw new Error('TelegramFake.postUpdate: no webhook is set and no url was given');
    if (typeof update !== 'string') this.track(update);
    const secret = options.secret === undefined ? this.webhook?.secret_token : options.secret;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
    return { status: response.status, body: await response.text() };
  }

  private track(update: FakeUpdate): void {
    const message = (update.message ?? update.edited_message) as FakeMessage | undefined;
    if (message) this.knowMessage(message.chat.id, message.message_id);
    const query = update.callback_query as { id?: string } | undefined;
    if (query?.id) this.pendingCallbacks.add(query.id);
  }

  private nextMessageId(chatId: number | string): number {
    const next = (this.messageIds.get(String(chatId)) ?? 0) + 1;
    this.messageIds.set(String(chatId), next);
    this.knowMessage(chatId, next);
    return next;
  }

  private knowMessage(chatId: number | string, messageId: number): void {
    const known = this.knownMessages.get(String(chatId)) ?? new Set<number>();
    known.add(messageId);
    this.knownMessages.set(String(chatId), known);
    this.messageIds.set(String(chatId), Math.max(this.messageIds.get(String(chatId)) ?? 0, messageId));
  }

  // --- the endpoints ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(res, decodeURIComponent(file[1]!), file[2]!.split('/').map(decodeURIComponent).join('/'));
    const api = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!api) return this.refuse(res, url.pathname, 404, 'Not Found');
    if (decodeURIComponent(api[1]!) !== this.token) return this.refuse(res, url.pathname, 401, 'Unauthorized');
    const method = api[2]!;
    let params: Record<string, unknown>;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    } catch (error) {
      return this.answer(res, { method, params: {}, status: 0 }, new ApiError(400, `Bad Request: ${(error as Error).message}`));
    }
    const call: RecordedCall = { method, params, status: 0 };
    const handler = this.methods[method];
    if (!handler) return this.answer(res, call, new ApiError(404, 'Not Found'));
    try {
      const result = handler(params, res, call);
      if (result === HELD) return;
      const scripted = this.script.get(method)?.shift();
      if (scripted) throw new ApiError(scripted.error_code, scripted.description, scripted.parameters);
      this.commit(method, params, result);
      const hang = this.hangs.get(method)?.shift();
      if (hang !== undefined) {
        const timer = setTimeout(() => {
          if (!res.destroyed) this.answer(res, call, undefined, result);
        }, hang);
        timer.unref();
        return;
      }
      this.answer(res, call, undefined, result);
    } catch (error) {
      if (error instanceof ApiError) return this.answer(res, call, error);
      throw error;
    }
  }

  private readonly methods: Record<string, (params: Record<string, unknown>, res: ServerResponse, call: RecordedCall) => unknown> = {
    getMe: () => ({ ...this.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
    setWebhook: (p) => {
      const url = optionalString(p, 'url') ?? '';
      if (url === '') return true;
      if (!url.startsWith('https://')) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
      const secret = optionalString(p, 'secret_token');
      if (secret !== undefined && !SECRET_TOKEN.test(secret)) throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
      const allowed = optionalStringArray(p, 'allowed_updates');
      return { url, ...(secret ? { secret_token: secret } : {}), ...(allowed ? { allowed_updates: allowed } : {}) };
    },
    deleteWebhook: () => true,
    getWebhookInfo: () => ({ url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length }),
    getUpdates: (p, res, call) => {
      if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      const offset = optionalInt(p, 'offset');
      const limit = Math.min(Math.max(optionalInt(p, 'limit') ?? 100, 1), 100);
      const timeout = Math.max(optionalInt(p, 'timeout') ?? 0, 0);
      const allowed = optionalStringArray(p, 'allowed_updates');
      if (allowed) this.allowedUpdates = allowed.length ? allowed : DEFAULT_ALLOWED;
      if (offset !== undefined) this.confirm(offset);
      if (this.waiter) {
        const previous = this.waiter;
        this.waiter = undefined;
        clearTimeout(previous.timer);
        this.sendJson(previous.res, 409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
      }
      const ready = this.deliverable(limit);
      if (ready.length || timeout === 0 || this.script.get('getUpdates')?.length) return ready;
      call.status = 200;
      this.calls.push(call);
      const timer = setTimeout(() => this.flushWaiter([]), timeout * 1000);
      this.waiter = { res, limit, timer };
      res.on('close', () => {
        if (this.waiter?.res === res) {
          clearTimeout(this.waiter.timer);
          this.waiter = undefined;
        }
      });
      return HELD;
    },
    sendMessage: (p) => this.validateSendMessage(p),
    answerCallbackQuery: (p) => {
      const id = requiredString(p, 'callback_query_id');
      if (!this.pendingCallbacks.has(id)) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      const text = optionalString(p, 'text');
      if (text !== undefined && text.length > 200) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
      return true;
    },
    getFile: (p) => {
      const id = requiredString(p, 'file_id');
      const entry = this.files.get(id);
      if (!entry) throw new ApiError(400, 'Bad Request: invalid file_id');
      if (entry.file.file_size > MAX_DOWNLOAD_BYTES) throw new ApiError(400, 'Bad Request: file is too big');
      return entry.file;
    },
  };

  /** Side effects of a call that succeeded (after the scripted failures had their turn). */
  private commit(method: string, params: Record<string, unknown>, result: unknown): void {
    switch (method) {
      case 'setWebhook': {
        const info = result as WebhookInfo | true;
        this.webhook = info === true ? undefined : info;
        break;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') this.queue.length = 0;
        break;
      case 'answerCallbackQuery':
        this.pendingCallbacks.delete(String(params.callback_query_id));
        this.answeredCallbacks.push(String(params.callback_query_id));
        break;
      case 'sendMessage': {
        const sent = result as FakeMessage;
        const parsed = this.parsedText.get(sent) ?? { text: sent.text ?? '', entities: [] };
        const recorded: SentMessage = {
          message_id: sent.message_id,
          chat_id: params.chat_id as number | string,
          ...(sent.message_thread_id !== undefined ? { message_thread_id: sent.message_thread_id } : {}),
          text: parsed.text,
          raw: String(params.text),
          ...(typeof params.parse_mode === 'string' ? { parse_mode: params.parse_mode } : {}),
          entities: parsed.entities,
          ...(sent.reply_markup ? { reply_markup: sent.reply_markup as SentMessage['reply_markup'] } : {}),
          ...(sent.reply_to_message ? { reply_to_message_id: sent.reply_to_message.message_id } : {}),
          message: sent,
        };
        this.sent.push(recorded);
        for (const listener of this.onSent) listener(recorded);
        break;
      }
    }
  }

  /** The parsed text of each message sendMessage built, for the `sent` record. */
  private readonly parsedText = new WeakMap<FakeMessage, { text: string; entities: HtmlEntity[] }>();

  private validateSendMessage(p: Record<string, unknown>): FakeMessage {
    const chatId = p.chat_id;
    if (chatId === undefined || chatId === '') throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chatKey = String(chatId);
    if (!/^-?\d+$/.test(chatKey) && !/^@\w{5,}$/.test(chatKey)) throw new ApiError(400, 'Bad Request: chat not found');
    const raw = p.text;
    if (typeof raw !== 'string' || raw.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
    const parseMode = optionalString(p, 'parse_mode');
    let parsed = { text: raw, entities: [] as HtmlEntity[] };
    if (parseMode !== undefined && parseMode !== '') {
      if (!['html', 'markdownv2', 'markdown'].includes(parseMode.toLowerCase())) throw new ApiError(400, 'Bad Request: unsupported parse_mode');
      if (parseMode.toLowerCase() !== 'html') throw new ApiError(400, `Bad Request: the Telegram fake does not parse ${parseMode}; use HTML`);
      try {
        parsed = parseTelegramHtml(raw);
      } catch (error) {
        if (error instanceof TelegramHtmlError) throw new ApiError(400, error.message);
        throw error;
      }
    }
    if (parsed.text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
    if (parsed.text.length > TEXT_LIMIT) throw new ApiError(400, 'Bad Request: message is too long');
    const threadId = optionalInt(p, 'message_thread_id');
    if (p.message_thread_id !== undefined && (threadId === undefined || threadId <= 0)) throw new ApiError(400, 'Bad Request: message thread not found');
    const replyParameters = optionalObject(p, 'reply_parameters');
    let replyTo: number | undefined;
    if (replyParameters) {
      const id = replyParameters.message_id;
      if (typeof id !== 'number' || !Number.isInteger(id)) throw new ApiError(400, 'Bad Request: reply_parameters.message_id must be an integer');
      if (!this.knownMessages.get(chatKey)?.has(id) && replyParameters.allow_sending_without_reply !== true) {
        throw new ApiError(400, 'Bad Request: message to be replied not found');
      }
      replyTo = id;
    }
    const markup = optionalObject(p, 'reply_markup');
    if (markup) validateInlineKeyboard(markup);
    if (this.blocked.has(chatKey)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    const id = Number(chatKey);
    const message: FakeMessage = {
      message_id: this.peekMessageId(chatKey),
      from: this.botUser,
      chat: id > 0 ? { id, type: 'private' } : { id, type: chatKey.startsWith('-100') ? 'supergroup' : 'group', title: 'Group' },
      date: now(),
      text: parsed.text,
      ...(parsed.entities.length ? { entities: parsed.entities.map((entity) => ({ ...entity })) } : {}),
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...(replyTo !== undefined ? { reply_to_message: { message_id: replyTo, chat: { id, type: id > 0 ? 'private' : 'supergroup' }, date: now() } } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    };
    this.parsedText.set(message, parsed);
    return message;
  }

  /** The id the next message in a chat gets; taken only when the send succeeds. */
  private peekMessageId(chatKey: string): number {
    return (this.messageIds.get(chatKey) ?? 0) + 1;
  }

  private confirm(offset: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.update_id < offset) this.queue.splice(i, 1);
  }

  private deliverable(limit: number): FakeUpdate[] {
    // Kinds not asked for are dropped, as Telegram drops them.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const kind = Object.keys(this.queue[i]!).find((key) => key !== 'update_id');
      if (kind && !this.allowedUpdates.includes(kind)) this.queue.splice(i, 1);
    }
    return this.queue.slice(0, limit);
  }

  private flushWaiter(updates: FakeUpdate[]): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    if (!waiter.res.writableEnded) this.sendJson(waiter.res, 200, { ok: true, result: updates });
  }

  private download(res: ServerResponse, token: string, path: string): void {
    if (token !== this.token) return this.refuse(res, `/file/bot…/${path}`, 401, 'Unauthorized');
    const entry = [...this.files.values()].find((candidate) => candidate.file.file_path === path);
    if (!entry) return this.refuse(res, `/file/bot…/${path}`, 404, 'Not Found');
    this.downloads.push(path);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.bytes.length });
    res.end(entry.bytes);
  }

  private answer(res: ServerResponse, call: RecordedCall, error?: ApiError, result?: unknown): void {
    if (error) {
      call.status = error.error_code;
      call.description = error.description;
      this.calls.push(call);
      return this.sendJson(res, error.error_code, {
        ok: false,
        error_code: error.error_code,
        description: error.description,
        ...(error.parameters ? { parameters: error.parameters } : {}),
      });
    }
    call.status = 200;
    this.calls.push(call);
    if (call.method === 'sendMessage') this.nextMessageId((result as FakeMessage).chat.id);
    this.sendJson(res, 200, { ok: true, result: call.method === 'setWebhook' ? true : result });
  }

  private refuse(res: ServerResponse, path: string, status: number, description: string): void {
    this.refused.push({ path, status });
    this.sendJson(res, status, { ok: false, error_code: status, description });
  }

  private sendJson(res: ServerResponse, status: number, payload: unknown): void {
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}

const HELD = Symbol('held');

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** The entities Telegram computes for a typed text: a leading bot command and @mentions. */
export function computeEntities(text: string): FakeEntity[] {
  const entities: FakeEntity[] = [];
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const match of text.matchAll(/(^|[^\w@/])(@[A-Za-z0-9_]{5,32})\b/g)) {
    entities.push({ type: 'mention', offset: match.index + match[1]!.length, length: match[2]!.length });
  }
  return entities;
}

async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (!body) return {};
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const json = JSON.parse(body) as unknown;
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('the JSON body must be an object');
    return json as Record<string, unknown>;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  throw new Error(`the Telegram fake does not read ${type || 'bodies without a content type'} (send JSON or a form)`);
}

function requiredString(p: Record<string, unknown>, name: string): string {
  const value = p[name];
  if (value === undefined || value === '') throw new ApiError(400, `Bad Request: ${name} is empty`);
  return String(value);
}

function optionalString(p: Record<string, unknown>, name: string): string | undefined {
  const value = p[name];
  return value === undefined || value === null ? undefined : String(value);
}

function optionalInt(p: Record<string, unknown>, name: string): number | undefined {
  const value = p[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) throw new ApiError(400, `Bad Request: ${name} must be an integer`);
  return number;
}

/** Objects may come as JSON (a JSON body) or JSON-serialized strings (a form), as the API accepts both. */
function optionalObject(p: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let value = p[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ApiError(400, `Bad Request: can't parse ${name} JSON object`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, `Bad Request: can't parse ${name} JSON object`);
  return value as Record<string, unknown>;
}

function optionalStringArray(p: Record<string, unknown>, name: string): string[] | undefined {
  let value = p[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') value = JSON.parse(value);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ApiError(400, `Bad Request: can't parse ${name}`);
  const unknown = value.find((kind) => !UPDATE_KINDS.has(kind));
  if (unknown) throw new ApiError(400, `Bad Request: unknown update type "${unknown}" in ${name}`);
  return value;
}

function validateInlineKeyboard(markup: Record<string, unknown>): void {
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw new ApiError(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays");
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (!button || typeof button !== 'object') throw new ApiError(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      const b = button as Record<string, unknown>;
      if (typeof b.text !== 'string' || b.text === '') throw new ApiError(400, 'Bad Request: BUTTON_TEXT_INVALID');
      const actions = ['url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'copy_text', 'pay'].filter((key) => b[key] !== undefined);
      if (actions.length !== 1) throw new ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (b.callback_data !== undefined) {
        const bytes = typeof b.callback_data === 'string' ? Buffer.byteLength(b.callback_data) : 0;
        if (bytes < 1 || bytes > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
    }
  }
}
