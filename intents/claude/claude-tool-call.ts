import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { Redactor } from '../../core/redact.js';
import { ClaudeOutputError, fromSdkError } from './claude-errors.js';
import { SILENT_UNDERSTANDING_LOGGER, type UnderstandingLogger } from './understanding-logger.js';

/**
 * Pause allowed per retry in the default deadline: covers the SDK's own backoff (0.5 s, 1 s, 2 s, …
 * with jitter) and a short `retry-after`. A longer `retry-after` runs into the deadline.
 */
export const CLAUDE_RETRY_PAUSE_BUDGET_MS = 2_000;
/** Slack so that an attempt's own timeout, not the deadline, reports a single slow attempt. */
const DEADLINE_GRACE_MS = 500;

type AnthropicSdk = typeof import('@anthropic-ai/sdk');
let sdk: Promise<AnthropicSdk> | undefined;
/**
 * The SDK is loaded on the first call, not at start: loading it costs about 0.7 s of CPU under tsx
 * (bench:start), and a service without an Anthropic key never calls it.
 */
function loadSdk(): Promise<AnthropicSdk> {
  sdk ??= import('@anthropic-ai/sdk');
  return sdk;
}

export interface ClaudeConnectionOptions {
  /** `config.anthropic.apiKey`. Always treated as a secret, whether or not it is in `secrets`. */
  apiKey: string;
  /** `config.anthropic.baseUrl` (`ANTHROPIC_BASE_URL`): the real API by default, a fake in tests. */
  baseUrl?: string | undefined;
  model: string;
  /** Time limit of one HTTP attempt, in ms. The SDK retries an attempt that times out. */
  timeoutMs: number;
  /** Retries of the SDK for connection errors, timeouts, 408, 409, 429 and 5xx (0 turns them off). */
  maxRetries: number;
  /**
   * Limit on the whole call, retries and their pauses included, in ms. The SDK honours `retry-after`
   * however long it is, and a person is waiting for the answer. Default: every attempt's timeout plus
   * `CLAUDE_RETRY_PAUSE_BUDGET_MS` per retry (and a little slack): `8000 × 3 + 2000 × 2 + 500` ms with
   * the config defaults.
   */
  deadlineMs?: number;
  /** Values that must never reach Claude (tokens, passwords from config: `secretsOf(config)`). */
  secrets?: Iterable<string | undefined>;
  logger?: UnderstandingLogger;
}

/** A Messages API response, as far as a tool call is read from it; other fields may come and go. */
const ClaudeMessageSchema = z
  .object({
    type: z.literal('message'),
    role: z.literal('assistant'),
    content: z.array(z.object({ type: z.string() }).loose()),
    stop_reason: z.string().nullable(),
  })
  .loose();

const ToolUseBlockSchema = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });

export interface ToolCall {
  name: string;
  /** Not validated yet: the caller parses it with its own schema. */
  input: unknown;
  /** Further tool calls in the answer, which are ignored. */
  extraCalls: number;
}

/**
 * One Messages API request that forces a tool call, and the first tool call of its answer: what the
 * Claude understander and the Claude task extractor share. The SDK client is set up once (base URL,
 * per-attempt timeout, retries, its logging pinned so request bodies are never printed); the whole
 * call has a deadline; SDK failures become the coded errors of claude-errors.ts; an answer without a
 * usable tool call (text, a refusal, a truncated answer, a malformed block) is a ClaudeOutputError.
 */
export class ClaudeToolCall {
  /** Redacts every configured secret (and the key) from what is sent. */
  readonly redactor: Redactor;
  private client: Anthropic | undefined;
  private readonly clientOptions: ConstructorParameters<AnthropicSdk['default']>[0];
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;

  constructor(options: ClaudeConnectionOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs =
      options.deadlineMs ??
      options.timeoutMs * (options.maxRetries + 1) + CLAUDE_RETRY_PAUSE_BUDGET_MS * options.maxRetries + DEADLINE_GRACE_MS;
    this.redactor = new Redactor([options.apiKey, ...(options.secrets ?? [])]);
    const logger = options.logger ?? SILENT_UNDERSTANDING_LOGGER;
    this.clientOptions = {
      apiKey: options.apiKey,
      // Undefined lets the SDK read ANTHROPIC_BASE_URL itself, the same variable config reads.
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      // Pinned, so ANTHROPIC_LOG=debug cannot make the SDK print request bodies (the user's text).
      logLevel: 'warn',
      logger: {
        error: (message: string) => logger.warn({ source: 'anthropic-sdk' }, message),
        warn: (message: string) => logger.warn({ source: 'anthropic-sdk' }, message),
        info: () => {},
        debug: () => {},
      },
    };
  }

  /** The user's text as it may be sent: redacted, trimmed, at most `maxChars` characters. */
  prepare(text: string, maxChars: number): string {
    return capText(this.redactor.text(text).trim(), maxChars);
  }

  /**
   * Sends `text` (already prepared) with a system prompt (redacted here) and the tools, forcing a
   * tool call. No temperature/top_p/top_k: API version 2026-10-21, the one this SDK speaks, refuses
   * them with a 400; no thinking, which the API refuses together with a forced tool.
   */
  async call(request: {
    system: string;
    text: string;
    maxTokens: number;
    tools: Anthropic.Tool[];
    toolChoice: NonNullable<Anthropic.MessageCreateParamsNonStreaming['tool_choice']>;
  }): Promise<ToolCall> {
    const sdkModule = await loadSdk();
    const client = (this.client ??= new sdkModule.default(this.clientOptions));
    const deadline = AbortSignal.timeout(this.deadlineMs);
    let answer: unknown;
    try {
      answer = await client.messages.create(
        {
          model: this.model,
          max_tokens: request.maxTokens,
          system: this.redactor.text(request.system),
          messages: [{ role: 'user', content: request.text }],
          tools: request.tools,
          tool_choice: request.toolChoice,
        },
        { signal: deadline },
      );
    } catch (error) {
      throw fromSdkError(error, sdkModule, { timeoutMs: this.timeoutMs, deadlineMs: this.deadlineMs, deadlineHit: deadline.aborted });
    }
    const message = ClaudeMessageSchema.safeParse(answer);
    if (!message.success) throw new ClaudeOutputError('malformed_response');
    const { stop_reason: stopReason, content } = message.data;
    if (stopReason === 'refusal') throw new ClaudeOutputError('refusal');
    if (stopReason === 'max_tokens') throw new ClaudeOutputError('truncated');
    const calls = content.filter((block) => block.type === 'tool_use');
    if (calls.length === 0) throw new ClaudeOutputError('no_tool_call');
    const call = ToolUseBlockSchema.safeParse(calls[0]);
    if (!call.success) throw new ClaudeOutputError('malformed_response', 'tool_use block');
    return { name: call.data.name, input: call.data.input, extraCalls: calls.length - 1 };
  }
}

/** The first `max` characters, without leaving half of a surrogate pair at the end. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/** Names from the model's output go into logs and error details only when they look like names. */
export function safeName(name: string): string {
  return /^[a-zA-Z0-9_-]{1,40}$/.test(name) ? name : '[unprintable]';
}
