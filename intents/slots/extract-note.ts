import { findContactParty, maskContactDetails } from './extract-contact.js';
import { prepareText, safely } from './prepare-text.js';
import { isCompanySuffix, readName } from './proper-names.js';
import { tidyFreeText } from './slot-match.js';

/** What a "add a note" message says, and about whom. */
export interface NoteDetails {
  note?: string;
  /** The contact the note is for. */
  name?: string;
  /** Set instead of `name` when the note is for an organisation ("the Acme deal", "Acme Ltd"). */
  company?: string;
}

/** "add a note to", "note for", "log a comment on", "add to Jane's record". */
const TARGET_CUE =
  /\b(?:(?:add|log|save|record|write|put|leave|make|attach)\s+(?:a\s+|an\s+|this\s+|the\s+following\s+)?(?:(?:quick\s+)?(?:note|comment|memo)s?\s+)?|(?:note|comment|memo)s?\s+|(?:log|logged|had)\s+(?:a\s+|the\s+)?(?:call|meeting|chat)\s+)(?:to|for|on|about|against|re:?|under|in|with)\s+(?:the\s+)?/iu;
/** Where the target ends and the note begins. */
const SEPARATOR = /\s*(?:[:\-–—]|,|\bthat\b|\bsaying\b|\bsays\b|\bsaid\b)\s*/iu;
/** "note" followed by a name, no preposition ("note Acme Ltd - …"); the name is checked in code. */
const NOTE_THEN_NAME = /\b(?:note|comment|memo)\s+/iu;
/** A note with no target: "note: …". */
const BARE_NOTE = /\b(?:note|comment|memo)\s*[:\-–—]\s*/iu;
const COMMAND_PREFIX =
  /^(?:(?:hey|hi|ok|okay|please|pls)\b[\s,]*)*(?:(?:add|log|save|record|write|put|leave|make)\s+(?:a\s+|an\s+)?(?:(?:quick\s+)?(?:note|comment|memo)s?)?\s*|(?:note|comment|memo)s?\s*)[:\-–—]?\s*/iu;
