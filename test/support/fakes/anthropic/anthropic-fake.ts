import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the Anthropic Messages API (`POST /v1/messages`), as a real HTTP server on 127.0.0.1.
 * The real SDK is pointed at it with `baseURL`, so its headers, retries and timeouts run for real.
 *
 * It checks what it receives as the API does, and refuses what the API refuses:
 * - authentication: the key in `x-api-key`, or as `Authorization: Bearer <key>` (API version
 *   2026-10-21 and the SDK 1.x send it that way) → 401 `authentication_error`;
 * - `anthropic-version` present and a version that exists → 400 `invalid_request_error`;
 * - the body: JSON; `model`; `max_tokens` a positive integer; non-empty `messages`, each with `role` and
 *   non-empty `content`; no unknown top-level field; each tool with a `name` matching
 *   `^[a-zA-Z0-9_-]{1,64}$` (unique), an `input_schema` of `type: "object"`; a valid `tool_choice`
 *   naming an existing tool; no `temperature`/`top_p`/`top_k` under 2026-10-21; no thinking together
 *   with forced tool use → 400 `invalid_request_error`.
 * One check is stricter than the API: every tool needs a `description` (`requireToolDescriptions`),
 * because a tool without one is a bug in our intent tools.
 *
 * Accepted requests are recorded in `requests` (headers and body), refused ones in `rejected`, and each
 * accepted request is answered by the next scripted behaviour (`toolUse`, `textOnly`, `rateLimited`, …).
 * With nothing scripted it answers 500 and counts the request in `unscripted`.
 *
 * Not faked: streaming (`stream: true` is refused), server tools, batches, token counting.
 *
 * @example
 * const fake = await new AnthropicFake().start();
 * fake.rateLimited(1).toolUse('deploy_create', { app: 'soarix-web', env: 'production' });
 * const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url });
 * …
 * expect(fake.requests).toHaveLength(2);
 * await fake.stop();
 */

/** Versions of the Messages API; requests with any other `anthropic-version` are refused. */
export const ANTHROPIC_API_VERSIONS = ['2023-06-01', '2026-10-21'] as const;
export const FAKE_ANTHROPIC_API_KEY = 'sk-ant-api03-fake-key-for-tests-0000000000';
/** The API refuses request bodies larger than 32 MB. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

// --- what the fake accepts ---

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const CacheControlSchema = z.object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() }).strict();

const TextBlockSchema = z
  .object({
    type: z.literal('text'),
    text: z.string().min(1, 'text content blocks must be non-empty'),
    cache_control: CacheControlSchema.nullish(),
    citations: z.array(z.unknown()).nullish(),
  })
  .strict();

/** Other block types (images, documents, tool results) are accepted by shape only. */
const OtherBlockSchema = z.object({ type: z.string().refine((type) => type !== 'text') }).loose();

const MessageParamSchema = z
  .object({
    role: z.enum(['user', 'assistant', 'system']),
    content: z.union([
      z.string().min(1, 'messages: text content blocks must be non-empty'),
      z.array(z.union([TextBlockSchema, OtherBlockSchema])).min(1, 'messages: content must not be empty'),
    ]),
  })
  .strict();

const InputSchemaSchema = z
  .object({
    type: z.literal('object', 'input_schema: type must be "object"'),
    properties: z.record(z.string(), z.unknown()).nullish(),
    required: z.array(z.string()).nullish(),
  })
  .loose();

const CustomToolSchema = z
  .object({
    type: z.literal('custom').nullish(),
    name: z.string().regex(TOOL_NAME, `tools: name should match pattern '${TOOL_NAME.source}'`),
    description: z.string().optional(),
    input_schema: InputSchemaSchema,
    cache_control: CacheControlSchema.nullish(),
    strict: z.boolean().optional(),
    defer_loading: z.boolean().optional(),
    eager_input_streaming: z.boolean().nullish(),
    input_examples: z.array(z.record(z.string(), z.unknown())).optional(),
    allowed_callers: z.array(z.string()).optional(),
  })
  .strict();

const ToolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('none') }).strict(),
]);

const ThinkingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('disabled') }).strict(),
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024), display: z.string().optional() }).strict(),
  z.object({ type: z.literal('adaptive'), display: z.string().optional() }).strict(),
]);

/** The body of `POST /v1/messages`, every documented top-level field and nothing else. */
export const MessagesRequestSchema = z
  .object({
    model: z.string().min(1, 'model: Field required'),
    max_tokens: z.number().int('max_tokens: must be an integer').positive('max_tokens: must be greater than 0'),
    messages: z.array(MessageParamSchema).min(1, 'messages: at least one message is required'),
    system: z.union([z.string(), z.array(TextBlockSchema)]).optional(),
    tools: z.array(CustomToolSchema).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    thinking: ThinkingSchema.optional(),
    stream: z.boolean().optional(),
    stop_sequences: z.array(z.string()).optional(),
    metadata: z.object({ user_id: z.string().nullish() }).strict().optional(),
    service_tier: z.enum(['auto', 'standard_only']).optional(),
    cache_control: CacheControlSchema.nullish(),
    container: z.unknown().optional(),
    diagnostics: z.unknown().optional(),
    inference_geo: z.string().nullish(),
    output_config: z.record(z.string(), z.unknown()).optional(),
    speed: z.enum(['standard', 'fast']).nullish(),
    user_profile_id: z.string().optional(),
    workspace_id: z.string().optional(),
    // Removed in 2026-10-21 (checked against the version below); still part of 2023-06-01.
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
  })
  .strict();
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

