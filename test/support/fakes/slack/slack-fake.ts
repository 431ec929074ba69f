import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the Slack Web API methods Switchboard uses, as a real HTTP server on 127.0.0.1. The real
 * `@slack/web-api` client is pointed at it with `slackApiUrl` (SLACK_API_URL = `fake.url`), so its
 * serialisation, headers and error handling run for real.
 *
 * Methods: `auth.test`, `chat.postMessage`, `files.info`, and the `url_private` download of a file.
 * It checks what it receives as Slack does, and refuses what Slack refuses (HTTP 200, `ok: false`):
 * - the token: `Authorization: Bearer xoxb-…` (or a form field `token`) → `not_authed` when absent,
 *   `invalid_auth` when wrong; a JSON body needs the Bearer header;
 * - the content type: form-encoded or JSON (`invalid_form_data` otherwise);
 * - chat.postMessage: `channel` (`channel_not_found`), `text` or `blocks` (`no_text`), text at most
 *   40 000 characters (`msg_too_long`), blocks that parse (`invalid_blocks_format`) and follow Block Kit's
 *   limits: at most 50, a section's text 1–3000 characters, actions with 1–25 buttons whose label is at
 *   most 75 characters and whose `action_id`s are unique (`invalid_blocks`); `thread_ts` a Slack timestamp
 *   (`invalid_thread_ts`); channels the bot is not in (`not_in_channel`, scripted with `notIn`).
 * Every call is recorded in `calls` (refused ones too, with their error); posted messages in `posted`.
 * Failures are scripted per method: `fail('chat.postMessage', { status: 429, retryAfter: 1 })`,
 * `{ status: 500 }`, or a platform error `{ error: 'channel_not_found' }`, `times` in a row.
 *
 * @example
 * const fake = await new SlackFake().start();
 * fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
 * const client = new WebClient(fake.botToken, { slackApiUrl: fake.url });
 * await client.chat.postMessage({ channel: 'C1', text: 'hi' }); // throws WebAPIRateLimitedError, then works
 * expect(fake.posted).toHaveLength(1);
 * await fake.stop();
 */

export const FAKE_SLACK_BOT_TOKEN = 'xoxb-1111111111-2222222222-FakeBotTokenForSwitchboard';
export const FAKE_SLACK_SIGNING_SECRET = 'fake-signing-secret-0123456789abcdef';
export const FAKE_SLACK_TEAM_ID = 'T0AGENCY01';
export const FAKE_SLACK_BOT_USER_ID = 'U0SWITCHBD';
export const FAKE_SLACK_BOT_ID = 'B0SWITCHBD';

const MAX_TEXT = 40_000;
const TS = /^\d+\.\d+$/;

// --- what the fake accepts: Block Kit, the blocks the bot sends and a few common others ---

const PlainText = z.object({ type: z.literal('plain_text'), text: z.string().min(1).max(3000), emoji: z.boolean().optional() }).strict();
const TextObject = z
  .object({ type: z.enum(['mrkdwn', 'plain_text']), text: z.string().min(1, 'text must not be empty').max(3000, 'a section text is at most 3000 characters'), emoji: z.boolean().optional(), verbatim: z.boolean().optional() })
  .strict();
const BlockId = z.string().max(255).optional();
const ButtonSchema = z
  .object({
    type: z.literal('button'),
    text: PlainText.extend({ text: z.string().min(1).max(75, 'a button label is at most 75 characters') }),
    action_id: z.string().min(1).max(255).optional(),
    value: z.string().max(2000).optional(),
    url: z.string().max(3000).optional(),
    style: z.enum(['primary', 'danger']).optional(),
    accessibility_label: z.string().max(75).optional(),
  })
  .strict();
const BlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('section'), block_id: BlockId, text: TextObject.optional(), fields: z.array(TextObject).max(10).optional() }).strict(),
  z.object({ type: z.literal('actions'), block_id: BlockId, elements: z.array(ButtonSchema).min(1).max(25) }).strict(),
  z.object({ type: z.literal('divider'), block_id: BlockId }).strict(),
  z.object({ type: z.literal('header'), block_id: BlockId, text: PlainText }).strict(),
  z.object({ type: z.literal('context'), block_id: BlockId, elements: z.array(TextObject).min(1).max(10) }).strict(),
]);
const BlocksSchema = z.array(BlockSchema).max(50, 'at most 50 blocks');
export type SlackFakeBlock = z.infer<typeof BlockSchema>;

// --- what the fake records and answers ---

