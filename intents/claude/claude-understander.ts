import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { Redactor } from '../../core/index.js';
import type { Understander, Understanding, UnderstandContext } from '../understander.js';
import { ClaudeInputError, ClaudeOutputError, fromSdkError } from './claude-errors.js';
import { buildIntentTools, intentForToolName, TOOL_NAME_PATTERN, type IntentTool } from './intent-tools.js';
import { normaliseToolInput } from './normalise-tool-input.js';
import { buildSystemPrompt } from './system-prompt.js';
import { SILENT_UNDERSTANDING_LOGGER, type UnderstandingLogger } from './understanding-logger.js';

/**
 * Claude gives no probability for its choice of tool. A valid tool call is reported with this fixed
 * confidence: above the hybrid's usual thresholds (Claude was asked because the offline classifier
 * was unsure), below 1 because it is still a guess. Nothing should treat it as calibrated.
 */
export const CLAUDE_CONFIDENCE = 0.9;

/** Characters of the user's text sent to Claude; the rest of a long paste is not needed to pick an intent. */
export const CLAUDE_MAX_TEXT_CHARS = 4_000;

/**
 * Output tokens: one tool call with a handful of slots. Large enough for a long note or TXT value
 * (a note slot holds up to 5,000 characters); an answer cut at this limit is refused, not guessed at.
 */
export const CLAUDE_MAX_TOKENS = 1_024;

/**
 * Pause allowed per retry in the default deadline: covers the SDK's own backoff (0.5 s, 1 s, 2 s, …
 * with jitter) and a short `retry-after`. A longer `retry-after` runs into the deadline.
 */
export const CLAUDE_RETRY_PAUSE_BUDGET_MS = 2_000;
/** Slack so that an attempt's own timeout, not the deadline, reports a single slow attempt. */
const DEADLINE_GRACE_MS = 500;

export interface ClaudeUnderstanderOptions {
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
  /** ISO 3166 region for phone numbers written without a country code. */
  defaultCountry?: string;
  /** Characters of the user's text sent; default `CLAUDE_MAX_TEXT_CHARS`. */
  maxTextChars?: number;
  /** `max_tokens` of the request; default `CLAUDE_MAX_TOKENS`. */
  maxTokens?: number;
  logger?: UnderstandingLogger;
}

// --- what the Messages API answers ---

/** A Messages API response, as far as the understander reads it; other fields may come and go. */
const ClaudeMessageSchema = z
  .object({
    type: z.literal('message'),
    role: z.literal('assistant'),
    content: z.array(z.object({ type: z.string() }).loose()),
    stop_reason: z.string().nullable(),
  })
  .loose();

const ToolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});

/**
 * Intent and slots by Claude's tool calling: one tool per catalog intent, `tool_choice: any` so the
 * model must pick one, the answer validated and normalised before anyone sees it.
 *
 * What it sends: a short system prompt (agency, now, time zone, app names) and the user's text,
 * redacted (every configured secret replaced, international phone numbers masked) and capped at
 * `maxTextChars`. Nothing else.
 *
 * What it returns is advice, like every `Understanding`: an intent and slots. There is no field, tool
 * or slot through which Claude's answer could approve or confirm an action; unknown keys in the tool
 * input are dropped.
 *
 * Failures throw `ClaudeTimeoutError`, `ClaudeHttpError`, `ClaudeConnectionError`, `ClaudeOutputError`
 * or `ClaudeInputError`; the hybrid understander turns each into the offline understanding.
 *
 * @example
 * const claude = new ClaudeUnderstander({ ...config.anthropic, secrets: secretsOf(config) });
 * await claude.understand('push the marketing site to prod', { now: Date.now(), timezone: 'Europe/London', apps: ['marketing-site'] });
 * // → { intent: 'deploy.create', confidence: 0.9, slots: { app: 'marketing-site', env: 'production' }, source: 'claude', alternatives: [] }
 */
export class ClaudeUnderstander implements Understander {
  private readonly client: Anthropic;
  private readonly tools: IntentTool[];
  private readonly redactor: Redactor;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxTextChars: number;
  private readonly maxTokens: number;
  private readonly defaultCountry: string | undefined;
  private readonly logger: UnderstandingLogger;

