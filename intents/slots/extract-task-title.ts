import { findAssignee } from './extract-assignee.js';
import { findAllDue, findDue, type DueContext } from './extract-due.js';
import { prepareText, safely } from './prepare-text.js';
import { removeSpans, tidyFreeText, type Span } from './slot-match.js';

// --- the words around a task that are not the task ---

/** Greetings, politeness and addressing the bot, at the start of any request. */
const LEAD_IN = [
  /^(?:hey|hi|hello|yo|ok|okay|so|right|um+|uh+)\b[\s,!.:-]*/iu,
  /^(?:<@\w+>|@?switchboard\b)[\s,:]*/iu,
  /^(?:please|pls|plz|kindly)\b[\s,]*/iu,
  /^(?:can|could|would|will)\s+you\s+(?:please\s+)?/iu,
];

/** How people ask for a task to be created. */
const CREATE_PREFIXES = [
  ...LEAD_IN,
  /^remind\s+(?:me|us)\b\s*(?:to|that|about|of)?\s*/iu,
  /^(?:set|create|add|make|put|schedule|log|open)\s+(?:me\s+)?(?:a|an|the)?\s*(?:new\s+)?(?:task|to-?do|reminder|item|action(?:\s+item)?)s?\b(?:\s+(?:for\s+me|on\s+my\s+list))?\s*(?:to|for|about|that|called|named|titled|saying)?\s*[:\-–—]?\s*/iu,
  /^(?:new\s+)?(?:task|to-?do|reminder|action\s+item)s?\b\s*(?:to|for|about)?\s*[:\-–—]?\s*/iu,
  /^add\s+(?:to\s+)?(?:my\s+)?(?:to-?do\s+)?list\s*[:\-–—]?\s*/iu,
  /^note\s+to\s+self\s*[:\-–—,]?\s*/iu,
  /^(?:don't|do\s+not)\s+(?:let\s+me\s+)?forget\s+(?:to\s+)?/iu,
  /^(?:i|we)\s+(?:really\s+)?(?:need|have|want|got|must|should|gotta|ought)\s+(?:to\s+)?/iu,
  /^(?:i|we)'(?:ve|d)\s+(?:got\s+|better\s+)?(?:to\s+)?/iu,
  /^\/task\s+/iu,
  /^to\s+/iu,
];

const CREATE_SUFFIXES = [
  /[\s,]*(?:please|pls|thanks|thank\s+you|thx|ty|cheers)[\s.!]*$/iu,
  /\s+(?:to|on|in)\s+(?:my|the|our)\s+(?:to-?do\s+)?(?:list|tasks?)[\s.!]*$/iu,
  /\s+as\s+a\s+(?:task|reminder|to-?do)[\s.!]*$/iu,
  /\s+(?:and|by|on|at|before|due|until|for)[\s.!]*$/iu,
];

/** How people name a task they have finished or want gone. */
const REFERENCE_PREFIXES = [
  ...LEAD_IN,
  /^(?:mark|set|tick\s+off|check\s+off|cross\s+off|complete|finish|close|done\s+with|delete|remove|cancel|drop|scrap|trash|clear|archive|get\s+rid\s+of)\b\s*/iu,
  /^(?:i(?:'ve|\s+have)?|we(?:'ve|\s+have)?)\s+(?:just\s+)?(?:finished|completed|done|did)\s+/iu,
  /^(?:the|my|that|this|our)\s+/iu,
  /^(?:task|to-?do|reminder|item)s?\b\s*(?:about|called|named|titled|to|for|:)?\s*/iu,
];
const REFERENCE_SUFFIXES = [
  /[\s,]*(?:please|pls|thanks|thank\s+you)[\s.!]*$/iu,
  // "I called John, mark it done": once "done" is gone, "mark it" is left over.
  /[\s,;]*(?:(?:you\s+can|please)\s+)?(?:mark|set|tick|check|cross)\s+(?:it|that|this)(?:\s+off)?[\s.!]*$/iu,
  /\s+(?:as\s+)?(?:done|complete(?:d)?|finished|closed|ticked\s+off)[\s.!]*$/iu,
  /\s+(?:task|to-?do|reminder|item)[\s.!]*$/iu,
  /\s+(?:from|off|on)\s+(?:my|the|our)\s+(?:to-?do\s+)?(?:list|tasks?)[\s.!]*$/iu,
  /\s+(?:is|it's)\s+(?:done|finished)[\s.!]*$/iu,
];
/** Words that point at a task without naming it: the dialog must ask which one. */
const NOT_A_TITLE =
  /^(?:it|that|this|one|that\s+one|this\s+one|the\s+last\s+one|task|tasks|a\s+task|reminder|a\s+reminder|remind\s+(?:me|us)|done|everything|all)$/iu;

/**
 * The text of a new task, without the request around it ("remind me to", "add a task to"), the
 * date phrase, or the assignee phrase.
 *
 * @example
 * extractTaskTitle('remind me to call John tomorrow at five', { now, timezone: 'Europe/London' }) // → 'call John'
 * extractTaskTitle('ask Priya to send Acme the proposal by Friday', ctx) // → 'send Acme the proposal'
 */
export function extractTaskTitle(text: string, context: DueContext): string | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    const spans: Span[] = [...(findDue(prepared, context)?.spans ?? []), ...(findAssignee(prepared)?.spans ?? [])];
    const title = stripAround(removeSpans(prepared, spans), CREATE_PREFIXES, CREATE_SUFFIXES);
    return title && !NOT_A_TITLE.test(title) ? title : undefined;
  }, undefined);
}

