import { addDays, wallTimeAt, wallTimeToInstant, weekdayOf } from '../../intents/slots/index.js';

/** What a description says, before names are looked up: the resolver turns it into a `RecordQuery`. */
export interface Description {
  /** Content words, lower case, as typed. */
  words: string[];
  /** "my", "mine", "assigned to me". */
  self: boolean;
  /** Names in "bob's", "for bob", "assigned to bob", "owned by bob", as typed. */
  ownerNames: string[];
  number?: number;
  /** "from cyberdyne", "at acme" (lower case), when the source has organisations. */
  organisation?: string;
  createdFrom?: number;
  createdBefore?: number;
  /** "latest", "last", "newest", "most recent": the newest alone is meant. */
  newest: boolean;
}

export interface ReadOptions {
  /** Words that name the kind of record ("task", "deal"): never content. */
  nounWords: readonly string[];
  supports: { number: boolean; organisation: boolean };
  now: number;
  timezone: string;
}

/** Words that carry no part of a record's text: articles, pointers, the prepositions around the description. */
const STOP_WORDS = new Set(
  (
    'a an the this that these those it its one ones thing about regarding re called named titled with to on of in ' +
    'for from at by and or my mine me i our your his her their which what whats where is was are be please pls ' +
    'please the one that says says said open same just'
  ).split(' '),
);