/** Record words after a target: "Jane's record", "the Acme account". */
const RECORD_WORDS = /\s*(?:'s)?\s+(?:record|contact|file|card|profile|notes?|account|deal|company|page)\s*$/iu;

/**
 * The note and its contact: "add a note to Jane Doe: wants a quote by Friday" → name "Jane Doe",
 * note "wants a quote by Friday". A target with a legal suffix, or followed by "deal"/"account",
 * is a company.
 *
 * @example
 * extractNote('note for the Acme deal - they need the SOW signed first')
 * // → { company: 'Acme', note: 'they need the SOW signed first' }
 */
export function extractNote(text: string): NoteDetails {
  return safely(() => extractNoteUnsafe(prepareText(text)), {});
}

function extractNoteUnsafe(prepared: string): NoteDetails {
  const cue = TARGET_CUE.exec(prepared);
  const fromCue = cue ? noteForTarget(prepared.slice(cue.index + cue[0].length)) : undefined;
  if (fromCue) return fromCue;
  // "note Acme Ltd - asked for a discount": a capitalised name straight after "note".
  const noteWord = NOTE_THEN_NAME.exec(prepared);
  const after = noteWord ? prepared.slice(noteWord.index + noteWord[0].length) : '';
  const fromName = /^\p{Lu}/u.test(after) ? noteForTarget(after, true) : undefined;
  if (fromName) return fromName;

  // "hans müller called, wants …": a name, typed in lower case or not, reporting something.
  const reporter = readName(maskContactDetails(prepared), 0, { loose: true, maxWords: 3 });
  if (reporter && /^\s+(?:called|rang|phoned|emailed|said|says|asked|told|wants|mentioned|confirmed|replied)\b/iu.test(prepared.slice(reporter.end))) {
    const note = tidyFreeText(prepared.slice(reporter.end).replace(/[,\s]*(?:add|log|save|put)\s+(?:that|this|it)\s+(?:as\s+a\s+note|to\s+(?:the|their|his|her)\s+\w+)[\s.!]*$/iu, ''));
    return note ? { name: reporter.value, note } : { name: reporter.value };
  }

  const bare = BARE_NOTE.exec(prepared);
  const body = bare ? prepared.slice(bare.index + bare[0].length) : prepared.replace(COMMAND_PREFIX, '');
  const details: NoteDetails = {};
  const note = tidyFreeText(body);
  if (note) details.note = note;
  // The contact is the first person named in the note ("note: Jane Doe called about pricing").
  const party = findContactParty(bare ? body : prepared);
  if (party.name) details.name = party.name;
  else if (party.company) details.company = party.company;
  return details;
}

/**
 * Who a note is for, and any words after the name that belong to the note instead ("for Priya
 * Sharma called, wants a demo": the name ends before "called").
 */
/** The note when `text` starts with whom it is for ("Jane Doe: wants a quote"). */
function noteForTarget(text: string, separatorRequired = false): NoteDetails | undefined {
  const separator = SEPARATOR.exec(text);
  if (separator && separator.index > 0 && separator.index <= 80) {
    const target = text.slice(0, separator.index);
    const { details, rest } = classifyTarget(target);
    const note = tidyFreeText(`${rest} ${text.slice(separator.index + (rest ? 0 : separator[0].length))}`);
    if (note) details.note = note;
    // An e-mail address or phone number as the target: extractSlots reads it into its own slot.
    if (details.name || details.company || /@|\+?\d[\d\s-]{6,}/.test(target)) return details;
  }
  if (separatorRequired) return undefined;
  // No separator: the target is the name that follows, the note is what comes after it.
  const run = readName(maskContactDetails(text), 0, { company: true, maxWords: 5 });
  if (!run) return undefined;
  const { details } = classifyTarget(text.slice(0, run.end), run.isCompany);
  const note = tidyFreeText(text.slice(run.end).replace(/^\s*(?:'s)?\s*(?:record|contact|file|account|deal)\b/iu, ''));
  if (note) details.note = note;
  return details;
}

function classifyTarget(raw: string, knownCompany = false): { details: NoteDetails; rest: string } {
  const forCompany = /\b(?:account|deal|company)\s*$/iu.test(raw);
  const target = tidyFreeText(raw.replace(RECORD_WORDS, '').replace(/^the\s+/iu, '').replace(/^(?:notes?|file|record)\s+(?:for|on|of|about)\s+/iu, ''));
  if (!target || target.length > 80 || /@/.test(target)) return { details: {}, rest: '' };
  // "Greg at Summit Roofing": a person, and the company that tells two people of the same name apart.
  const atCompany = /^(.+?)\s+(?:at|from)\s+(.+)$/iu.exec(target);
  if (atCompany && !forCompany) {
    const lower = target === target.toLowerCase();
    const person = readName(atCompany[1]!, 0, { allowLowerCase: lower, maxWords: 4 });
    const company = readName(atCompany[2]!, 0, { company: true, allowLowerCase: lower, maxWords: 6 });
    if (person && company && person.end === atCompany[1]!.length && !person.isCompany) {
      return { details: { name: person.value, company: company.value }, rest: atCompany[2]!.slice(company.end).trim() };
    }
  }
  const words = target.split(/\s+/);
  if (knownCompany || forCompany || isCompanySuffix(words[words.length - 1]!)) return { details: { company: target }, rest: '' };
  // Capitalised names first; an all-lower-case target ("note for jane doe: …") is taken whole.
  const lowerCase = target === target.toLowerCase();
  const name = readName(target, 0, { allowLowerCase: lowerCase, maxWords: 4 });
  if (!name) return { details: {}, rest: '' };
  return { details: { name: name.value }, rest: target.slice(name.end).trim() };
}
