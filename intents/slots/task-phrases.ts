import { isNotNameWord, readName } from './proper-names.js';
import { tidyFreeText } from './slot-match.js';

/**
 * The words of a spoken or typed task request that are not the task: greetings and fillers
 * ("okay so", "um"), the request ("remind me to", "I need to"), politeness ("please"). And the words
 * that start a request, which is where one request ends and the next begins in
 * "call John and email Mary". Shared by the task title, the task splitter and task extraction.
 */

// --- fillers and lead-ins ---

/** Hesitations speech-to-text writes down; never part of a task, wherever they are. */
const HESITATION = /(?<![\p{L}\p{N}'-])(?:u+m+|u+h+m*|e+r+m+|e+r+|h+m+|m+h*m+|ah+)(?![\p{L}\p{N}'-])[,.]?/giu;
/** "you know", "I mean", "like," between commas: spoken asides. */
const ASIDE = /,\s*(?:you\s+know|i\s+mean|like)\s*,/giu;

/** Greetings, politeness, discourse markers and addressing the bot, at the start of any request. */
export const LEAD_IN = [
  /^(?:hey|hi|hello|yo|ok|okay|k|so|right|alright|all\s+right|well|oh|now|anyway|actually|basically|also|and|then|plus|oh\s+and|yeah|yes|cool|great|sure)(?![\p{L}\p{N}'-])[\s,!.:-]*/iu,
  /^(?:<@\w+>|@?switchboard\b)[\s,:]*/iu,
  /^(?:please|pls|plz|kindly)\b[\s,]*/iu,
  /^(?:can|could|would|will)\s+you\s+(?:please\s+)?/iu,
];

/** How people ask for a task to be created. */
export const CREATE_PREFIXES = [
  ...LEAD_IN,
  /^remind\s+(?:me|us)\b\s*(?:to|that|about|of)?\s*/iu,
  /^(?:set|create|add|make|put|schedule|log|open)\s+(?:me\s+)?(?:a|an|the)?\s*(?:new\s+)?(?:task|to-?do|reminder|item|action(?:\s+item)?)s?\b(?:\s+(?:for\s+me|on\s+my\s+list))?\s*(?:to|for|about|that|called|named|titled|saying)?\s*[:\-–—]?\s*/iu,
  /^(?:new\s+)?(?:task|to-?do|reminder|action\s+item)s?\b\s*(?:to|for|about)?\s*[:\-–—]?\s*/iu,
  /^add\s+(?:to\s+)?(?:my\s+)?(?:to-?do\s+)?list\s*[:\-–—]?\s*/iu,
  /^note\s+to\s+self\s*[:\-–—,]?\s*/iu,
  /^(?:don't|do\s+not)\s+(?:let\s+me\s+)?forget\s+(?:to\s+)?/iu,
  /^(?:please\s+)?remember\s+to\s+/iu,
  /^make\s+sure\s+(?:to\s+|(?:that\s+)?(?:i|we)\s+)?/iu,
  /^(?:i|we)\s+(?:really\s+)?(?:need|have|want|got|must|should|gotta|ought)\s+(?:to\s+)?(?:really\s+|also\s+)?/iu,
  /^(?:need|have|got)\s+to\s+|^(?:gotta|must|should)\s+/iu,
  /^(?:i|we)'(?:ve|d)\s+(?:got\s+|better\s+)?(?:to\s+)?/iu,
  /^(?:i|we)(?:'ll|\s+will)\s+(?:have\s+to\s+|need\s+to\s+)?(?=\S)/iu,
  /^let's\s+/iu,
  /^\/task\s+/iu,
  /^to\s+/iu,
];

export const CREATE_SUFFIXES = [
  /[\s,]*(?:please|pls|thanks|thank\s+you|thx|ty|cheers)[\s.!]*$/iu,
  /\s+(?:to|on|in)\s+(?:my|the|our)\s+(?:to-?do\s+)?(?:list|tasks?)[\s.!]*$/iu,
  /\s+as\s+a\s+(?:task|reminder|to-?do)[\s.!]*$/iu,
  /\s+(?:and|then|also|plus|by|on|at|before|due|until|for)[\s.!,]*$/iu,
];

/** Hesitations and spoken asides removed, wherever they are; indices are not kept. */
export function removeFillers(text: string): string {
  return text.replace(ASIDE, ',').replace(HESITATION, ' ');
}

/** Blanks hesitations and asides out with spaces, so indices found afterwards still point into `text`. */
export function maskFillers(text: string): string {
  return text
    .replace(ASIDE, (aside) => aside.replace(/[^,]/gu, ' '))
    .replace(HESITATION, (filler) => ' '.repeat(filler.length));
}

/** Strips request words from both ends until none is left; may return '' (a request with no task text). */
export function stripAround(text: string, prefixes: readonly RegExp[], suffixes: readonly RegExp[]): string {
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

/** The text without the greetings and fillers in front of it (request words are kept). */
export function stripLeadIn(text: string): string {
  return stripAround(removeFillers(text), LEAD_IN, []);
}

// --- words that start a request ---

/**
 * Verbs a to-do starts with ("call John", "send Acme the proposal", "pick up the keys"). A clause
 * that starts with one of these, after "and", "then", a comma or a date, is a new task.
 * Deliberately no verbs that are as often a noun after "and" in a task ("note", "record", "back").
 */
const TASK_VERBS = new Set(
  (
    'accept add answer apply approve arrange ask attend bill book bring buy call cancel change charge chase check ' +
    'choose clean clear close collect confirm contact cook decide delete design discuss do download draft drop edit ' +
    'email e-mail fax feed fetch file fill finalise finalize find finish fix follow forward get give go grab help hire ' +
    'install interview invite invoice join look mail make mark meet message move order organise organize pack pay phone ' +
    'pick ping plan post prep prepare print proofread put read refund remember renew reply research reschedule ' +
    'respond return review ring run schedule see sell send set share shop sign sort speak start submit take talk ' +
    'tell test text thank tidy translate update upload visit walk wash water write whatsapp slack dm chat'
  ).split(/\s+/),
);

/**
 * Requests for the bot's other tools, said in the same breath as tasks: "deploy the landing page to
 * staging", "build soarix-web", "roll back production". They start a clause of their own, and task
 * extraction hands them back for normal understanding.
 */
const REQUEST_PATTERNS = [
  /^(?:re)?deploy\b|^(?:re)?build\b|^roll\s*back\b|^ship\b|^release\b|^promote\b|^revert\s+(?:the\s+)?(?:last\s+)?(?:deploy|release|build)/iu,
  /^(?:register|transfer)\s+(?:the\s+)?(?:domain\s+)?[\p{L}\p{N}-]+\.[\p{L}]{2,}/iu,
  /^(?:check|see|find\s+out)\s+(?:if|whether)\s+[\p{L}\p{N}-]+\.[\p{L}]{2,}/iu,
  /^(?:point|verify|map)\s+(?:the\s+)?(?:domain\s+)?[\p{L}\p{N}-]+\.[\p{L}]{2,}/iu,
  /^(?:add|create|delete|remove|update)\s+(?:an?\s+|the\s+)?(?:dns|cname|a|aaaa|txt|mx|ns|srv|caa)\s+record/iu,
  /^(?:mark|tick\s+off|check\s+off|cross\s+off)\b.{0,200}\b(?:done|complete|completed|finished)\b|^(?:delete|remove)\s+(?:the\s+|my\s+|that\s+)?(?:task|reminder|to-?do)\b/iu,
  /^(?:show|list)\s+(?:me\s+)?(?:my\s+|all\s+|the\s+)?(?:tasks|to-?dos|reminders|leads|contacts|deals|builds|deploys|deployments|domains)\b/iu,
  /^(?:new\s+lead\b|add\s+(?:a\s+)?(?:new\s+)?(?:lead|contact|note)\b|log\s+a\s+note\b|move\s+the\s+.{1,60}\bdeal\b)/iu,
  /^(?:notify|alert|ping)\s+(?:me|us)\s+(?:when|if|whenever)\b|^let\s+(?:me|us)\s+know\s+(?:when|if|whenever)\b|^(?:un)?subscribe\b/iu,
];

/** Questions are requests for information, not tasks; only recognised at the start of a sentence. */
const QUESTION_START =
  /^(?:what|what's|whats|when|where|who|who's|why|how|how's|which|is|are|was|were|do|does|did|can|could|will|would|has|have|any)\b/iu;

/** Asking for a task ("remind me to", "don't forget to", "add a task"). */
const REMINDER_CUE =
  /^(?:remind\s+(?:me|us)\b|(?:don't|do\s+not)\s+(?:let\s+me\s+)?forget\b|note\s+to\s+self\b|(?:please\s+)?remember\s+to\b|make\s+sure\b|(?:set|create|add|make|put|schedule|log|open)\s+(?:me\s+)?(?:a|an|the)?\s*(?:new\s+)?(?:task|to-?do|reminder|action\s+item)s?\b|(?:new\s+)?(?:task|to-?do|reminder)s?\s*[:\-–—]|add\s+(?:to\s+)?(?:my\s+)?(?:to-?do\s+)?list\b|\/task\b)/iu;
/** Saying what one has to do ("I need to", "we should", "I've got to"), then the rest of the clause. */
const OBLIGATION_CUE =
  /^(?:(?:(?:i|we)\s+(?:really\s+)?|(?:also\s+)?)(?:(?:need|have|got|want|ought)\s+to|must|should|gotta)\b|(?:i|we)'(?:ve|d)\s+(?:got\s+to|better)\b)\s*/iu;
/** A plan ("I'll", "let's") is a task only when a to-do verb follows: "I'll be out" is not one. */
const PLAN_CUE = /^(?:(?:i|we)(?:'ll|\s+will)|let's)\s+/iu;

/** How a clause starts, read after its greetings and fillers. */
export type ClauseStartKind =
  /** "remind me to …", "don't forget to …", "add a task …" */
  | 'reminder'
  /** "I need to …", "we should …", "I'll call …" */
  | 'obligation'
  /** "ask Priya to …", "tell Sam to …", "Maria needs to …" */
  | 'assignee'
  /** "call John", "send Acme the proposal" */
  | 'task-verb'
  /** another request for the bot: "deploy the landing page to staging", "what's due?" */
  | 'request'
  /** nothing that starts a request: "the meeting went well", "Mary the deck" */
  | 'none';

export interface ClauseStartOptions {
  /**
   * The clause begins a sentence. Then a capitalised verb is still a verb ("Call John"), and a
   * question word starts a question; after "and" or a comma, "Mark" is a name and "what" is not a question.
   */
  sentenceStart?: boolean;
}

/**
 * What kind of request a clause starts with, if any.
 *
 * @example
 * readClauseStart('um, remind me to call John') // → 'reminder'
 * readClauseStart('email Mary tomorrow') // → 'task-verb'
 * readClauseStart('Mary the deck') // → 'none'
 */
export function readClauseStart(text: string, options: ClauseStartOptions = {}): ClauseStartKind {
  const clause = stripLeadIn(text);
  if (clause === '') return 'none';
  if (REMINDER_CUE.test(clause)) return 'reminder';
  const obligation = OBLIGATION_CUE.exec(clause);
  if (obligation) {
    const rest = clause.slice(obligation[0].length);
    return REQUEST_PATTERNS.some((pattern) => pattern.test(rest)) ? 'request' : 'obligation';
  }
  const plan = PLAN_CUE.exec(clause);
  if (plan) {
    const rest = clause.slice(plan[0].length);
    if (REQUEST_PATTERNS.some((pattern) => pattern.test(rest))) return 'request';
    return startsWithTaskVerb(rest, true) ? 'obligation' : 'none';
  }
  if (startsWithAssignee(clause)) return 'assignee';
  if (REQUEST_PATTERNS.some((pattern) => pattern.test(clause))) return 'request';
  if (options.sentenceStart && (QUESTION_START.test(clause) || /\?\s*$/.test(clause))) return 'request';
  if (startsWithTaskVerb(clause, options.sentenceStart === true)) return 'task-verb';
  return 'none';
}

/** "ask Priya to", "tell sam to" (any case after the verb), "Maria needs to" (a capitalised name). */
const ASK_SOMEONE = /^(?:ask|tell|get|have|remind)\s+(?!(?:me|us|myself|him|her|them|someone|somebody|everyone|the|a|an)\b)(\S+(?:\s+\S+)?)\s+to\b/iu;
const NAME_THEN_MODAL = /^(\S+(?:\s+\S+)?)\s+(?:should|needs\s+to|has\s+to|must|is\s+to|will\s+have\s+to)\b/u;

function startsWithAssignee(clause: string): boolean {
  const ask = ASK_SOMEONE.exec(clause);
  if (ask) return isWholeName(ask[1]!, true);
  const subject = NAME_THEN_MODAL.exec(clause);
  return subject !== null && isWholeName(subject[1]!, false);
}

function isWholeName(raw: string, allowLowerCase: boolean): boolean {
  const name = readName(raw, 0, { allowLowerCase, maxWords: 2 });
  return name !== undefined && name.start === 0 && name.end === raw.length && !isNotNameWord(name.value);
}

/** The first word is a to-do verb; mid-sentence it must be in lower case ("and Mark" is a name). */
export function startsWithTaskVerb(text: string, capitalAllowed: boolean): boolean {
  const word = /^[\p{L}-]+/u.exec(text.trimStart())?.[0];
  if (!word) return false;
  if (!capitalAllowed && /^\p{Lu}/u.test(word)) return false;
  return TASK_VERBS.has(word.toLowerCase());
}

/** The to-do verb a task text starts with, if any: "call John" → "call". */
export function leadingTaskVerb(text: string): string | undefined {
  const word = /^[\p{L}-]+/u.exec(text.trimStart())?.[0];
  return word && TASK_VERBS.has(word.toLowerCase()) ? word : undefined;
}
