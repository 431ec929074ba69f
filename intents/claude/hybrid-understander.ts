import { toSwitchboardError } from '../../core/index.js';
import type { Understander, Understanding, UnderstandContext } from '../understander.js';
import { askClaudeReason, type ClaudePolicy } from './should-ask-claude.js';
import { SILENT_UNDERSTANDING_LOGGER, type UnderstandingLogger } from './understanding-logger.js';

export interface HybridUnderstanderOptions extends ClaudePolicy {
  /** The offline classifier: always runs, and is the answer whenever Claude is not asked or fails. */
  offline: Understander;
  /** Claude, when `ANTHROPIC_API_KEY` is set; without it the hybrid is the offline classifier. */
  claude?: Understander | undefined;
  logger?: UnderstandingLogger;
}

/**
 * The understanding the bot uses: the offline classifier first, Claude only when it is configured and
 * the policy (`askClaudeReason`) says a second opinion is worth a request: low offline confidence, a long
 * text, or what looks like several requests. Claude's answer replaces the offline one.
 *
 * Claude can only help, never break a turn: on any failure (timeout, HTTP error, unusable answer,
 * even a bug) the offline understanding is returned and a warning is logged with the error's code,
 * never the text.
 *
 * @example
 * const understander = new HybridUnderstander({
 *   offline,
 *   claude: config.anthropic ? new ClaudeUnderstander({ ...config.anthropic, secrets: secretsOf(config) }) : undefined,
 *   ...config.nlu,
 *   logger,
 * });
 */
export class HybridUnderstander implements Understander {
  private readonly offline: Understander;
  private readonly claude: Understander | undefined;
  private readonly policy: ClaudePolicy;
  private readonly logger: UnderstandingLogger;

  constructor(options: HybridUnderstanderOptions) {
    this.offline = options.offline;
    this.claude = options.claude;
    this.policy = { claudeBelowConfidence: options.claudeBelowConfidence, claudeAboveChars: options.claudeAboveChars };
    this.logger = options.logger ?? SILENT_UNDERSTANDING_LOGGER;
  }

  async understand(text: string, context: UnderstandContext): Promise<Understanding> {
    const offline = await this.offline.understand(text, context);
    if (!this.claude) return offline;
    const reason = askClaudeReason(text, offline, this.policy);
    if (!reason) return offline;
    try {
      return await this.claude.understand(text, context);
    } catch (error) {
      const failure = toSwitchboardError(error);
      const httpStatus = (failure as { httpStatus?: unknown }).httpStatus;
      this.logger.warn(
        {
          code: failure.code,
          ...(typeof httpStatus === 'number' ? { httpStatus } : {}),
          reason,
          offlineIntent: offline.intent,
        },
        'Claude could not understand the message; using the offline understanding',
      );
      return offline;
    }
  }
}
