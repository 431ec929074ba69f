import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

/** The deal pipeline, in order. `Slots.stage` holds one of these. */
export const DEAL_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

/**
 * How salespeople name each stage. Checked in this order, so "closed lost" is lost before
 * "closed" alone counts as won, and "proposal sent" is a proposal rather than a lead.
 */
const STAGE_WORDS: ReadonlyArray<readonly [DealStage, RegExp]> = [
  ['lost', /\b(?:closed[\s-]lost|lost|dead|declined|rejected|turned\s+(?:us\s+)?down|no[\s-]go|went\s+cold|dropped\s+out|churned)\b/iu],
  // "accepted the proposal" is a win, not a proposal: the whole phrase is one match.
  ['won', /\b(?:closed[\s-]won|won|win|signed|closed|deal\s+done|accepted(?:\s+(?:the|our)\s+(?:proposal|quote|offer|estimate))?|(?:they\s+)?said\s+yes|bought)\b/iu],
  ['negotiation', /\b(?:negotiat\w*|contract\s+sent|in\s+contract|redlin\w*|haggl\w*|terms)\b/iu],
  ['proposal', /\b(?:proposals?|quoted?|quote\s+sent|sent\s+(?:a|the)\s+(?:quote|proposal|estimate)|estimate\s+sent|pitch(?:ed)?)\b/iu],
  ['qualified', /\b(?:qualified|qualify|sql|mql|discovery(?:\s+call)?(?:\s+done)?|interested)\b/iu],
  ['lead', /\b(?:lead|new|prospect|cold|unqualified)\b/iu],
];

/**
 * The deal stage the message moves to ("move Acme to proposal", "mark it closed won"). When
 * several stage words appear, the one after "to"/"as"/"into" wins ("from proposal to
 * negotiation" → negotiation).
 *
 * @example
 * extractStage('mark the Acme deal as won') // → 'won'
 */
export function extractStage(text: string): DealStage | undefined {
  return findStage(text)?.value;
}

export function findStage(text: string): SlotMatch<DealStage> | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    const found: SlotMatch<DealStage>[] = [];
    for (const [stage, pattern] of STAGE_WORDS) {
      const global = new RegExp(pattern.source, 'giu');
      for (const match of prepared.matchAll(global)) {
        const span = { start: match.index, end: match.index + match[0].length };
        if (found.some((f) => f.spans[0]!.start < span.end && span.start < f.spans[0]!.end)) continue;
        found.push({ value: stage, spans: [span] });
      }
    }
    if (found.length <= 1) return found[0];
    found.sort((a, b) => a.spans[0]!.start - b.spans[0]!.start);
    const target = found.filter((f) =>
      /\b(?:to|as|into|is|now|at)\s+(?:the\s+|a\s+)?(?:stage\s+)?$/i.test(prepared.slice(Math.max(0, f.spans[0]!.start - 20), f.spans[0]!.start)),
    );
    // "new" and "lead" name the record ("the new lead from Acme") more often than the stage.
    const pool = target.length > 0 ? target : found.filter((f) => f.value !== 'lead');
    return pool[pool.length - 1] ?? found[found.length - 1];
  }, undefined);
}
