// English only: the package's root import loads every locale's parsers (about 0.45 s of a cold start under tsx).
import { casual } from 'chrono-node/en';
import type * as chrono from 'chrono-node';
import type { UnderstandContext } from '../understander.js';
import { parseSmallNumber } from './number-words.js';
import { prepareText, safely } from './prepare-text.js';
import { insideAny, maskSpans, type SlotMatch, type Span } from './slot-match.js';
import { rewriteWithMap, type Rewrite } from './text-rewrite.js';
import {
  addDays,
  formatInstantInZone,
  lastDayOfMonth,
  offsetMinutesAt,
  resolveTimeZone,
  sameDate,
  wallTimeAsUtc,
  wallTimeAt,
  wallTimeToInstant,
  weekdayOf,
  type WallTime,
} from './zoned-time.js';

/** What the due-date extractor needs from the understanding context. */
export type DueContext = Pick<UnderstandContext, 'now' | 'timezone'>;

// --- defaults a user expects from a task app ---

/** A date said without a time ("on Friday", "in two weeks") is due at the start of the working day. */
const DEFAULT_HOUR = 9;
/** "end of day", "EOD", "by close of business". */
const END_OF_DAY_HOUR = 17;
/** Casual parts of the day, where chrono-node's own guesses (6 am morning, 10 pm tonight) are off. */
const PART_OF_DAY_HOURS: ReadonlyArray<readonly [tag: string, hour: number]> = [
  ['casualReference/tonight', 20],
  ['casualReference/evening', 18],
  ['casualReference/afternoon', 15],
  ['casualReference/morning', 9],
];

/**
 * Zones where people write dates month-first ("10/24"). Everywhere else "10/11" is the 10th of
 * November. chrono-node's `en.GB` parser reads day-first but also takes "March 29" for March 2029,
 * so the month-first parser is used everywhere and day-first numeric dates are swapped before it.
 */
const MONTH_FIRST_ZONE = /^(?:US\/|America\/(?:New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Juneau|Sitka|Yakutat|Nome|Metlakatla|Adak|Boise|Detroit|Menominee|Indiana\/|Kentucky\/|North_Dakota\/)|Pacific\/Honolulu$)/;

// --- spoken times: "at five", "half past four", "six thirty pm" ---

const HOUR_WORD = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';
const MINUTE_WORD = "o'?clock|fifteen|thirty|forty[\\s-]five|forty|twenty|fifty|ten";
const MERIDIEM = 'a\\.?m\\.?|p\\.?m\\.?';
const SPOKEN_TIME = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    String.raw`(half|quarter)\s+(past|after|to)\s+(${HOUR_WORD}|\d{1,2})` +
    String.raw`|(at|by|before|until|till|around|about)\s+(${HOUR_WORD})(?:[\s-]+(${MINUTE_WORD}))?(?:\s*(${MERIDIEM}))?` +
    String.raw`|(${HOUR_WORD})(?:[\s-]+(fifteen|thirty|forty[\s-]five|twenty|ten))?\s*(o'?clock|${MERIDIEM})` +
    String.raw`)(?![\p{L}\p{N}])`,
  'giu',
);

const COUNTED_NOUN =
  /^\s+(?:of|or|more|other|others|another|things?|people|persons?|items?|days?|weeks?|months?|years?|hours?|minutes?|times?|points?|ways?|clients?|tasks?)\b/iu;

function spokenTimeToDigits(match: RegExpExecArray): string | undefined {
  const [, fraction, direction, fractionHour, preposition, prepHour, prepMinute, prepMeridiem, bareHour, bareMinute, bareSuffix] =
    match;
  if (fraction && direction && fractionHour) {
    let hour = parseSmallNumber(fractionHour);
    if (hour === undefined || hour > 12) return undefined;
    let minute = fraction.toLowerCase() === 'half' ? 30 : 15;
    if (direction.toLowerCase() === 'to') {
      if (fraction.toLowerCase() === 'half') return undefined;
      hour = hour === 1 ? 12 : hour - 1;
      minute = 45;
    }
    return `${hour}:${String(minute).padStart(2, '0')}`;
  }
  const hour = parseSmallNumber(prepHour ?? bareHour ?? '');
  if (hour === undefined) return undefined;
  const minuteWord = (prepMinute ?? bareMinute ?? '').toLowerCase();
  const suffix = (prepMeridiem ?? bareSuffix ?? '').toLowerCase();
  // "look at one of the invoices", "by two people": a count, not a time.
  const following = match.input.slice(match.index + match[0].length, match.index + match[0].length + 20);
  if (!minuteWord && !suffix && COUNTED_NOUN.test(following)) return undefined;
  let clock = String(hour);
  if (/^o'?clock$/.test(minuteWord) || /^o'?clock$/.test(suffix)) clock += ':00';
  else if (minuteWord) clock += `:${String(parseSmallNumber(minuteWord.replace(/\s+/, '-')) ?? 0).padStart(2, '0')}`;
  const meridiem = /^[ap]/.test(suffix) ? ` ${suffix}` : '';
  return `${preposition ? `${preposition} ` : ''}${clock}${meridiem}`;
}