/** Possessives that are contractions or pronouns, not names ("what's", "it's", "let's"). */
const NOT_A_POSSESSOR = new Set(['what', 'it', 'that', 'there', 'here', 'who', 'let', 'he', 'she', 'where', 'how', 'today', 'yesterday', 'tomorrow', 'everyone', 'everybody', 'somebody', 'someone', 'nobody']);

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NEWEST = /\b(?:latest|newest|last|most\s+recent(?:ly\s+(?:added|created))?|recent|just\s+(?:added|created|made))\b/giu;
const NUMBER = /(?:^|\s)(?:#\s*(\d{1,7})|(?:task|to-?do|item|number|no\.?)\s*#?\s*(\d{1,7}))(?=\s|$|[?.!,])|^\s*(\d{1,7})\s*$/iu;
const SELF = /\b(?:my|mine|assigned\s+to\s+me|for\s+me|i\s+(?:created|made|added|wrote))\b/giu;
/** "bob's", "Bob Smith's", "bob’s" (a name of one or two words before the possessive). */
const POSSESSIVE = /(?<![\p{L}'’])(\p{L}[\p{L}-]*)(?:\s+(\p{L}[\p{L}-]*))?['’]s\b/gu;
/** "for bob", "assigned to bob", "owned by bob", "belonging to bob": one or two words, at the end or before a boundary word. */
const OWNER_PHRASE = /\b(?:assigned\s+to|owned\s+by|belonging\s+to|for)\s+(\p{L}[\p{L}-]*)(?:\s+(\p{L}[\p{L}-]*))?/gu;
const DAY_PHRASE = new RegExp(
  String.raw`\b(?:(?:created|added|made|from|of)\s+)?(?:(yesterday|today|this\s+morning|this\s+week|last\s+week)|(?:on\s+|last\s+)?(${WEEKDAYS.join('|')}))\b`,
  'giu',
);
const ORGANISATION = /\b(?:from|at|@)\s+(\p{L}[\p{L}\p{N}&.-]*)/gu;

/**
 * Reads a description ("bob's task about calling acme", "task 12", "my latest task", "sarah from
 * cyberdyne", "the one from yesterday") into what it names. Hand-written rather than a parser
 * library: the phrases are few and English-only, and each rule needs the one before it removed.
 *
 * @example
 * readDescription("bob's task about calling acme", opts) // → { ownerNames: ['bob'], words: ['calling', 'acme'], … }
 */
export function readDescription(text: string, options: ReadOptions): Description {
  let rest = ` ${text.normalize('NFC').replace(/["“”]/g, ' ').replace(/\s+/g, ' ').trim()} `;
  const found: Description = { words: [], self: false, ownerNames: [], newest: false };
  /** Removes what `pattern` matches; `each` may keep a match (false) or leave part of it (a string). */
  const cut = (pattern: RegExp, each: (match: string[]) => false | string | void) => {
    rest = rest.replace(pattern, (...args: unknown[]) => {
      // (match, …groups, offset, input): the groups end where the offset (a number) begins.
      const match = args.slice(0, args.findIndex((a) => typeof a === 'number')) as string[];
      const kept = each(match);
      return kept === false ? match[0]! : ` ${kept ?? ''} `;
    });
  };

  if (options.supports.number) {
    const number = NUMBER.exec(rest);
    if (number) {
      found.number = Number(number[1] ?? number[2] ?? number[3]);
      rest = rest.replace(number[0], ' ');
    }
  }
  cut(DAY_PHRASE, (m) => {
    const window = dayWindow((m[1] ?? m[2] ?? '').toLowerCase().replace(/\s+/g, ' '), options.now, options.timezone);
    if (!window) return false;
    found.createdFrom = window.from;
    found.createdBefore = window.before;
  });
  cut(NEWEST, () => {
    found.newest = true;
  });
  cut(SELF, () => {
    found.self = true;
  });
  cut(POSSESSIVE, (m) => {
    const [first, second] = [m[1]!, m[2]];
    const name = second ?? first;
    if (NOT_A_POSSESSOR.has(name.toLowerCase()) || STOP_WORDS.has(name.toLowerCase())) return false;
    // Only the word right before the possessive is surely a name ("about calling bob's"); a
    // capitalised word before it belongs with it ("Bob Smith's").
    if (second && isFullName(first, second)) {
      found.ownerNames.push(`${first} ${second}`);
      return;
    }
    found.ownerNames.push(name);
    return second ? first : undefined;
  });
  cut(OWNER_PHRASE, (m) => {
    const [first, second] = [m[1]!, m[2]];
    if (STOP_WORDS.has(first.toLowerCase()) || options.nounWords.includes(first.toLowerCase())) return false;
    if (second && isFullName(first, second)) {
      found.ownerNames.push(`${first} ${second}`);
      return;
    }
    found.ownerNames.push(first);
    return second;
  });
  if (options.supports.organisation) {
    cut(ORGANISATION, (m) => {
      found.organisation = m[1]!.toLowerCase();
    });
  }
  found.words = words(rest, options.nounWords);
  return found;
}

/** "Bob Smith": two capitalised words, neither a stop word. */
function isFullName(first: string, second: string): boolean {
  return /^\p{Lu}/u.test(first) && /^\p{Lu}/u.test(second) && !STOP_WORDS.has(first.toLowerCase()) && !STOP_WORDS.has(second.toLowerCase());
}

/** The content words of `text`: lower case, without stop words, the record's noun words and punctuation. */
export function words(text: string, nounWords: readonly string[] = []): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}&'’-]*/gu) ?? [])
    .map((w) => w.replace(/['’]s$/u, '').replace(/['’-]+$/u, ''))
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w) && !nounWords.includes(w) && !nounWords.includes(w.replace(/s$/, '')));
}

/** [from, before) of a day phrase in the reader's zone; undefined for a phrase it does not know. */
function dayWindow(phrase: string, now: number, timeZone: string): { from: number; before: number } | undefined {
  const today = { ...wallTimeAt(timeZone, now), hour: 0, minute: 0, second: 0 };
  const at = (days: number) => wallTimeToInstant(timeZone, addDays(today, days));
  if (phrase === 'today' || phrase === 'this morning') return { from: at(0), before: at(1) };
  if (phrase === 'yesterday') return { from: at(-1), before: at(0) };
  const sinceMonday = (weekdayOf(today) + 6) % 7;
  if (phrase === 'this week') return { from: at(-sinceMonday), before: at(1) };
  if (phrase === 'last week') return { from: at(-sinceMonday - 7), before: at(-sinceMonday) };
  const weekday = WEEKDAYS.indexOf(phrase);
  if (weekday < 0) return undefined;
  // The most recent such day, today included ("the one from monday" on a Monday: today).
  const back = (weekdayOf(today) - weekday + 7) % 7;
  return { from: at(-back), before: at(-back + 1) };
}