/**
 * Which task a "done"/"delete" message is about: a quoted title, or what is left once the verbs
 * are gone ("mark call John as done" → "call John"). Undefined for "it", "that one".
 */
export function extractTaskReference(text: string): string | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    const quoted = /"([^"]{1,300})"|'([^']{1,300})'(?!\w)/u.exec(prepared);
    const inQuotes = quoted ? tidyFreeText(quoted[1] ?? quoted[2] ?? '') : '';
    if (inQuotes) return inQuotes;
    const title = stripAround(prepared, REFERENCE_PREFIXES, REFERENCE_SUFFIXES);
    return title && !NOT_A_TITLE.test(title) ? title : undefined;
  }, undefined);
}

/**
 * Splits one message that asks for several tasks into one text per task, where that is clear:
 * "remind me to call John tomorrow at five and send Acme the proposal by Friday" → two texts.
 * A split happens at "and"/"also"/"then"/";" only when both sides have their own date, so
 * "call John and Jane tomorrow" stays one task.
 */
export function splitTaskRequests(text: string, context: DueContext): string[] {
  return safely(() => {
    const prepared = prepareText(text);
    // Dates are found once for the whole text; a joint splits when dates lie on both sides of it
    // within the current piece.
    const dates = findAllDue(prepared, context).map((due) => due.spans[0]!);
    const parts: string[] = [];
    let pieceStart = 0;
    for (const joint of prepared.matchAll(JOINT)) {
      const jointEnd = joint.index + joint[0].length;
      const before = dates.some((date) => date.start >= pieceStart && date.end <= joint.index);
      const after = dates.some((date) => date.start >= jointEnd);
      if (!before || !after) continue;
      parts.push(tidyFreeText(prepared.slice(pieceStart, joint.index)));
      pieceStart = jointEnd;
    }
    parts.push(tidyFreeText(prepared.slice(pieceStart)));
    const nonEmpty = parts.filter((part) => part.length > 0);
    return nonEmpty.length > 0 ? nonEmpty : [prepared];
  }, [text]);
}

const JOINT = /\s*(?:[,;]\s*)?\b(?:and\s+also|and\s+then|and|also|then|plus)\b\s+|\s*;\s*/giu;

/** Strips request words from both ends until none is left; may return '' (a request with no task text). */
function stripAround(text: string, prefixes: readonly RegExp[], suffixes: readonly RegExp[]): string {
  let current = tidyFreeText(text);
  for (let changed = true, rounds = 0; changed && rounds < 12; rounds++) {
    changed = false;
    for (const pattern of prefixes) {
      const next = current.replace(pattern, '');
      if (next !== current) {
        current = tidyFreeText(next);
        changed = true;
      }
    }
    for (const pattern of suffixes) {
      const next = current.replace(pattern, '');
      if (next !== current) {
        current = tidyFreeText(next);
        changed = true;
      }
    }
  }
  return current;
}
