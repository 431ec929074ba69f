import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the WhatsApp Cloud API (Meta's Graph API), as a real HTTP server on 127.0.0.1. The
 * channel is pointed at it with WHATSAPP_GRAPH_URL, so its real HTTP code runs.
 *
 * Endpoints, as Meta documents them:
 * - `POST /{version}/{phone-number-id}/messages`: text, interactive reply buttons and template
 *   messages. Answers `{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid…"}]}`.
 * - `GET /{version}/{media-id}`: `{"messaging_product","url","mime_type","sha256","file_size","id"}`.
 * - `GET <that url>` (`/whatsapp_business/attachments/?mid=…`): the media bytes.
 *
 * It refuses what the API refuses, with Graph's error body
 * `{"error":{"message","type","code","error_subcode"?,"error_data"?:{"messaging_product","details"},"fbtrace_id"}}`:
 * - no or a wrong Bearer token → 401, code 104 / 190 (every endpoint, the download URL included);
 * - an unknown phone number id or media id → 400, code 100 subcode 33;
 * - a body that is not `messaging_product: "whatsapp"` with `to` and a `type` whose object is valid →
 *   400, code 100: text.body 1–4096 characters; interactive `button` with a body of 1–1024, 1–3
 *   `reply` buttons with unique ids (≤ 256) and unique titles (≤ 20); template `name` and
 *   `language.code` of an approved template (`approveTemplate`; unknown → 132001), parameters as
 *   many as the template has (132000), without new lines, tabs or more than 4 spaces in a row (132018).
 *
 * Scripted failures answer the next accepted sends: `rateLimited` (429, 130429, Retry-After),
 * `serverError` (500, code 2), `reEngagement` (400, 131047), `undeliverable` (400, 131026).
 * Accepted messages are recorded in `sent`; every request in `requests` (with the status it got);
 * requests refused as invalid or unauthorised (not the scripted failures) also in `rejected`.
 *
 * Not faked: other message types (audio, image… → 400), media upload, the 24-hour window itself
 * (script `reEngagement` instead), templates with header or button components.
 *
 * @example
 * const fake = await new WhatsAppGraphFake().start();
 * fake.rateLimited(1).serverError(1);
 * … (the channel sends with WHATSAPP_GRAPH_URL=fake.url)
 * await fake.waitForSent(1);
 * expect(fake.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(3);
 */

export const FAKE_WHATSAPP = {
  accessToken: 'EAAJB-fake-whatsapp-system-user-token-0000000000',
  appSecret: 'fake-whatsapp-app-secret-0123456789',
  verifyToken: 'fake-whatsapp-verify-token-4321',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
  wabaId: '102290129340398',
} as const;

const VERSION = /^v\d+\.\d+$/;
const MAX_BODY_BYTES = 1024 * 1024;

export interface SentMessage {
  wamid: string;
  to: string;
  type: 'text' | 'interactive' | 'template';
  /** The text body, the interactive body, or the template's parameters joined. */
  text: string;
  buttons?: { id: string; title: string }[];
  template?: { name: string; language: string; parameters: string[] };
  body: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  status: number;
  graphCode?: number;
}

type Scripted =
  | { kind: 'accept' }
  | { kind: 'rate_limited'; retryAfterSeconds?: number }
  | { kind: 'server_error' }
  | { kind: 're_engagement' }
  | { kind: 'undeliverable' };

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
  sha256: string;
}

class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly graphCode: number,
    message: string,
    readonly extra: { subcode?: number; details?: string; type?: string; retryAfterSeconds?: number; scripted?: boolean } = {},
  ) {
    super(message);
  }
}

// --- what the messages endpoint accepts ---

const invalid = (details: string) => new GraphError(400, 100, '(#100) Invalid parameter', { details });

const TextSchema = z
  .object({
    body: z.string({ error: "The parameter text['body'] is required." }).min(1, "Param text['body'] must not be empty.").max(4096, "Param text['body'] must be at most 4096 characters long."),
    preview_url: z.boolean().optional(),
  })
  .strict();

const ReplyButtonSchema = z
  .object({
    type: z.literal('reply'),
    reply: z
      .object({
        id: z.string().min(1).max(256, 'Button id must be at most 256 characters.'),
        title: z.string().min(1).max(20, 'Button title length invalid. Min length: 1, Max length: 20'),
      })
      .strict(),
  })
  .strict();

