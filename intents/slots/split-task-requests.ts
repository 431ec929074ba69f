import { findAssignee } from './extract-assignee.js';
import { findAllDue, type DueContext } from './extract-due.js';
import { prepareText, safely } from './prepare-text.js';
import { removeSpans, tidyFreeText, type SlotMatch, type Span } from './slot-match.js';
import {
  CREATE_PREFIXES,
  CREATE_SUFFIXES,
  maskFillers,
  readClauseStart,
  removeFillers,
  stripAround,
  stripLeadIn,
  type ClauseStartKind,
} from './task-phrases.js';

/**
 * Cutting one message (a voice note, most often) into the requests it makes: "remind me to call John
 * tomorrow at five and send Acme the proposal by Friday" is two. Speech-to-text output may have no
 * punctuation at all, or full stops in odd places, so sentences are only the first cut; inside a
 * sentence the cut falls at a conjunction or a comma followed by the start of a new request.
 */

/** A message gives at most this many clauses; the text after them is left out (it is already capped by `prepareText`). */
export const MAX_TASK_CLAUSES = 30;

/** One request (or one piece of chatter) of a message. */
export interface TaskClause {
  /** The clause as said, tidied (the "part of the speech" a task came from). */
  text: string;
  /** Where it lies in the prepared text (`TaskClauses.text`), end exclusive. */
  start: number;
  end: number;
  /** Index of its sentence. A date said at the start of a sentence may apply to all its clauses. */
  sentence: number;
  /** Its sentence ended with a question mark (which is not part of `text`). */
  question: boolean;
  /** How it starts, read without its date phrases: a reminder, a to-do verb, another request, nothing. */
  kind: ClauseStartKind;
  /** The date phrases inside it, first mention first, with spans in the prepared text. */
  dates: SlotMatch<string>[];
}

export interface TaskClauses {
  /** The prepared text (`prepareText`) every span points into. */
  text: string;
  clauses: TaskClause[];
}

/**
 * Splits a message that asks for several tasks into one text per task:
 * "remind me to call John tomorrow at five and send Acme the proposal by Friday" → two texts.
 * See `findTaskClauses` for where a message is cut.
 */
export function splitTaskRequests(text: string, context: DueContext): string[] {
  return safely(() => {
    const { text: prepared, clauses } = findTaskClauses(text, context);
    const parts = clauses.map((clause) => clause.text).filter((part) => part.length > 0);
    return parts.length > 0 ? parts : [prepared];
  }, [text]);
}

/**
 * The clauses of a message, with their positions, sentence, kind and dates.
 *
 * Where the text is cut:
 * - at sentence ends (". ", "! ", "? " but not after "Dr." or "p.m."), line breaks and semicolons;
 * - at "and", "then", "also", "plus", "and then", "and also" or a comma, when what follows starts a
 *   request of its own ("email Mary", "remind me to …", "ask Priya to …", "deploy …") and what precedes
 *   is more than a lone verb: "call John and email Mary" is cut, "send John and Mary the deck",
 *   "buy milk and eggs" and "review and sign the contract" are not;
 * - at "and"/"then"/"also"/"plus" with a date on both sides ("call John tomorrow and Jane on Friday");
 * - right after a date phrase followed by a to-do verb, for speech without any joint:
 *   "call John tomorrow email Sam on Friday".
 * A sentence that is only a date ("Call John. Tomorrow at five.") joins the clause before it when that
 * one has no date, and the sentence after it otherwise.
 *
 * @example
 * findTaskClauses('okay so tomorrow I need to call John and email Sam', ctx).clauses.map((c) => c.text)
 * // → ['okay so tomorrow I need to call John', 'email Sam']
 */
export function findTaskClauses(text: string, context: DueContext): TaskClauses {
  const prepared = safely(() => prepareText(text), '');
  return safely(() => ({ text: prepared, clauses: findClausesUnsafe(prepared, context) }), {
    text: prepared,
    clauses: prepared.trim() === '' ? [] : [wholeText(prepared)],
  });
}

// --- sentences ---

