import type { GroundedDraft } from './grounded-answer.js';
import type { Passage } from './knowledge-index.js';

/** A model's answer after its citations were checked against what it was given. */
export interface CheckedAnswer {
  text: string;
  /** The passages it cites that it was given, in the order first cited, each once. */
  cited: Passage[];
  /** Citations that named no passage it was given (made up, or a real section that was not retrieved). */
  removed: string[];
}

/** `[prices.md#website-packages]` or `(source: faq.md#…)`: ids written into the text, which the Source line replaces. */
const INLINE_ID = /\s*[[(](?:sources?:\s*)?[\w./-]+\.(?:md|markdown)#[\w-]+(?:[,;]\s*[\w./-]+\.(?:md|markdown)#[\w-]+)*[\])]/gi;

/**
 * Keeps the citations of passages that were retrieved for this question and drops every other one:
 * the model is trusted with the wording, never with where an answer comes from. Ids written into the
 * text are taken out (the reply names its sources on a line of its own).
 *
 * @example
 * checkCitations({ found: true, text: 'From £2,900.', citations: ['prices.md#website-packages', 'made-up.md#x'] }, passages)
 * // → { text: 'From £2,900.', cited: [<website packages>], removed: ['made-up.md#x'] }
 */
export function checkCitations(draft: GroundedDraft, given: readonly Passage[]): CheckedAnswer {
  const byId = new Map(given.map((p) => [p.id, p]));
  const cited: Passage[] = [];
  const removed: string[] = [];
  for (const raw of draft.citations) {
    const id = raw.trim();
    const passage = byId.get(id);
    if (!passage) removed.push(id);
    else if (!cited.includes(passage)) cited.push(passage);
  }
  return { text: draft.text.replace(INLINE_ID, '').trim(), cited, removed };
}