const InteractiveSchema = z
  .object({
    type: z.literal('button', 'The fake supports interactive type "button" only.'),
    header: z.object({ type: z.string(), text: z.string().max(60).optional() }).loose().optional(),
    body: z.object({ text: z.string().min(1).max(1024, 'Body text length invalid. Min length: 1, Max length: 1024') }).strict(),
    footer: z.object({ text: z.string().min(1).max(60) }).strict().optional(),
    action: z
      .object({ buttons: z.array(ReplyButtonSchema).min(1, 'At least one button is required.').max(3, 'Buttons count invalid. Min: 1, Max: 3') })
      .strict(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const ids = value.action.buttons.map((b) => b.reply.id);
    const titles = value.action.buttons.map((b) => b.reply.title);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'Duplicate button id.' });
    if (new Set(titles).size !== titles.length) ctx.addIssue({ code: 'custom', message: 'Button title must be unique.' });
  });

const TemplateSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'template name must be lowercase letters, digits and underscores'),
    language: z.object({ code: z.string().min(2), policy: z.literal('deterministic').optional() }).strict(),
    components: z
      .array(
        z
          .object({
            type: z.enum(['body', 'header', 'button']),
            sub_type: z.string().optional(),
            index: z.union([z.string(), z.number()]).optional(),
            parameters: z.array(z.object({ type: z.literal('text'), text: z.string() }).strict()),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const MessageRequestSchema = z
  .object({
    messaging_product: z.literal('whatsapp', 'The parameter messaging_product is required and must be "whatsapp".'),
    recipient_type: z.literal('individual').optional(),
    to: z.string({ error: 'The parameter to is required.' }).regex(/^\+?\d{5,20}$/, 'Param to is not a valid WhatsApp user phone number.'),
    type: z.enum(['text', 'interactive', 'template'], 'The fake supports type text, interactive and template only.'),
    text: TextSchema.optional(),
    interactive: InteractiveSchema.optional(),
    template: TemplateSchema.optional(),
    context: z.object({ message_id: z.string() }).strict().optional(),
    biz_opaque_callback_data: z.string().max(512).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value[value.type]) ctx.addIssue({ code: 'custom', message: `The parameter ${value.type} is required for type ${value.type}.` });
  });

// --- the server ---

export class WhatsAppGraphFake {
  readonly accessToken: string;
  readonly phoneNumberId: string;
  url = '';
  readonly sent: SentMessage[] = [];
  /** Called with each message accepted, as it arrives (benchmarks count turns by it). */
  readonly onSent: ((message: SentMessage) => void)[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly rejected: RecordedRequest[] = [];
  /** The media steps, in order: the lookup of a media id, then the download of its URL. */
  readonly mediaRequests: { step: 'lookup' | 'download'; mediaId: string }[] = [];
  private readonly script: Scripted[] = [];
  private readonly templates = new Map<string, number>();
  private readonly media = new Map<string, StoredMedia>();
  private server: LoopbackServer | undefined;

  constructor(options: { accessToken?: string; phoneNumberId?: string } = {}) {
    this.accessToken = options.accessToken ?? FAKE_WHATSAPP.accessToken;
    this.phoneNumberId = options.phoneNumberId ?? FAKE_WHATSAPP.phoneNumberId;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((request, response) => void this.handle(request, response));
    this.url = `http://127.0.0.1:${this.server.port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  // --- scripting ---

  /** The next `times` valid sends succeed (to script a failure after them). */
  accept(times = 1): this {
    for (let i = 0; i < times; i++) this.script.push({ kind: 'accept' });
    return this;
  }

  /** The next `times` accepted sends answer 429 with code 130429 (and Retry-After, if given). */
  rateLimited(times = 1, options: { retryAfterSeconds?: number } = {}): this {
    for (let i = 0; i < times; i++) this.script.push({ kind: 'rate_limited', ...options });
    return this;
  }

  serverError(times = 1): this {
    for (let i = 0; i < times; i++) this.script.push({ kind: 'server_error' });
    return this;
  }

  /** The next `times` accepted non-template sends answer 131047: the 24-hour window is closed. */
  reEngagement(times = 1): this {
    for (let i = 0; i < times; i++) this.script.push({ kind: 're_engagement' });
    return this;
  }

  undeliverable(times = 1): this {
    for (let i = 0; i < times; i++) this.script.push({ kind: 'undeliverable' });
    return this;
  }

  /** A template approved in WhatsApp Manager, with `parameters` body parameters. */
  approveTemplate(name: string, language: string, parameters = 1): this {
    this.templates.set(`${name}:${language}`, parameters);
    return this;
  }

  /** Media a user sent (a voice note): its id is what the webhook's `audio.id` carries. */
  addMedia(id: string, bytes: Buffer, mimeType: string): { id: string; sha256: string } {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.media.set(id, { bytes, mimeType, sha256 });
    return { id, sha256 };
  }

  get pendingScript(): number {
    return this.script.length;
  }

  sentTo(waId: string): SentMessage[] {
    return this.sent.filter((m) => m.to.replace(/^\+/, '') === waId);
  }

  /** Resolves once `predicate` holds for what was sent (default: at least `count` messages). */
  async waitForSent(count: number, options: { to?: string; timeoutMs?: number } = {}): Promise<SentMessage[]> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    for (;;) {
      const list = options.to ? this.sentTo(options.to) : this.sent;
      if (list.length >= count) return list;
      if (Date.now() > deadline) {
        throw new Error(`WhatsAppGraphFake: expected ${count} sent message(s)${options.to ? ` to ${options.to}` : ''}, got ${list.length}: ${JSON.stringify(list.map((m) => m.text))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // --- handling ---

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, query, headers: { ...request.headers }, status: 200 };
    this.requests.push(record);
    try {
      const raw = await readBody(request);
      const segments = url.pathname.split('/').filter(Boolean);
      const isMessages = request.method === 'POST' && segments.length === 3 && segments[2] === 'messages';
      if (isMessages) record.body = tryParseJson(raw);
      this.authenticate(request, query);
      if (isMessages) {
        if (record.body === undefined) throw invalid('The request body is not valid JSON.');
        return this.answerMessage(segments[0]!, segments[1]!, record.body, response);
      }
      if (request.method === 'GET' && url.pathname === '/whatsapp_business/attachments/') return this.answerDownload(query, response);
      if (request.method === 'GET' && segments.length === 2 && /^\d+$/.test(segments[1]!)) {
        return this.answerMediaLookup(segments[0]!, segments[1]!, query, response);
      }
      throw new GraphError(400, 2500, `Unknown path components: ${url.pathname}`);
    } catch (error) {
      const graph = error instanceof GraphError ? error : new GraphError(500, 1, 'An unknown error occurred', { type: 'OAuthException' });
      record.status = graph.httpStatus;
      record.graphCode = graph.graphCode;
      if (!graph.extra.scripted) this.rejected.push(record);
      sendGraphError(response, graph);
    }
  }

  private authenticate(request: IncomingMessage, query: Record<string, string>): void {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : query.access_token;
    if (!token) throw new GraphError(401, 104, 'An access token is required to request this resource.');
    if (token !== this.accessToken) throw new GraphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
  }

  private answerMessage(version: string, phoneNumberId: string, body: unknown, response: ServerResponse): void {
    if (!VERSION.test(version)) throw new GraphError(400, 2500, `Unknown path components: /${version}`);
    if (phoneNumberId !== this.phoneNumberId) {
      throw new GraphError(400, 100, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 });
    }
    const parsed = MessageRequestSchema.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'Invalid parameter');
    const message = parsed.data;
    if (message.type === 'template') this.checkTemplate(message.template!);
    const scripted = this.script[0];
    // A re-engagement error concerns free-form messages only: a template is what fixes it.
    if (scripted && !(scripted.kind === 're_engagement' && message.type === 'template')) {
      this.script.shift();
      if (scripted.kind !== 'accept') throw scriptedError(scripted);
    }
    const wamid = newWamid();
    const sent = describe(wamid, message);
    this.sent.push(sent);
    for (const listener of this.onSent) listener(sent);
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: message.to, wa_id: message.to.replace(/^\+/, '') }],
      messages: [{ id: wamid, ...(message.type === 'template' ? { message_status: 'accepted' } : {}) }],
    });
  }

  private checkTemplate(template: z.infer<typeof TemplateSchema>): void {
    const expected = this.templates.get(`${template.name}:${template.language.code}`);
    if (expected === undefined) {
      throw new GraphError(404, 132001, '(#132001) Template name does not exist in the translation', {
        details: `template name (${template.name}) does not exist in ${template.language.code}`,
      });
    }
    const parameters = (template.components ?? []).filter((c) => c.type === 'body').flatMap((c) => c.parameters);
    if (parameters.length !== expected) {
      throw new GraphError(400, 132000, '(#132000) Number of parameters does not match the expected number of params', {
        details: `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
      });
    }
    for (const parameter of parameters) {
      if (!parameter.text || /[\n\t]/.test(parameter.text) || / {5,}/.test(parameter.text)) {
        throw new GraphError(400, 132018, 'There was an issue with the parameters in your template.', {
          details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
        });
      }
      if (parameter.text.length > 1024) throw new GraphError(400, 132005, '(#132005) Translated text too long', { details: 'Body text is too long.' });
    }
  }

  private answerMediaLookup(version: string, mediaId: string, query: Record<string, string>, response: ServerResponse): void {
    if (!VERSION.test(version)) throw new GraphError(400, 2500, `Unknown path components: /${version}`);
    const media = this.media.get(mediaId);
    if (!media || (query.phone_number_id !== undefined && query.phone_number_id !== this.phoneNumberId)) {
      throw new GraphError(400, 100, `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 });
    }
    this.mediaRequests.push({ step: 'lookup', mediaId });
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      url: `${this.url}/whatsapp_business/attachments/?mid=${mediaId}&ext=${Math.floor(Date.now() / 1000)}&hash=${media.sha256.slice(0, 16)}`,
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: media.bytes.length,
      id: mediaId,
    });
  }

  private answerDownload(query: Record<string, string>, response: ServerResponse): void {
    const media = query.mid ? this.media.get(query.mid) : undefined;
    if (!media) throw new GraphError(404, 100, 'The media URL is not valid or has expired.');
    this.mediaRequests.push({ step: 'download', mediaId: query.mid! });
    response.writeHead(200, { 'content-type': media.mimeType, 'content-length': media.bytes.length });
    response.end(media.bytes);
  }
}