/** Sentence ends; a full stop after one of these words (or an initial) is not one. */
const SENTENCE_END = /[.!?…]+["')\]]*(?=\s|$)|\n+|;/gu;
const ABBREVIATION = /(?:^|[\s(])(?:mr|mrs|ms|dr|st|jr|sr|inc|ltd|co|corp|vs|etc|e\.g|i\.e|a\.m|p\.m|approx|no|\p{L})$/iu;

interface Sentence extends Span {
  /** It ended with a question mark. */
  question: boolean;
}

function sentenceRanges(text: string, dateSpans: readonly Span[]): Sentence[] {
  const ranges: Sentence[] = [];
  let start = 0;
  for (const end of text.matchAll(SENTENCE_END)) {
    if (end[0].startsWith('.') && end[0].length === 1 && ABBREVIATION.test(text.slice(Math.max(0, end.index - 8), end.index))) continue;
    if (dateSpans.some((span) => end.index > span.start && end.index < span.end)) continue;
    ranges.push(trimmed(text, start, end.index, end[0].includes('?')));
    start = end.index + end[0].length;
  }
  ranges.push(trimmed(text, start, text.length, false));
  return ranges.filter((range) => range.end > range.start);
}

/** The range without the white space at either end, so clause positions start on a word. */
function trimmed(text: string, start: number, end: number, question: boolean): Sentence {
  let from = start;
  let to = end;
  while (from < to && /\s/u.test(text[from]!)) from++;
  while (to > from && /\s/u.test(text[to - 1]!)) to--;
  return { start: from, end: to, question };
}

// --- cutting a sentence into clauses ---

/** A comma, or one of the connectives between requests (optionally after a comma). */
const JOINT = /\s*,\s*(?:(?:and\s+also|and\s+then|and|also|then|plus)\b\s*)?|\s+(?:and\s+also|and\s+then|and|also|then|plus)\b\s+/giu;

/** A connective left at the end of a clause when the cut fell at a comma after it ("and then, you know, …"). */
const TRAILING_JOINT = /[\s,]+(?:and\s+then|and\s+also|and|then|also|plus)[\s,]*$/iu;

interface Cut {
  /** Where the left clause ends. */
  at: number;
  /** Where the right clause starts. */
  resume: number;
  /** A bare comma: only cut when a request follows. */
  comma: boolean;
  /** A cut right after a date, with nothing between. */
  afterDate: boolean;
}

function findClausesUnsafe(prepared: string, context: DueContext): TaskClause[] {
  if (prepared.trim() === '') return [];
  const dateSpans = findAllDue(prepared, context).flatMap((date) => date.spans);
  const reader = new ClauseReader(prepared, maskFillers(prepared), dateSpans);

  const sentences = sentenceRanges(prepared, dateSpans);
  const raw: Array<Span & { sentence: number }> = [];
  sentences.forEach((sentence, index) => {
    for (const piece of reader.cutSentence(sentence)) raw.push({ ...piece, sentence: index });
  });

  const pieces = mergeDateOnlyPieces(raw, reader).slice(0, MAX_TASK_CLAUSES);

  return pieces
    .map((piece, index) => {
      const first = index === 0 || pieces[index - 1]!.sentence !== piece.sentence;
      return {
        text: tidyFreeText(prepared.slice(piece.start, piece.end).replace(TRAILING_JOINT, '')),
        start: piece.start,
        end: piece.end,
        sentence: piece.sentence,
        question: sentences[piece.sentence]?.question ?? false,
        kind: readClauseStart(reader.withoutDates(piece), { sentenceStart: first }),
        dates: datesIn(prepared, piece, context),
      };
    })
    .filter((clause) => stripLeadIn(clause.text) !== '');
}

/**
 * A clause's dates, read in the clause alone: chrono-node joins a day and a later time ("Friday, call
 * Acme at 3pm"), and across clauses that join would be wrong ("tomorrow morning …, and pick up the kids at three").
 */
function datesIn(prepared: string, piece: Span, context: DueContext): SlotMatch<string>[] {
  return findAllDue(prepared.slice(piece.start, piece.end), context).map((date) => ({
    value: date.value,
    spans: date.spans.map((span) => ({ start: span.start + piece.start, end: span.end + piece.start })),
  }));
}

class ClauseReader {
  constructor(
    private readonly text: string,
    /** `text` with fillers and asides blanked out, for finding joints ("and then, you know, pick up …"). */
    private readonly masked: string,
    private readonly dateSpans: readonly Span[],
  ) {}

  /** The clauses of one sentence, left to right. */
  cutSentence(sentence: Span): Span[] {
    const cuts = this.candidateCuts(sentence);
    const pieces: Span[] = [];
    let pieceStart = sentence.start;
    for (const [index, cut] of cuts.entries()) {
      if (cut.at <= pieceStart) continue;
      const nextCut = cuts.slice(index + 1).find((other) => other.at > cut.resume)?.at ?? sentence.end;
      if (!this.shouldCut({ start: pieceStart, end: cut.at }, cut, { start: cut.resume, end: nextCut }, sentence)) continue;
      pieces.push({ start: pieceStart, end: cut.at });
      pieceStart = cut.resume;
    }
    pieces.push({ start: pieceStart, end: sentence.end });
    return pieces;
  }

  private candidateCuts(sentence: Span): Cut[] {
    const body = this.masked.slice(sentence.start, sentence.end);
    const cuts: Cut[] = [];
    for (const joint of body.matchAll(JOINT)) {
      const at = sentence.start + joint.index;
      if (this.insideDate(at)) continue;
      cuts.push({ at, resume: at + joint[0].length, comma: !/\b(?:and|also|then|plus)\b/iu.test(joint[0]), afterDate: false });
    }
    for (const span of this.dateSpans) {
      if (span.end <= sentence.start || span.end >= sentence.end) continue;
      const gap = /^\s+/.exec(this.text.slice(span.end, sentence.end));
      if (!gap || cuts.some((cut) => cut.at <= span.end + gap[0].length && cut.resume >= span.end)) continue;
      cuts.push({ at: span.end, resume: span.end + gap[0].length, comma: false, afterDate: true });
    }
    return cuts.sort((a, b) => a.at - b.at);
  }

  private shouldCut(left: Span, cut: Cut, right: Span, sentence: Span): boolean {
    // How the rest starts is all that matters; 200 characters keep a long sentence linear.
    const rest = this.withoutDates({ start: cut.resume, end: Math.min(sentence.end, cut.resume + 200) });
    const kind = readClauseStart(rest, { sentenceStart: false });
    const leftWords = this.coreWords(left);
    if (leftWords === 0) return false;
    const rightWords = this.coreWords(right);
    const startsRequest =
      kind === 'reminder' || kind === 'obligation' || kind === 'assignee' || kind === 'request' || (kind === 'task-verb' && rightWords >= 2);
    if (startsRequest && leftWords >= 2) return true;
    if (cut.comma || cut.afterDate) return false;
    // "call John tomorrow and Jane on Friday": each side has its own date.
    const datedLeft = this.dateSpans.some((span) => span.start >= left.start && span.end <= left.end);
    const datedRight = this.dateSpans.some((span) => span.start >= right.start && span.end <= right.end);
    return datedLeft && datedRight && rightWords >= 1;
  }

  /** Words of the task text in a piece: without its dates, assignee phrase, request words and fillers. */
  private coreWords(piece: Span): number {
    const text = this.withoutDates(piece);
    const assignee = findAssignee(text);
    const core = stripAround(removeFillers(assignee ? removeSpans(text, assignee.spans) : text), CREATE_PREFIXES, CREATE_SUFFIXES);
    return core === '' ? 0 : core.split(/\s+/u).length;
  }

  /** A piece's text with its date phrases blanked out (same length, so positions hold). */
  withoutDates(piece: Span): string {
    const slice = this.text.slice(piece.start, piece.end);
    const inside = this.dateSpans
      .filter((span) => span.end > piece.start && span.start < piece.end)
      .map((span) => ({ start: Math.max(0, span.start - piece.start), end: Math.min(slice.length, span.end - piece.start) }));
    if (inside.length === 0) return slice;
    const chars = slice.split('');
    for (const span of inside) for (let i = span.start; i < span.end; i++) chars[i] = ' ';
    return chars.join('');
  }

  /** Only a date (and fillers): "Tomorrow.", "at five". */
  isDateOnly(piece: Span): boolean {
    const hasDate = this.dateSpans.some((span) => span.start >= piece.start && span.end <= piece.end);
    return hasDate && stripLeadIn(this.withoutDates(piece)) === '';
  }

  hasDate(piece: Span): boolean {
    return this.dateSpans.some((span) => span.start >= piece.start && span.start < piece.end);
  }

  private insideDate(index: number): boolean {
    return this.dateSpans.some((span) => index > span.start && index < span.end);
  }
}

/**
 * "Call John. Tomorrow at five." and "Tomorrow. Call John and email Sam.": speech-to-text put a full
 * stop inside a request. A sentence that is only a date joins the request before it when that one
 * starts a request and has no date yet, and otherwise the sentence after it (whose clauses then share
 * it as a date said first).
 */
function mergeDateOnlyPieces(pieces: Array<Span & { sentence: number }>, reader: ClauseReader): Array<Span & { sentence: number }> {
  const out: Array<Span & { sentence: number }> = [];
  let carried: Span | undefined;
  for (const [index, piece] of pieces.entries()) {
    const alone = pieces.filter((other) => other.sentence === piece.sentence).length === 1;
    if (alone && reader.isDateOnly(piece)) {
      const previous = out[out.length - 1];
      const previousStarts = previous && readClauseStart(reader.withoutDates(previous), { sentenceStart: true }) !== 'none';
      if (previous && previousStarts && !reader.hasDate(previous) && !carried) {
        previous.end = piece.end;
        continue;
      }
      if (index < pieces.length - 1) {
        carried = carried ? { start: carried.start, end: piece.end } : { start: piece.start, end: piece.end };
        continue;
      }
    }
    if (carried) {
      out.push({ ...piece, start: carried.start });
      carried = undefined;
    } else {
      out.push({ ...piece });
    }
  }
  return out;
}

function wholeText(prepared: string): TaskClause {
  return { text: tidyFreeText(prepared), start: 0, end: prepared.length, sentence: 0, question: false, kind: 'none', dates: [] };
}