/** "10/11", "10/11/2026", "10.11.2026" (dots only with a year: "5.30" is a time). */
const NUMERIC_DATE = /(?<![\d/.])(\d{1,2})(?:\/(\d{1,2})(?:\/(\d{2}|\d{4}))?|\.(\d{1,2})\.(\d{2}|\d{4}))(?![\d/.]|\.\d)/g;

function dayFirstToMonthFirst(match: RegExpExecArray): string | undefined {
  const [, day, slashMonth, slashYear, dotMonth, dotYear] = match;
  const month = slashMonth ?? dotMonth;
  const year = slashYear ?? dotYear;
  if (Number(day) > 31 || Number(month) > 12 || Number(day) === 0 || Number(month) === 0) return undefined;
  return year ? `${month}/${day}/${year}` : `${month}/${day}`;
}

// --- a day of the month said alone: "on the 2nd", "by the twenty-first", "March the 3rd" ---

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_PATTERN = String.raw`jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`;
const ORDINAL_WORDS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};
const ORDINAL_WORD = String.raw`(?:twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty[\s-]first|${Object.keys(ORDINAL_WORDS).join('|')})`;
/**
 * Nouns that make an ordinal something other than a date ("on the 2nd floor", "by the third try").
 * "of" is left to chrono-node, which reads "the 2nd of March" itself.
 */
const ORDINAL_NOUNS =
  'of|floor|time|times|place|round|option|item|one|ones|page|quarter|half|attempt|try|draft|version|week|month|year|day|line|row|column|point|step|phase|stage|slide|issue|person|call|meeting|edition|chapter|section|level|grade|hand|thought|opinion|reminder|task|invoice|payment|instalment|installment';
/**
 * chrono-node reads neither "on the 2nd" (no month) nor "March the 2nd" (it takes "March" alone, the
 * 1st), nor the date of "Friday the 20th". A day without a month is the next such day, today included, in a month that has it ("the 31st"
 * said in November → 31 December); it needs a preposition, so "the 2nd" alone stays an ordinal.
 */
const DAY_OF_MONTH = new RegExp(
  String.raw`(?:(?<=(?:^|[^\p{L}\p{N}])(?:on|by|before|until|till|due|than|for)\s+)|(?<![\p{L}\p{N}])(${MONTH_PATTERN})\.?,?\s+|(?<![\p{L}\p{N}])(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)` +
    String.raw`the\s+(?:(\d{1,2})(?:st|nd|rd|th)|(${ORDINAL_WORD}))(?![\p{L}\p{N}])(?!\s+(?:${ORDINAL_NOUNS})\b)`,
  'giu',
);

function ordinalDay(numeric: string | undefined, word: string | undefined): number | undefined {
  if (numeric) return Number(numeric);
  const lower = (word ?? '').toLowerCase();
  const compound = /^(twenty|thirty)[\s-](\w+)$/.exec(lower);
  if (compound) return (compound[1] === 'twenty' ? 20 : 30) + (ORDINAL_WORDS[compound[2]!] ?? 99);
  return ORDINAL_WORDS[lower];
}

function dayOfMonthToDate(match: RegExpExecArray, today: WallTime): string | undefined {
  const [, monthWord, numeric, word] = match;
  const day = ordinalDay(numeric, word);
  if (day === undefined || day < 1 || day > 31) return undefined;
  if (monthWord) {
    const month = MONTH_NAMES.find((name) => name.toLowerCase().startsWith(monthWord.toLowerCase().slice(0, 3)));
    return month ? `${month} ${day}` : undefined;
  }
  let { year, month } = today;
  if (day < today.day) month++;
  for (let tries = 0; tries < 12; tries++, month++) {
    if (month > 12) {
      month = 1;
      year++;
    }
    if (day <= lastDayOfMonth(year, month)) return `${MONTH_NAMES[month - 1]} ${day} ${year}`;
  }
  return undefined;
}

