import { toSwitchboardError } from '../../core/index.js';
import { SILENT_UNDERSTANDING_LOGGER, type UnderstandingLogger } from '../claude/index.js';
import type { TaskDraft, TaskExtractionContext, TaskExtractor } from './task-extractor.js';

export interface FallbackTaskExtractorOptions {
  /** Told the code of each failure of the primary extractor (never the text). */
  logger?: UnderstandingLogger;
}

/**
 * Asks `primary` (Claude) and, when it fails in any way, answers with `fallback` (the offline
 * extractor) instead, so a voice note still becomes tasks when Claude is down, slow or answers
 * nonsense. A failure of `fallback` itself is not caught: the offline extractor does not throw.
 *
 * An empty list from `primary` is an answer ("no tasks here"), not a failure.
 *
 * @example
 * const extractor = config.anthropic.apiKey
 *   ? new FallbackTaskExtractor(new ClaudeTaskExtractor({ ...config.anthropic, secrets }), new OfflineTaskExtractor())
 *   : new OfflineTaskExtractor();
 */
export class FallbackTaskExtractor implements TaskExtractor {
  private readonly logger: UnderstandingLogger;

  constructor(
    private readonly primary: TaskExtractor,
    private readonly fallback: TaskExtractor,
    options: FallbackTaskExtractorOptions = {},
  ) {
    this.logger = options.logger ?? SILENT_UNDERSTANDING_LOGGER;
  }

  /** The primary's bound: it is the one that answers when it works. */
  mayHoldSeveral(text: string, context: Pick<TaskExtractionContext, 'now' | 'timezone'>): boolean {
    return this.primary.mayHoldSeveral?.(text, context) ?? true;
  }

  async extract(text: string, context: TaskExtractionContext): Promise<TaskDraft[]> {
    try {
      return await this.primary.extract(text, context);
    } catch (error) {
      const { code } = toSwitchboardError(error);
      this.logger.warn({ code }, 'Task extraction fell back to the offline extractor');
      return this.fallback.extract(text, context);
    }
  }
}
