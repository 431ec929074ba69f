import { findAssignee } from './extract-assignee.js';
import { findDue, type DueContext } from './extract-due.js';
import { prepareText, safely } from './prepare-text.js';
import { removeSpans, tidyFreeText, type Span } from './slot-match.js';
import { CREATE_PREFIXES, CREATE_SUFFIXES, LEAD_IN, removeFillers, stripAround } from './task-phrases.js';

// --- the words around a task that are not the task: see task-phrases.ts ---

/** How people name a task they have finished or want gone. */
const REFERENCE_PREFIXES = [
  ...LEAD_IN,
  /^(?:mark|set|tick\s+off|check\s+off|cross\s+off|complete|finish|close|done\s+with|delete|remove|cancel|drop|scrap|trash|bin|nuke|ditch|kill|clear|archive|get\s+rid\s+of)\b\s*/iu,
  /^(?:i(?:'ve|\s+have)?|we(?:'ve|\s+have)?)\s+(?:just\s+)?(?:finished|completed|done|did)\s+/iu,
  // "my" stays: it says whose task ("delete my latest task"), which tools/resolve reads.
  /^(?:the|that|this|our)\s+/iu,
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
    return tidyTaskTitle(prepared, spans);
  }, undefined);
}

/**
 * The title left once `spans` (a date phrase, an assignee phrase: whatever the caller has read out
 * of it) are cut from `text`, with the request words, fillers ("um", "you know") and politeness
 * stripped. `text` must be prepared (`prepareText`) and the spans must index into it. Undefined when
 * nothing but the request is left ("remind me tomorrow").
 *
 * @example
 * const text = 'okay so um remind me to call John tomorrow at five';
 * tidyTaskTitle(text, [{ start: 34, end: 50 }]) // → 'call John'
 */
export function tidyTaskTitle(text: string, spans: readonly Span[]): string | undefined {
  return safely(() => {
    const title = stripAround(removeFillers(removeSpans(text, spans)), CREATE_PREFIXES, CREATE_SUFFIXES);
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