function composeRewrites(first: Rewrite, second: Rewrite): Rewrite {
  return { text: second.text, toSource: (index, edge) => first.toSource(second.toSource(index, edge), edge) };
}

// --- things chrono-node must not read as dates ---

const NOT_DATES = [
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+/gu, // e-mail addresses
  /\b(?:https?|ftp):\/\/\S+/gi, // URLs
  /(?:\+|\b00)\d[\d\s().-]{5,}\d/g, // international phone numbers ("+44 7911 123456")
  /\bv\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?\b/gi, // versions ("v1.4.2")
  /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g, // IPv4 addresses
  /#\d+\b/g, // build and issue numbers
  /[$€£¥₹]\s?\d[\d,.]*(?:\s?[kmb]n?\b)?/giu, // amounts
];

// --- phrases chrono-node does not know ---

interface PhraseRule {
  pattern: RegExp;
  resolve(today: WallTime): WallTime;
}

const END_OF_PHRASES: PhraseRule[] = [
  {
    // "end of the day", "end of today", "end of the working day", "EOD", "COB".
    pattern: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|to)?(?:work(?:ing)?\s+|business\s+)?day|eod|cob|close\s+of\s+(?:business|play))\b/gi,
    resolve: (today) => ({ ...today, hour: END_OF_DAY_HOUR, minute: 0, second: 0 }),
  },
  {
    // The working week ends on Friday; said at the weekend it means the coming one.
    pattern: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:work(?:ing)?\s+)?week|eow)\b/gi,
    resolve: (today) => ({ ...addDays(today, (5 - weekdayOf(today) + 7) % 7), hour: END_OF_DAY_HOUR, minute: 0, second: 0 }),
  },
  {
    pattern: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|eom)\b/gi,
    resolve: (today) => ({
      ...today,
      day: lastDayOfMonth(today.year, today.month),
      hour: END_OF_DAY_HOUR,
      minute: 0,
      second: 0,
    }),
  },
];

/** Prepositions that belong to the date phrase when the phrase is cut out of a task title. */
const LEADING_PREPOSITION =
  /(?:^|\s)((?:(?:by|on|before|until|till|due|at|from|starting|for|no\s+later\s+than)\s+)+(?:the\s+)?)$/i;

interface Candidate {
  index: number;
  spans: Span[];
  instant: number;
}

/**
 * The first date or time in `text`, resolved in the user's zone, as an ISO 8601 string with that
 * zone's offset on that date.
 *
 * Defaults: a date without a time → 09:00; "tonight" → 20:00, "this evening" → 18:00, "morning" →
 * 09:00, "afternoon" → 15:00; "end of day" → 17:00; "next week" → Monday 09:00; "next month" →
 * the 1st at 09:00; a bare hour 1-7 without am/pm → afternoon ("at five" → 17:00); a weekday
 * means the next such day, today included ("by Friday" on a Friday → today); a date-only phrase
 * that resolves to the past today ("today", asked after 09:00) → 23:59 today.
 *
 * @example
 * extractDue('call John tomorrow at five', { now: Date.parse('2026-10-24T22:30:00Z'), timezone: 'Europe/London' })
 * // → '2026-10-25T17:00:00+00:00' (clocks went back that night)
 */
export function extractDue(text: string, context: DueContext): string | undefined {
  return findDue(text, context)?.value;
}

/** `extractDue` with the span(s) of the date phrase, so a task title can leave them out. */
export function findDue(text: string, context: DueContext): SlotMatch<string> | undefined {
  return findAllDue(text, context)[0];
}

/** Every date phrase in `text`, first mention first, each resolved as `extractDue` would. */
export function findAllDue(text: string, context: DueContext): SlotMatch<string>[] {
  const key = `${context.timezone}\u0000${context.now}\u0000${text}`;
  let found = recentDates.get(key);
  if (!found) {
    found = safely(() => findAllDueUnsafe(prepareText(text), context), []);
    // A Map keeps insertion order: the oldest entry goes first. Not lru-cache: recency of use does not
    // matter here (one message is read several times within its own turn, then never again).
    if (recentDates.size >= RECENT_DATES) recentDates.delete(recentDates.keys().next().value!);
    recentDates.set(key, found);
  }
  return found.map((match) => ({ value: match.value, spans: match.spans.map((span) => ({ ...span })) }));
}