export interface RecordedCall {
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  contentType: string;
  /** The arguments as Slack reads them (form fields as strings; JSON as sent). */
  params: Record<string, unknown>;
  /** `ok` or the error Slack answered (`invalid_auth`, `ratelimited`, `HTTP 500`…). */
  outcome: string;
}

export interface PostedMessage {
  channel: string;
  text: string | undefined;
  thread_ts: string | undefined;
  blocks: SlackFakeBlock[] | undefined;
  mrkdwn: unknown;
  ts: string;
}

export type ScriptedFailure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  bytes: Buffer;
}

export interface SlackFakeOptions {
  botToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

export class SlackFake {
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly calls: RecordedCall[] = [];
  readonly posted: PostedMessage[] = [];
  /** Called with each message posted successfully, as it arrives (benchmarks count turns by it). */
  readonly onPosted: ((post: PostedMessage) => void)[] = [];
  /** Downloads of files (`url_private`), with whether the bot token came with them. */
  readonly downloads: { fileId: string; authorized: boolean }[] = [];

  private readonly failures = new Map<string, ScriptedFailure[]>();
  private readonly notInChannels = new Set<string>();
  private readonly files = new Map<string, FakeFile>();
  private readonly waiters = new Set<() => void>();
  private server: LoopbackServer | undefined;
  private port = 0;
  private seq = 0;

  constructor(options: SlackFakeOptions = {}) {
    this.botToken = options.botToken ?? FAKE_SLACK_BOT_TOKEN;
    this.botUserId = options.botUserId ?? FAKE_SLACK_BOT_USER_ID;
    this.botId = options.botId ?? FAKE_SLACK_BOT_ID;
    this.teamId = options.teamId ?? FAKE_SLACK_TEAM_ID;
  }

  /** The Web API base URL (SLACK_API_URL / `slackApiUrl`), ending in `/api/` as Slack's does. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  get origin(): string {
    if (!this.server) throw new Error('SlackFake is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { ok: false, error: `fake_failure: ${String(error)}` });
      });
    });
    this.port = this.server.port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  // --- scripting ---

  /** The next `times` calls of `method` fail this way (after authentication and validation pass). */
  fail(method: string, failure: ScriptedFailure, times = 1): this {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
    return this;
  }

  /** chat.postMessage to this channel answers `not_in_channel`. */
  notIn(channel: string): this {
    this.notInChannels.add(channel);
    return this;
  }

  /** A file the bot can read with files.info and download from its `url_private`. */
  addFile(file: FakeFile): Record<string, unknown> {
    this.files.set(file.id, file);
    return this.fileObject(file);
  }

  /** Forgets recorded calls and posts (scripted failures stay). */
  clear(): void {
    this.calls.length = 0;
    this.posted.length = 0;
    this.downloads.length = 0;
  }

  // --- reading what happened ---

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  postsIn(channel: string, thread?: string): PostedMessage[] {
    return this.posted.filter((p) => p.channel === channel && (thread === undefined || p.thread_ts === thread));
  }

  /** Waits until `count` messages matching `where` have been posted, and returns them. */
  async waitForPosts(count: number, where: (post: PostedMessage) => boolean = () => true, timeoutMs = 15_000): Promise<PostedMessage[]> {
    const found = () => this.posted.filter(where);
    if (found().length >= count) return found();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (found().length >= count) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(found());
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`SlackFake: waited ${timeoutMs} ms for ${count} posts, saw ${found().length}: ${JSON.stringify(this.posted.map((p) => p.text))}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Waits until `count` calls of `method` have been made (whatever their outcome). */
  async waitForCalls(method: string, count: number, timeoutMs = 15_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsOf(method).length < count) {
      if (Date.now() > deadline) throw new Error(`SlackFake: waited ${timeoutMs} ms for ${count} ${method} calls, saw ${this.callsOf(method).length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.callsOf(method);
  }

  // --- the server ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/files-pri/')) return this.download(req, res, url);
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error: 'unknown_method' });
    const method = match[1]!;
    const headers = flattenHeaders(req);
    const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const raw = (await readBody(req)).toString('utf8');
    const call: RecordedCall = { method, headers, contentType, params: {}, outcome: 'ok' };
    this.calls.push(call);
    const refuse = (error: string, extra: Record<string, unknown> = {}) => {
      call.outcome = error;
      send(res, 200, { ok: false, error, ...extra });
    };

