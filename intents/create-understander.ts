import { HybridUnderstander } from './claude/index.js';
import { ClaudeUnderstander } from './claude/index.js';
import { OfflineUnderstander } from './offline-understander.js';
import { ClaudeTaskExtractor, FallbackTaskExtractor, OfflineTaskExtractor, type TaskExtractor } from './task-extraction/index.js';
import type { Understander } from './understander.js';
import type { UnderstandingLogger } from './claude/index.js';

export interface UnderstandingSettings {
  anthropic: { apiKey: string; baseUrl: string | undefined; model: string; timeoutMs: number; maxRetries: number } | undefined;
  nlu: { claudeBelowConfidence: number; claudeAboveChars: number };
}

export interface UnderstandingSetup {
  understander: Understander;
  offline: OfflineUnderstander;
  /** For the start-up log: which understanders run. */
  description: string;
}

/**
 * The understander the bot uses: the offline classifier, trained on the catalog (or loaded from
 * `modelCacheFile` when saved there for the same catalog and training code); with an
 * Anthropic key, the hybrid policy in front of it (offline first, Claude for unclear, long or
 * multi-intent messages, the offline answer whenever Claude fails).
 */
export function createUnderstanding(
  settings: UnderstandingSettings,
  options: { secrets: string[]; logger?: UnderstandingLogger; modelCacheFile?: string },
): UnderstandingSetup {
  const offline = OfflineUnderstander.train(options.modelCacheFile ? { cacheFile: options.modelCacheFile } : {});
  const trained = `offline classifier (${offline.origin})`;
  if (!settings.anthropic) return { understander: offline, offline, description: trained };
  const claude = new ClaudeUnderstander({ ...settings.anthropic, secrets: options.secrets, ...(options.logger ? { logger: options.logger } : {}) });
  return {
    understander: new HybridUnderstander({ offline, claude, ...settings.nlu, ...(options.logger ? { logger: options.logger } : {}) }),
    offline,
    description: `${trained}, with Claude (${settings.anthropic.model}) when the offline confidence is below ${settings.nlu.claudeBelowConfidence}, the message is longer than ${settings.nlu.claudeAboveChars} characters, or it holds several requests`,
  };
}

/** Task extraction from free speech: Claude when configured (falling back offline), else the offline splitter. */
export function createTaskExtractor(settings: UnderstandingSettings, options: { secrets: string[]; logger?: UnderstandingLogger }): TaskExtractor {
  const offline = new OfflineTaskExtractor();
  if (!settings.anthropic) return offline;
  const claude = new ClaudeTaskExtractor({ ...settings.anthropic, secrets: options.secrets, ...(options.logger ? { logger: options.logger } : {}) });
  return new FallbackTaskExtractor(claude, offline, options.logger ? { logger: options.logger } : {});
}
