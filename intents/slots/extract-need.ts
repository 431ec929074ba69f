import { maskContactDetails } from './extract-contact.js';
import { prepareText, safely } from './prepare-text.js';
import { tidyFreeText } from './slot-match.js';

/**
 * What a new lead wants, as they said it: "new lead sarah connor from cyberdyne, …, wants a website"
 * → "wants a website". `Slots` has no field of its own for it; `crm.lead.create` carries it in `note`,
 * which its schema already takes, so the lead is saved with what it is about.
 */
const NEED_CUE =
  /\b(?:(?:she|he|they|we|i)\s+)?(?:(?:would|'d)\s+like|wants?|needs?|(?:is|are|am|'re|'m)\s+looking\s+for|looking\s+for|interested\s+in|asking\s+(?:for|about)|want(?:s|ed)?\s+to|require)\b/iu;
/** The need ends with its sentence or clause; contact details after it are not part of it. */
const CLAUSE_END = /[.!?;\n]|\s[-–—]\s|,\s*(?:\+|\S+@|my\s+(?:number|email|phone|name)|reach|call|email|contact|i\s+am\b|i'm\b|im\b|this\s+is\b)/iu;

/**
 * @example
 * extractNeed('new lead: Jane Doe, jane@acme.com, wants a quote for an online shop') // → 'wants a quote for an online shop'
 * extractNeed("Hi, I'm Lisa from Pixelforge, we need a new website") // → 'need a new website'
 */
export function extractNeed(text: string): string | undefined {
  return safely(() => {
    const masked = maskContactDetails(prepareText(text));
    const cue = NEED_CUE.exec(masked);
    if (!cue) return undefined;
    // Start at the verb: "she wants a booking app" → "wants a booking app".
    const start = cue.index + cue[0].search(/(?:would|'d|wants?|needs?|looking|interested|asking|require|is|are|am|'re|'m)\b/iu);
    const rest = masked.slice(start);
    const end = CLAUSE_END.exec(rest);
    const need = tidyFreeText((end ? rest.slice(0, end.index) : rest).replace(/^(?:is|are|am|'re|'m)\s+/iu, '').replace(/^'d\s+/u, 'would '));
    // A bare verb ("I need", "we want to") says nothing of what.
    return need.split(/\s+/).length >= 2 && need.length <= 300 ? need : undefined;
  }, undefined);
}
