import type Anthropic from '@anthropic-ai/sdk';
import type { Understander, Understanding, UnderstandContext } from '../understander.js';
import { ClaudeInputError, ClaudeOutputError } from './claude-errors.js';
import { ClaudeToolCall, safeName, type ClaudeConnectionOptions, type ToolCall } from './claude-tool-call.js';
import { buildIntentTools, intentForToolName, type IntentTool } from './intent-tools.js';
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

export interface ClaudeUnderstanderOptions extends ClaudeConnectionOptions {
  /** ISO 3166 region for phone numbers written without a country code. */
  defaultCountry?: string;
  /** Characters of the user's text sent; default `CLAUDE_MAX_TEXT_CHARS`. */
  maxTextChars?: number;
  /** `max_tokens` of the request; default `CLAUDE_MAX_TOKENS`. */
  maxTokens?: number;
}

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
  private readonly claude: ClaudeToolCall;
  private readonly tools: Anthropic.Tool[];
  private readonly maxTextChars: number;
  private readonly maxTokens: number;
  private readonly defaultCountry: string | undefined;
  private readonly logger: UnderstandingLogger;

  constructor(options: ClaudeUnderstanderOptions) {
    this.claude = new ClaudeToolCall(options);
    this.maxTextChars = options.maxTextChars ?? CLAUDE_MAX_TEXT_CHARS;
    this.maxTokens = options.maxTokens ?? CLAUDE_MAX_TOKENS;
    this.defaultCountry = options.defaultCountry;
    this.logger = options.logger ?? SILENT_UNDERSTANDING_LOGGER;
    this.tools = withCacheBreakpoint(buildIntentTools());
  }

  async understand(text: string, context: UnderstandContext): Promise<Understanding> {
    const sent = this.claude.prepare(text, this.maxTextChars);
    if (sent === '') throw new ClaudeInputError();
    const call = await this.claude.call({
      // App names come from config; the whole prompt is redacted, keeping a misplaced secret out of it too.
      system: buildSystemPrompt(context),
      text: sent,
      maxTokens: this.maxTokens,
      tools: this.tools,
      // `any`: the model must call one of the intent tools (out_of_scope included), and only one. A model
      // that thinks by default may refuse this request; the hybrid then falls back to the offline result.
      toolChoice: { type: 'any', disable_parallel_tool_use: true },
    });
    return this.read(call, text, context);
  }

  // --- the answer ---

  private read(call: ToolCall, originalText: string, context: UnderstandContext): Understanding {
    const intent = intentForToolName(call.name);
    if (!intent) throw new ClaudeOutputError('unknown_tool', safeName(call.name));

    const { slots, dropped, ignored } = normaliseToolInput(intent, call.input, {
      ...context,
      originalText,
      defaultCountry: this.defaultCountry,
    });
    if (dropped.length > 0 || ignored.length > 0 || call.extraCalls > 0) {
      this.logger.debug(
        { intent, dropped, ignored: ignored.map(safeName), extraToolCalls: call.extraCalls },
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