/**
 * The dates of the last messages read. One turn reads the same text several times (the classifier's
 * slots, the task splitter, the task extractor), each with the same `now`; chrono-node and the time
 * zone arithmetic were the largest share of a turn's CPU in bench:telegram's profile.
 */
const recentDates = new Map<string, SlotMatch<string>[]>();
const RECENT_DATES = 64;

function findAllDueUnsafe(prepared: string, context: DueContext): SlotMatch<string>[] {
  const now = context.now;
  if (!Number.isFinite(now) || prepared.trim() === '') return [];
  const timeZone = resolveTimeZone(context.timezone);
  const today = wallTimeAt(timeZone, now);
  const refOffset = offsetMinutesAt(timeZone, now);

  const masked = maskSpans(prepared, NOT_DATES.flatMap((pattern) => spansOf(prepared, pattern)));
  const spoken = rewriteWithMap(masked, SPOKEN_TIME, spokenTimeToDigits);
  const numeric = MONTH_FIRST_ZONE.test(timeZone)
    ? spoken
    : composeRewrites(spoken, rewriteWithMap(spoken.text, NUMERIC_DATE, dayFirstToMonthFirst));
  const rewrite = composeRewrites(numeric, rewriteWithMap(numeric.text, DAY_OF_MONTH, (match) => dayOfMonthToDate(match, today)));
  const toSource = (index: number, length: number): Span =>
    withPreposition(prepared, {
      start: rewrite.toSource(index, 'start'),
      end: rewrite.toSource(index + length, 'end'),
    });

  const candidates: Candidate[] = [];

  for (const rule of END_OF_PHRASES) {
    for (const match of rewrite.text.matchAll(rule.pattern)) {
      const wall = rule.resolve(today);
      candidates.push({
        index: match.index,
        spans: [toSource(match.index, match[0].length)],
        instant: notInThePastToday(timeZone, wallTimeToInstant(timeZone, wall), wall, today, now),
      });
    }
  }

  const results = casual
    .parse(rewrite.text, { instant: new Date(now), timezone: refOffset }, { forwardDate: true })
    .filter((result) => isDeadline(result))
    .sort((a, b) => a.index - b.index);

  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    const spans = [toSource(result.index, result.text.length)];
    // An "end of …" phrase already covers this text (chrono reads "end of the month" as "month").
    if (candidates.some((candidate) => insideAny(spans[0]!, candidate.spans))) continue;
    // "Friday, call Acme at 3pm": chrono returns the day and the time separately; join them.
    const next = results[i + 1];
    let timeFrom: chrono.ParsedResult | undefined;
    if (next && !result.start.isCertain('hour') && isTimeOnly(next)) {
      timeFrom = next;
      spans.push(toSource(next.index, next.text.length));
    }
    const instant = resolveResult(result, timeFrom, { timeZone, today, now, refOffset });
    if (instant !== undefined) candidates.push({ index: result.index, spans, instant });
    if (timeFrom) i++;
  }

  return candidates
    .filter((candidate) => Number.isFinite(candidate.instant))
    .sort((a, b) => a.index - b.index)
    .map((candidate) => ({ value: formatInstantInZone(timeZone, candidate.instant), spans: candidate.spans }));
}

// --- turning chrono-node's fields into an instant ---

interface ResolveEnv {
  timeZone: string;
  today: WallTime;
  now: number;
  refOffset: number;
}

