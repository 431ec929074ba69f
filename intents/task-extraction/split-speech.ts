import {
  extractDue,
  findAssignee,
  findTaskClauses,
  leadingTaskVerb,
  SELF_ASSIGNEE,
  stripLeadIn,
  tidyTaskTitle,
  type DueContext,
  type Span,
  type TaskClause,
} from '../slots/index.js';
import { classifyClause } from './classify-clause.js';
import { ContactIndex } from './match-contacts.js';
import { matchPerson } from './match-person.js';
import { knownContacts, knownPeople, TaskDraftSchema, type KnownPerson, type TaskDraft, type TaskExtractionContext } from './task-extractor.js';

/** A message, sorted: the tasks it asks for, other requests for the bot, and what needs no action. */
export interface SpeechParts {
  /** One draft per task, in the order they were said. */
  tasks: TaskDraft[];
  /**
   * Other requests, as said (greetings and fillers stripped): "deploy the landing page to staging",
   * "what's due tomorrow?", and task requests with nothing to do in them ("remind me tomorrow"). The
   * caller sends each through normal understanding, where the dialog asks for what is missing.
   */
  other: string[];
  /** Chatter that asks for nothing: "okay so the meeting went well". */
  ignored: string[];
}

/** Titles are cut to this many characters (the task store's limit, `TitleSchema`). */
const MAX_TITLE_CHARS = 200;

/**
 * Sorts a message into tasks, other requests and chatter, with a due date, an assignee and contacts
 * for each task. Rule-based, no network, never throws.
 *
 * - Clauses: `findTaskClauses` (sentences; "and"/"then"/"also"/"plus"/commas before a new request).
 * - Due: the clause's own date phrase (`findAllDue`: the sender's zone, 09:00 for a date without a
 *   time, "at five" is 17:00). A date said at the start of a sentence ("tomorrow I need to call John
 *   and email Sam", "remind me on Friday to …") or marked as shared ("…, both by Friday") applies to
 *   every task of that sentence without a date of its own. A date at the end of a clause is that
 *   clause's only.
 * - Assignee: "ask Priya to …", "tell Sam to …", "Maria needs to …", "assign it to Priya", "@priya",
 *   matched against `context.people` (`matchPerson`). A known person is assigned and the phrase leaves
 *   the title; an unknown or ambiguous name is not assigned and the phrase stays in the title, which
 *   then starts with a capital ("Ask Bob to review the PR"). "remind me" assigns nobody: the caller
 *   assigns the task to the sender. "ask Priya to call John and email Sam": both are Priya's.
 * - Contacts: `ContactIndex` on the title.
 *
 * @example
 * splitSpeech('okay so the meeting went well. Remind me to call John tomorrow at five and deploy the landing page to staging', ctx)
 * // → { tasks: [{ title: 'call John', due: '2026-11-19T17:00:00+00:00', sourceText: 'Remind me to call John tomorrow at five' }],
 * //     other: ['deploy the landing page to staging'], ignored: ['okay so the meeting went well'] }
 */
export function splitSpeech(text: string, context: TaskExtractionContext): SpeechParts {
  try {
    return splitSpeechUnsafe(text, context);
  } catch {
    // A rule that throws on some input must not cost the user their message: nothing is extracted,
    // and the caller's normal understanding still reads the text.
    return { tasks: [], other: typeof text === 'string' && text.trim() !== '' ? [text.trim().slice(0, 2_000)] : [], ignored: [] };
  }
}

// --- the reading ---

/** An assignee phrase of a task, carried over to the next task of the sentence when that one names nobody. */
interface AssigneeReading {
  person?: KnownPerson;
  /** The phrase as said ("ask Bob to"), when it stays in the title. */
  keptPhrase?: string;
}

interface SentenceState {
  sharedDue?: string;
  /** The task before, in this sentence. */
  previous?: { clause: TaskClause; title: string; assignee?: AssigneeReading };
}

function splitSpeechUnsafe(text: string, context: TaskExtractionContext): SpeechParts {
  const parts: SpeechParts = { tasks: [], other: [], ignored: [] };
  if (typeof text !== 'string' || text.trim() === '') return parts;
  const due: DueContext = { now: context.now, timezone: context.timezone };
  const people = knownPeople(context);
  // Built on the first task only: chatter and other requests need no contact directory.
  let index: ContactIndex | undefined;
  const contacts = (): ContactIndex => (index ??= new ContactIndex(knownContacts(context)));
  const { text: prepared, clauses } = findTaskClauses(text, due);

  const sentences = new Map<number, TaskClause[]>();
  for (const clause of clauses) sentences.set(clause.sentence, [...(sentences.get(clause.sentence) ?? []), clause]);

  for (const sentence of sentences.values()) {
    const state: SentenceState = {};
    const shared = leadingDue(sentence[0]!, prepared, due) ?? distributiveDue(sentence, prepared);
    if (shared) state.sharedDue = shared.value;
    for (const clause of sentence) {
      const kind = classifyClause(clause, due);
      if (kind === 'chatter') {
        parts.ignored.push(clause.text);
        continue;
      }
      if (kind === 'request') {
        parts.other.push(stripLeadIn(clause.text));
        continue;
      }
      const draft = readTask(clause, prepared, state, { people, contacts, marker: shared?.marker });
      if (draft) parts.tasks.push(draft);
      else parts.other.push(stripLeadIn(clause.text));
    }
  }
  return parts;
}