  constructor(options: ClaudeUnderstanderOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs =
      options.deadlineMs ??
      options.timeoutMs * (options.maxRetries + 1) + CLAUDE_RETRY_PAUSE_BUDGET_MS * options.maxRetries + DEADLINE_GRACE_MS;
    this.maxTextChars = options.maxTextChars ?? CLAUDE_MAX_TEXT_CHARS;
    this.maxTokens = options.maxTokens ?? CLAUDE_MAX_TOKENS;
    this.defaultCountry = options.defaultCountry;
    this.logger = options.logger ?? SILENT_UNDERSTANDING_LOGGER;
    this.redactor = new Redactor([options.apiKey, ...(options.secrets ?? [])]);
    this.tools = buildIntentTools();
    const logger = this.logger;
    this.client = new Anthropic({
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
    });
  }

  async understand(text: string, context: UnderstandContext): Promise<Understanding> {
    const sent = capText(this.redactor.text(text).trim(), this.maxTextChars);
    if (sent === '') throw new ClaudeInputError();
    const message = await this.send(sent, context);
    return this.read(message, text, context);
  }

  // --- the request ---

  private async send(text: string, context: UnderstandContext): Promise<unknown> {
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: this.model,
      max_tokens: this.maxTokens,
      // App names come from config; redacting the whole prompt keeps a misplaced secret out of it too.
      system: this.redactor.text(buildSystemPrompt(context)),
      messages: [{ role: 'user', content: text }],
      tools: withCacheBreakpoint(this.tools),
      // `any`: the model must call one of the intent tools (out_of_scope included), and only one.
      // Not sent: temperature/top_p/top_k, which API version 2026-10-21 (the one this SDK speaks) refuses
      // with a 400; and thinking, which the API refuses together with forced tool use. A model that
      // thinks by default may refuse this request; the hybrid then falls back to the offline result.
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    };
    try {
      return await this.client.messages.create(params, { signal: deadline });
    } catch (error) {
      throw fromSdkError(error, { timeoutMs: this.timeoutMs, deadlineMs: this.deadlineMs, deadlineHit: deadline.aborted });
    }
  }

  // --- the answer ---

  private read(answer: unknown, originalText: string, context: UnderstandContext): Understanding {
    const message = ClaudeMessageSchema.safeParse(answer);
    if (!message.success) throw new ClaudeOutputError('malformed_response');
    const { stop_reason: stopReason, content } = message.data;
    if (stopReason === 'refusal') throw new ClaudeOutputError('refusal');
    if (stopReason === 'max_tokens') throw new ClaudeOutputError('truncated');
    const calls = content.filter((block) => block.type === 'tool_use');
    if (calls.length === 0) throw new ClaudeOutputError('no_tool_call');
    const call = ToolUseBlockSchema.safeParse(calls[0]);
    if (!call.success) throw new ClaudeOutputError('malformed_response', 'tool_use block');
    const intent = intentForToolName(call.data.name);
    if (!intent) throw new ClaudeOutputError('unknown_tool', safeName(call.data.name));

    const { slots, dropped, ignored } = normaliseToolInput(intent, call.data.input, {
      ...context,
      originalText,
      defaultCountry: this.defaultCountry,
    });
    if (dropped.length > 0 || ignored.length > 0 || calls.length > 1) {
      this.logger.debug(
        { intent, dropped, ignored: ignored.map(safeName), extraToolCalls: calls.length - 1 },
        'Claude slots left out of the understanding',
      );
    }
    return { intent, confidence: CLAUDE_CONFIDENCE, slots, source: 'claude', alternatives: [] };
  }
}

/**
 * Marks the end of the tool list as a prompt-cache breakpoint: the 26 tool definitions are the same in
 * every request, so later requests read them from the cache. (The system prompt after them holds the
 * current time and changes every minute, so it is not cached.)
 */
function withCacheBreakpoint(tools: readonly IntentTool[]): Anthropic.Tool[] {
  return tools.map((tool, index) =>
    index === tools.length - 1 ? { ...tool, cache_control: { type: 'ephemeral' as const } } : { ...tool },
  );
}

/** The first `max` characters, without leaving half of a surrogate pair at the end. */
function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Names from the model's output go into logs and error details only when they look like names. */
function safeName(name: string): string {
  return TOOL_NAME_PATTERN.test(name) && name.length <= 40 ? name : '[unprintable]';
}