function resolveResult(result: chrono.ParsedResult, timeFrom: chrono.ParsedResult | undefined, env: ResolveEnv) {
  const { timeZone, today, now, refOffset } = env;
  const start = result.start;
  const tags = result.tags();
  const text = result.text.toLowerCase();

  // "in 2 hours", "in 30 minutes": an exact offset from now, whatever the wall clock does.
  if (tags.has('result/relativeDateAndTime')) {
    return wallTimeAsUtc(fieldsOf(start)) - (start.get('timezoneOffset') ?? refOffset) * 60_000;
  }

  // --- the date ---
  const chronoDate: WallTime = { ...fieldsOf(start), hour: 0, minute: 0, second: 0 };
  let date: WallTime | undefined;
  if (/\bnext\s+week\b/.test(text)) {
    date = addDays(today, ((8 - weekdayOf(today)) % 7) || 7); // the Monday after this week
  } else if (/\bnext\s+month\b/.test(text) && !start.isCertain('day')) {
    date = addDays({ ...today, day: 1 }, lastDayOfMonth(today.year, today.month)); // the 1st
  } else if (start.isCertain('day')) {
    date = chronoDate; // an explicit or casual date, already resolved by chrono in the user's zone
  } else if (start.isCertain('weekday') && !/\b(?:next|last|past|previous|ago)\b/.test(text)) {
    // chrono skips today once noon has passed; a person saying "by Friday" on a Friday means today.
    const weekday = start.get('weekday') ?? weekdayOf(today);
    date = addDays(today, (weekday - weekdayOf(today) + 7) % 7);
  } else if (start.isCertain('weekday') || start.isCertain('month') || tags.has('result/relativeDate')) {
    date = chronoDate;
  }
  // otherwise only a time of day was said ("at 5", "this evening"): see below

  // --- the time of day ---
  const timeSource = timeFrom?.start.isCertain('hour') ? timeFrom : result;
  let hour = DEFAULT_HOUR;
  let minute = 0;
  let second = 0;
  let timeKnown = true;
  if (timeSource.start.isCertain('hour')) {
    hour = timeSource.start.get('hour') ?? DEFAULT_HOUR;
    minute = timeSource.start.get('minute') ?? 0;
    second = timeSource.start.isCertain('second') ? (timeSource.start.get('second') ?? 0) : 0;
    // Nobody books a call for 5 am by saying "at five": a bare small hour is in the afternoon,
    // unless written the 24-hour way ("07:00").
    if (!timeSource.start.isCertain('meridiem') && hour >= 1 && hour <= 7 && !/(?:^|\D)0\d/.test(timeSource.text)) {
      hour += 12;
    }
  } else {
    // A part of the day is as vague as no time at all: it too must not be overdue on creation.
    const partOfDay = PART_OF_DAY_HOURS.find(([tag]) => tags.has(tag));
    if (partOfDay) hour = partOfDay[1];
    timeKnown = false;
  }

  const explicitOffset = start.isCertain('timezoneOffset') ? start.get('timezoneOffset') : null;
  const toInstant = (wall: WallTime) =>
    explicitOffset !== null ? wallTimeAsUtc(wall) - explicitOffset * 60_000 : wallTimeToInstant(timeZone, wall);

  if (!date) {
    // A time without a date is its next occurrence.
    const todayAt = { ...today, hour, minute, second };
    const instant = toInstant(todayAt);
    return instant >= now ? instant : toInstant(addDays(todayAt, 1));
  }
  const wall = { ...date, hour, minute, second };
  const instant = toInstant(wall);
  return timeKnown ? instant : notInThePastToday(timeZone, instant, wall, today, now);
}

/** A default time must not make a task overdue the moment it is created: use the end of today. */
function notInThePastToday(timeZone: string, instant: number, wall: WallTime, today: WallTime, now: number) {
  if (instant >= now || !sameDate(wall, today)) return instant;
  return Math.max(now, wallTimeToInstant(timeZone, { ...today, hour: 23, minute: 59, second: 0 }));
}

function fieldsOf(components: chrono.ParsedComponents): WallTime {
  return {
    year: components.get('year') ?? 1970,
    month: components.get('month') ?? 1,
    day: components.get('day') ?? 1,
    hour: components.get('hour') ?? 0,
    minute: components.get('minute') ?? 0,
    second: components.get('second') ?? 0,
  };
}

function isTimeOnly(result: chrono.ParsedResult): boolean {
  const start = result.start;
  return (
    start.isCertain('hour') &&
    !start.isCertain('day') &&
    !start.isCertain('weekday') &&
    !start.isCertain('month') &&
    !result.tags().has('result/relativeDate')
  );
}

/** Durations ("for 2 years", "for an hour") are not deadlines; lower-case "may", "sat", "sun" are words. */
function isDeadline(result: chrono.ParsedResult): boolean {
  if (/^for\b/i.test(result.text)) return false;
  if (/^(?:may|march|sat|sun|wed|mar|jan|jun)$/.test(result.text)) return false;
  return true;
}

function withPreposition(text: string, span: Span): Span {
  const before = LEADING_PREPOSITION.exec(text.slice(Math.max(0, span.start - 40), span.start));
  return before ? { start: span.start - before[1]!.length, end: span.end } : span;
}

function spansOf(text: string, pattern: RegExp): Span[] {
  return [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

