import { findTaskClauses } from '../slots/index.js';
import { splitSpeech, type SpeechParts } from './split-speech.js';
import type { TaskDraft, TaskExtractionContext, TaskExtractor } from './task-extractor.js';

/**
 * Tasks from free speech by rules alone: no network, no model, well under a millisecond per clause.
 * The default extractor, and the fallback when Claude fails. See `splitSpeech` for the rules.
 *
 * `extract` returns the tasks only. A message can hold more than tasks ("…and deploy the landing page
 * to staging"): `split` returns those parts too, for the caller to route through normal understanding.
 *
 * @example
 * const extractor = new OfflineTaskExtractor();
 * await extractor.extract('remind me to call John tomorrow at five and send Acme the proposal by Friday', {
 *   now: Date.parse('2026-11-18T10:00:00Z'), timezone: 'Europe/London', apps: [], people: [],
 * });
 * // → [{ title: 'call John', due: '2026-11-19T17:00:00+00:00', sourceText: 'remind me to call John tomorrow at five' },
 * //    { title: 'send Acme the proposal', due: '2026-11-20T09:00:00+00:00', sourceText: 'send Acme the proposal by Friday' }]
 */
export class OfflineTaskExtractor implements TaskExtractor {
  async extract(text: string, context: TaskExtractionContext): Promise<TaskDraft[]> {
    return splitSpeech(text, context).tasks;
  }

  /**
   * Each clause gives at most one task, and where a message is cut into clauses does not depend on
   * the people or contacts known: one clause, at most one task.
   */
  mayHoldSeveral(text: string, context: Pick<TaskExtractionContext, 'now' | 'timezone'>): boolean {
    return findTaskClauses(text, context).clauses.length > 1;
  }

  /** Tasks, other requests and chatter; never throws. */
  split(text: string, context: TaskExtractionContext): SpeechParts {
    return splitSpeech(text, context);
  }
}