function readTask(
  clause: TaskClause,
  prepared: string,
  state: SentenceState,
  known: { people: readonly KnownPerson[]; contacts: () => ContactIndex; marker: Span | undefined },
): TaskDraft | undefined {
  const slice = prepared.slice(clause.start, clause.end);
  const local = (span: Span): Span => ({ start: span.start - clause.start, end: span.end - clause.start });
  const remove: Span[] = [];

  // --- due ---
  const own = clause.dates[0];
  const due = own?.value ?? state.sharedDue;
  if (own) remove.push(...own.spans.map(local));
  if (known.marker && known.marker.start >= clause.start && known.marker.end <= clause.end) remove.push(local(known.marker));

  // --- assignee ---
  let assignee: AssigneeReading | undefined;
  const said = findAssignee(slice);
  if (said && said.value === SELF_ASSIGNEE) {
    remove.push(...said.spans);
  } else if (said) {
    const match = matchPerson(said.value, known.people);
    if (match.kind === 'known') {
      assignee = { person: match.person };
      remove.push(...said.spans);
    } else {
      assignee = { keptPhrase: phraseOf(slice, said.spans) };
    }
  } else if (clause.kind === 'task-verb' && state.previous?.clause.kind === 'assignee') {
    // "ask Priya to call John and email Sam": the second task is Priya's too.
    assignee = state.previous.assignee;
  }

  // --- title ---
  let title = tidyTaskTitle(slice, remove);
  if (title === undefined) return undefined;
  const inheritedPhrase = !said && assignee?.keptPhrase;
  if (inheritedPhrase) title = `${inheritedPhrase} ${title}`;
  // "call John tomorrow and Jane on Friday": the second task borrows the first one's verb.
  const borrowedVerb = clause.kind === 'none' && state.previous ? leadingTaskVerb(state.previous.title) : undefined;
  if (borrowedVerb && !leadingTaskVerb(title)) title = `${borrowedVerb.toLowerCase()} ${title}`;
  if (assignee?.keptPhrase) title = capitalise(title);
  title = cutTitle(title);

  const contactIds = known.contacts().find(title);
  const draft = TaskDraftSchema.safeParse({
    title,
    ...(due ? { due } : {}),
    ...(assignee?.person ? { assignee: { personId: assignee.person.id, name: assignee.person.name } } : {}),
    ...(contactIds.length > 0 ? { contactIds } : {}),
    sourceText: clause.text.slice(0, 2_000),
  });
  if (!draft.success) return undefined;
  state.previous = { clause, title, ...(assignee ? { assignee } : {}) };
  return draft.data;
}

// --- dates said once for several tasks ---

/**
 * A date said before anything else in a sentence: "tomorrow I need to …", "remind me on Friday to …",
 * "Tomorrow. Call John and email Sam". Only its own words count ("tomorrow", not a time said later in
 * the first clause).
 */
function leadingDue(first: TaskClause, prepared: string, context: DueContext): { value: string; marker?: Span } | undefined {
  const date = first.dates[0];
  const span = date?.spans[0];
  if (!date || !span) return undefined;
  if (tidyTaskTitle(prepared.slice(first.start, span.start), []) !== undefined) return undefined;
  return { value: extractDue(prepared.slice(span.start, span.end), context) ?? date.value };
}

/** "call John and email Sam, both by Friday", "… each by end of day", "… all of them on Monday". */
const DISTRIBUTIVE = /(?:^|[\s,])((?:both|each|all\s+of\s+(?:them|these|those)|both\s+of\s+(?:them|these|those))|,\s*all)\s*,?\s*$/iu;

function distributiveDue(sentence: readonly TaskClause[], prepared: string): { value: string; marker: Span } | undefined {
  for (const clause of sentence) {
    for (const date of clause.dates) {
      const span = date.spans[0]!;
      const before = prepared.slice(Math.max(clause.start, span.start - 40), span.start);
      const marker = DISTRIBUTIVE.exec(before);
      if (!marker) continue;
      const start = span.start - before.length + marker.index + marker[0].indexOf(marker[1]!);
      return { value: date.value, marker: { start, end: span.start } };
    }
  }
  return undefined;
}

// --- helpers ---

function phraseOf(text: string, spans: readonly Span[]): string {
  const span = spans[0];
  return span ? text.slice(span.start, span.end).trim().replace(/^(?:,?\s*and\s+)/iu, '') : '';
}

function capitalise(text: string): string {
  return text.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase());
}

function cutTitle(title: string): string {
  if (title.length <= MAX_TITLE_CHARS) return title;
  const cut = title.slice(0, MAX_TITLE_CHARS - 1);
  const atWord = cut.replace(/\s+\S*$/u, '');
  return `${(atWord.length > MAX_TITLE_CHARS / 2 ? atWord : cut).replace(/[\uD800-\uDBFF]$/u, '')}…`;
}