    // Arguments: the query string, then the body (form-encoded or JSON).
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST' && raw.length > 0) {
      if (contentType === 'application/x-www-form-urlencoded') Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
      else if (contentType === 'application/json') {
        try {
          const json: unknown = JSON.parse(raw);
          if (typeof json !== 'object' || json === null || Array.isArray(json)) return refuse('invalid_json');
          Object.assign(params, json);
        } catch {
          return refuse('invalid_json');
        }
      } else return refuse('invalid_form_data');
    }
    call.params = params;

    // Authentication: a Bearer header, or (form-encoded only) a token argument.
    const authorization = headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
    const token = bearer ?? (contentType === 'application/json' ? undefined : typeof params.token === 'string' ? params.token : undefined);
    if (!token) return refuse('not_authed');
    if (token !== this.botToken) return refuse('invalid_auth');

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('error' in failure) return refuse(failure.error);
      call.outcome = failure.status === 429 ? 'ratelimited' : `HTTP ${failure.status}`;
      if (failure.status === 429) return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      return send(res, failure.status, { ok: false, error: 'internal_error' });
    }

    switch (method) {
      case 'auth.test':
        return send(res, 200, {
          ok: true,
          url: 'https://switchboard-agency.slack.com/',
          team: 'Switchboard Agency',
          user: 'switchboard',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        });
      case 'chat.postMessage':
        return this.postMessage(params, res, refuse);
      case 'files.info': {
        const file = typeof params.file === 'string' ? this.files.get(params.file) : undefined;
        if (!file) return refuse('file_not_found');
        return send(res, 200, { ok: true, file: this.fileObject(file), comments: [], response_metadata: { next_cursor: '' } });
      }
      default:
        return refuse('unknown_method');
    }
  }

  private postMessage(params: Record<string, unknown>, res: ServerResponse, refuse: (error: string, extra?: Record<string, unknown>) => void): void {
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (!channel) return refuse('channel_not_found');
    const text = typeof params.text === 'string' && params.text !== '' ? params.text : undefined;
    let blocks: SlackFakeBlock[] | undefined;
    if (params.blocks !== undefined) {
      let raw = params.blocks;
      if (typeof raw === 'string') {
        try {
          raw = JSON.parse(raw);
        } catch {
          return refuse('invalid_blocks_format');
        }
      }
      const parsed = BlocksSchema.safeParse(raw);
      if (!parsed.success) {
        return refuse('invalid_blocks', { errors: parsed.error.issues.map((i) => `${i.message} [json-pointer:/blocks/${i.path.join('/')}]`) });
      }
      const actionIds = parsed.data.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : [])).filter(Boolean);
      if (new Set(actionIds).size !== actionIds.length) return refuse('invalid_blocks', { errors: ['action_id values must be unique'] });
      blocks = parsed.data.length > 0 ? parsed.data : undefined;
    }
    if (!text && !blocks) return refuse('no_text');
    if (text && text.length > MAX_TEXT) return refuse('msg_too_long');
    const thread = params.thread_ts;
    if (thread !== undefined && (typeof thread !== 'string' || !TS.test(thread))) return refuse('invalid_thread_ts');
    if (this.notInChannels.has(channel)) return refuse('not_in_channel');
    const ts = this.nextTs();
    const post: PostedMessage = { channel, text, thread_ts: thread as string | undefined, blocks, mrkdwn: params.mrkdwn, ts };
    this.posted.push(post);
    for (const listener of this.onPosted) listener(post);
    for (const waiter of [...this.waiters]) waiter();
    send(res, 200, {
      ok: true,
      channel,
      ts,
      message: {
        type: 'message',
        subtype: 'bot_message',
        text: text ?? '',
        user: this.botUserId,
        bot_id: this.botId,
        ts,
        ...(thread ? { thread_ts: thread } : {}),
        ...(blocks ? { blocks } : {}),
      },
    });
  }

  /** GET of a `url_private`: the file with the bot token, Slack's sign-in page without it. */
  private download(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const match = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/(?:download\/)?[^/]+$/.exec(url.pathname);
    const file = match ? this.files.get(match[1]!) : undefined;
    const authorized = req.headers.authorization === `Bearer ${this.botToken}`;
    if (match) this.downloads.push({ fileId: match[1]!, authorized });
    if (!authorized) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>');
      return;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('file not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  /** A file object as files.info returns it; `url_private` is Slack's own host, as in production. */
  private fileObject(file: FakeFile): Record<string, unknown> {
    const path = `/files-pri/${this.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      created: 1_700_000_000,
      timestamp: 1_700_000_000,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.name.split('.').pop() ?? 'binary',
      user: 'U0ANA00001',
      size: file.bytes.length,
      mode: 'hosted',
      is_external: false,
      is_public: false,
      url_private: `https://files.slack.com${path}`,
      url_private_download: `https://files.slack.com/files-pri/${this.teamId}-${file.id}/download/${encodeURIComponent(file.name)}`,
    };
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }
}

// --- helpers ---

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