function scriptedError(scripted: Exclude<Scripted, { kind: 'accept' }>): GraphError {
  const error = scriptedErrorOf(scripted);
  error.extra.scripted = true;
  return error;
}

function scriptedErrorOf(scripted: Exclude<Scripted, { kind: 'accept' }>): GraphError {
  switch (scripted.kind) {
    case 'rate_limited':
      return new GraphError(429, 130429, '(#130429) Rate limit hit', {
        details: 'Cloud API message throughput has been reached.',
        ...(scripted.retryAfterSeconds !== undefined ? { retryAfterSeconds: scripted.retryAfterSeconds } : {}),
      });
    case 'server_error':
      return new GraphError(500, 2, 'Service temporarily unavailable');
    case 're_engagement':
      return new GraphError(400, 131047, '(#131047) Re-engagement message', {
        details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      });
    case 'undeliverable':
      return new GraphError(400, 131026, '(#131026) Message undeliverable', { details: 'Message Undeliverable.' });
  }
}

function describe(wamid: string, message: z.infer<typeof MessageRequestSchema>): SentMessage {
  const base = { wamid, to: message.to, type: message.type, body: message as Record<string, unknown> };
  if (message.type === 'text') return { ...base, text: message.text!.body };
  if (message.type === 'interactive') {
    return { ...base, text: message.interactive!.body.text, buttons: message.interactive!.action.buttons.map((b) => b.reply) };
  }
  const parameters = (message.template!.components ?? []).flatMap((c) => c.parameters.map((p) => p.text));
  return { ...base, text: parameters.join(' '), template: { name: message.template!.name, language: message.template!.language.code, parameters } };
}

function newWamid(): string {
  return `wamid.${Buffer.concat([Buffer.from('HBgLMTY1MDU1NTEyMzQVAgARGBI'), randomBytes(18)]).toString('base64')}`;
}

function sendGraphError(response: ServerResponse, error: GraphError): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token"' };
  if (error.httpStatus !== 401) delete headers['www-authenticate'];
  if (error.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.extra.retryAfterSeconds);
  response.writeHead(error.httpStatus, headers);
  response.end(
    JSON.stringify({
      error: {
        message: error.message,
        type: error.extra.type ?? 'OAuthException',
        code: error.graphCode,
        ...(error.extra.subcode !== undefined ? { error_subcode: error.extra.subcode } : {}),
        ...(error.extra.details ? { error_data: { messaging_product: 'whatsapp', details: error.extra.details } } : {}),
        fbtrace_id: `A${randomBytes(10).toString('base64url')}`,
      },
    }),
  );
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

function tryParseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalid('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