export interface RecordedRequest {
  /** Lower-case header names, as Node reports them. */
  headers: Record<string, string | undefined>;
  body: MessagesRequest;
}

export interface RejectedRequest {
  status: number;
  errorType: string;
  message: string;
}

// --- what the fake answers ---

type Behaviour =
  | { kind: 'tool_use'; name: string; input: unknown; stopReason: string }
  | { kind: 'text'; text: string; stopReason: string }
  | { kind: 'error'; status: number; errorType: string; message: string; headers?: Record<string, string> }
  | { kind: 'hang'; ms: number; then: Behaviour };

export interface AnthropicFakeOptions {
  /** The key requests must carry. Default `FAKE_ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Refuse tools without a description (stricter than the API). Default true. */
  requireToolDescriptions?: boolean;
}

export class AnthropicFake {
  readonly apiKey: string;
  /** Requests that passed every check, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Requests the fake refused (401, 400, 404), in arrival order. */
  readonly rejected: RejectedRequest[] = [];
  /** Accepted requests that found no scripted behaviour. */
  unscripted = 0;

  private readonly requireToolDescriptions: boolean;
  private readonly script: Behaviour[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: LoopbackServer | undefined;
  private port = 0;

  constructor(options: AnthropicFakeOptions = {}) {
    this.apiKey = options.apiKey ?? FAKE_ANTHROPIC_API_KEY;
    this.requireToolDescriptions = options.requireToolDescriptions ?? true;
  }

  /** The base URL to give the SDK (`baseURL`); the SDK appends `/v1/messages`. */
  get url(): string {
    if (!this.server) throw new Error('AnthropicFake is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendError(res, 500, 'api_error', `Anthropic fake failed: ${String(error)}`);
      });
    });
    this.port = this.server.port;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  // --- scripting: each accepted request takes the next behaviour ---

  /** A tool call, as the API answers a forced tool choice. */
  toolUse(name: string, input: Record<string, unknown>): this {
    return this.push({ kind: 'tool_use', name, input, stopReason: 'tool_use' });
  }

  /** A tool call whose input is not what a tool input may be (a string, an array, wrong types). */
  malformedToolInput(name: string, input: unknown): this {
    return this.push({ kind: 'tool_use', name, input, stopReason: 'tool_use' });
  }

  /** A plain text answer with no tool call (`stop_reason: "end_turn"`). */
  textOnly(text: string): this {
    return this.push({ kind: 'text', text, stopReason: 'end_turn' });
  }

  /** A refusal (`stop_reason: "refusal"`). */
  refusal(text = 'I cannot help with that.'): this {
    return this.push({ kind: 'text', text, stopReason: 'refusal' });
  }

  /** 429 `rate_limit_error` with a `retry-after` header, in seconds. */
  rateLimited(retryAfterSeconds: number): this {
    return this.push({
      kind: 'error',
      status: 429,
      errorType: 'rate_limit_error',
      message: 'Number of request tokens has exceeded your per-minute rate limit',
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }

  /** 500 `api_error`. */
  serverError(): this {
    return this.push({ kind: 'error', status: 500, errorType: 'api_error', message: 'Internal server error' });
  }

  /** 529 `overloaded_error`. */
  overloaded(): this {
    return this.push({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
  }

  /**
   * Answers after `ms` (long enough to trip the client's timeout), with a text answer. A client that
   * timed out has closed the connection by then, so nothing is sent; its retry takes the next behaviour.
   */
  hang(ms: number): this {
    return this.push({ kind: 'hang', ms, then: { kind: 'text', text: 'Sorry for the wait.', stopReason: 'end_turn' } });
  }

  /** Repeats the last scripted behaviour `times` more times, e.g. `fake.serverError().times(3)`. */
  times(count: number): this {
    const last = this.script.at(-1);
    if (!last) throw new Error('Nothing to repeat');
    for (let i = 1; i < count; i++) this.script.push(last);
    return this;
  }

  /** Behaviours scripted but not yet used. */
  get pending(): number {
    return this.script.length;
  }

  private push(behaviour: Behaviour): this {
    this.script.push(behaviour);
    return this;
  }

  // --- the endpoint ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/v1/messages') return this.refuse(res, 404, 'not_found_error', `Not found: ${path}`);
    if (req.method !== 'POST') return this.refuse(res, 405, 'invalid_request_error', `Method ${req.method} not allowed`);

    const apiKey = req.headers['x-api-key'];
    const authorization = req.headers.authorization;
    if (apiKey === undefined && authorization === undefined) {
      return this.refuse(res, 401, 'authentication_error', 'x-api-key header is required');
    }
    if (apiKey !== this.apiKey && authorization !== `Bearer ${this.apiKey}`) {
      return this.refuse(res, 401, 'authentication_error', 'invalid x-api-key');
    }

    const version = req.headers['anthropic-version'];
    if (typeof version !== 'string' || version === '') {
      return this.refuse(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (!(ANTHROPIC_API_VERSIONS as readonly string[]).includes(version)) {
      return this.refuse(res, 400, 'invalid_request_error', `anthropic-version: ${version} is not a valid version`);
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return this.refuse(res, 400, 'invalid_request_error', 'content-type must be application/json');
    }

    const raw = await readBody(req);
    if (raw === undefined) return this.refuse(res, 413, 'request_too_large', 'Request exceeds the maximum allowed size');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.refuse(res, 400, 'invalid_request_error', 'The request body is not valid JSON');
    }
    const parsed = MessagesRequestSchema.safeParse(json);
    if (!parsed.success) return this.refuse(res, 400, 'invalid_request_error', describeIssues(parsed.error));
    const problem = this.crossCheck(parsed.data, version);
    if (problem) return this.refuse(res, 400, 'invalid_request_error', problem);

    this.requests.push({ headers: flattenHeaders(req), body: parsed.data });
    const behaviour = this.script.shift();
    if (!behaviour) {
      this.unscripted++;
      return this.sendError(res, 500, 'api_error', 'Anthropic fake: no scripted response left for this request');
    }
    this.respond(res, behaviour, parsed.data);
  }

  /** The rules that span fields. */
  private crossCheck(body: MessagesRequest, version: string): string | undefined {
    if (version === '2026-10-21') {
      for (const field of ['temperature', 'top_p', 'top_k'] as const) {
        if (body[field] !== undefined) return `${field}: Extra inputs are not permitted in API version 2026-10-21`;
      }
    }
    if (body.stream) return 'stream: the Anthropic fake does not stream';
    const tools = body.tools ?? [];
    const names = new Set<string>();
    for (const [index, tool] of tools.entries()) {
      if (names.has(tool.name)) return `tools: Tool names must be unique (${tool.name})`;
      names.add(tool.name);
      if (this.requireToolDescriptions && !tool.description?.trim()) {
        return `tools.${index}.description: every tool needs a description (Anthropic fake rule)`;
      }
    }
    const choice = body.tool_choice;
    if (choice && (choice.type === 'any' || choice.type === 'tool') && tools.length === 0) {
      return `tool_choice: ${choice.type} requires tools`;
    }
    if (choice?.type === 'tool' && !names.has(choice.name)) return `tool_choice.name: no tool named ${choice.name}`;
    if (choice && (choice.type === 'any' || choice.type === 'tool') && body.thinking && body.thinking.type !== 'disabled') {
      return 'Thinking may not be enabled when tool_choice forces tool use.';
    }
    if (body.thinking?.type === 'enabled' && body.thinking.budget_tokens >= body.max_tokens) {
      return '`max_tokens` must be greater than `thinking.budget_tokens`';
    }
    return undefined;
  }

  private respond(res: ServerResponse, behaviour: Behaviour, body: MessagesRequest): void {
    switch (behaviour.kind) {
      case 'error':
        return this.sendError(res, behaviour.status, behaviour.errorType, behaviour.message, behaviour.headers);
      case 'hang': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          // The client gave up (its timeout aborted the request): nobody is left to answer.
          if (!res.destroyed && !res.socket?.destroyed) this.respond(res, behaviour.then, body);
        }, behaviour.ms);
        this.timers.add(timer);
        return;
      }
      case 'tool_use':
        return this.sendJson(res, 200, message(body, [{ type: 'tool_use', id: `toolu_${id()}`, name: behaviour.name, input: behaviour.input }], behaviour.stopReason));
      case 'text':
        return this.sendJson(res, 200, message(body, [{ type: 'text', text: behaviour.text }], behaviour.stopReason));
    }
  }

  private refuse(res: ServerResponse, status: number, errorType: string, text: string): void {
    this.rejected.push({ status, errorType, message: text });
    this.sendError(res, status, errorType, text);
  }

  private sendError(res: ServerResponse, status: number, errorType: string, text: string, headers: Record<string, string> = {}): void {
    const requestId = `req_${id()}`;
    this.sendJson(res, status, { type: 'error', error: { type: errorType, message: text }, request_id: requestId }, headers, requestId);
  }

  private sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}, requestId = `req_${id()}`): void {
    if (res.destroyed) return;
    const body = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'request-id': requestId,
      ...headers,
    });
    res.end(body);
  }
}

// --- helpers ---

/** A Messages API response, shaped as the documentation's sample responses. */
function message(request: MessagesRequest, content: unknown[], stopReason: string) {
  return {
    id: `msg_${id()}`,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: Math.ceil(JSON.stringify(request).length / 4),
      output_tokens: Math.max(1, Math.ceil(JSON.stringify(content).length / 4)),
    },
  };
}

function id(): string {
  return randomBytes(12).toString('base64url');
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Like the API's messages: `field.path: what is wrong`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') return `${path ? `${path}.` : ''}${issue.keys.join(', ')}: Extra inputs are not permitted`;
      return issue.message.includes(':') || !path ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
