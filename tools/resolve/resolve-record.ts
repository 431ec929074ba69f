import type { SlotName } from '../../intents/index.js';
import type { Person } from '../../store/index.js';
import type { Choice, Prepared, ToolContext } from '../tool-action.js';
import { matchesQuery } from './match-record.js';
import { pickByPosition } from './pick-choice.js';
import { readDescription, type Description } from './read-description.js';
import type { PeopleDirectory, RecordQuery, RecordSource } from './record-source.js';

/** How many options one question lists: more than this and the person is asked for more words. */
export const MAX_CHOICES = 5;
/** Candidates fetched per query (each query is bounded; the resolver never loads a whole table). */
const CANDIDATES = 20;
/** Records named when nothing matches ("Bob has 3 open tasks: …"). */
const EXISTING = 5;

export interface ResolveContext {
  actor: Person;
  now: number;
  timezone: string;
  people: PeopleDirectory;
  /** The options of the question this description answers ("2", "the one for Sarah"), if it answers one. */
  choices?: readonly Choice[];
  /**
   * Whether the actor may see other people's records. False: a description naming someone else
   * still resolves (the action decides what may be done), but nothing of theirs is listed back.
   */
  seesOthers?: boolean;
}

/** One record (act on it), a question listing the candidates, or a sentence saying what exists. */
export type Resolution<R> = { record: R } | { question: string; choices: Choice[] } | { none: string };

/**
 * Finds the one record a description means ("bob's task about calling acme", "task 12", "my latest
 * task", "sarah from cyberdyne"): one match → it; several → one numbered question whose answer (a
 * number or a word only one option has) comes back with `context.choices`; none → what exists.
 * A description naming nobody looks among the actor's own records first, then everyone's.
 *
 * @example
 * const found = await resolveRecord(taskSource, "bob's task about calling acme", { actor, now, timezone, people }, 'delete');
 * if ('record' in found) … else if ('question' in found) ask(found.question, found.choices) else say(found.none);
 */
export async function resolveRecord<R>(source: RecordSource<R>, description: string, context: ResolveContext, verb: string): Promise<Resolution<R>> {
  const read = readDescription(description, { nounWords: source.nounWords, supports: source.supports, now: context.now, timezone: context.timezone });
  const query = await toQuery(source, read, context);
  if (context.choices?.length) {
    const answered = await answerToQuestion(source, description, query, context, verb);
    if (answered) return answered;
  }
  const searched = await search(source, query, context);
  if (read.newest && searched.length) return { record: newestOf(source, searched) };
  if (searched.length === 1) return { record: searched[0]! };
  if (searched.length > 1) return ask(source, searched, query, context, verb);
  return { none: await whatExists(source, query, context) };
}

/**
 * The record a tool's slot names, for `prepare`: the slot's question when it is empty, the
 * resolver's question (with its choices) when several match, a refusal saying what exists when none does.
 */
export async function recordFromSlot<R>(
  source: RecordSource<R>,
  value: string | undefined,
  slot: SlotName,
  ctx: ToolContext,
  deps: { people: PeopleDirectory; seesOthers?: boolean },
  ask: { question: string; verb: string },
): Promise<{ record: R } | Exclude<Prepared<never>, { ok: true }>> {
  if (!value?.trim()) return { ok: false, question: ask.question, slot };
  const found = await resolveRecord(
    source,
    value,
    {
      actor: ctx.actor,
      now: ctx.now,
      timezone: ctx.timezone,
      people: deps.people,
      ...(ctx.choices ? { choices: ctx.choices } : {}),
      ...(deps.seesOthers === undefined ? {} : { seesOthers: deps.seesOthers }),
    },
    ask.verb,
  );
  if ('question' in found) return { ok: false, question: found.question, slot, choices: found.choices };
  if ('none' in found) return { ok: false, refusal: found.none };
  return found;
}

// --- reading ---

interface Query extends RecordQuery {
  /** How to say the owner ("Bob", "you"), when the description named one. */
  ownerName?: string;
  /** What was asked for, in words, for the replies: `about "calling acme"`. */
  said: string;
}

/** Names become people (a name that is nobody's is read as words of the text); the rest is copied. */
async function toQuery<R>(source: RecordSource<R>, read: Description, context: ResolveContext): Promise<Query> {
  const words = [...read.words];
  const ownerIds: string[] = [];
  let ownerName: string | undefined;
  if (source.supports.owner && read.self) {
    ownerIds.push(context.actor.id);
    ownerName = 'you';
  }
  for (const name of read.ownerNames) {
    const people = source.supports.owner ? await context.people.findByName(name) : [];
    if (!people.length) {
      words.push(...name.toLowerCase().split(/\s+/));
      continue;
    }
    ownerIds.push(...people.map((p) => p.id).filter((id) => !ownerIds.includes(id)));
    ownerName ??= people.length === 1 ? (people[0]!.displayName ?? name) : capitalise(name);
  }
  const query: Query = { words, ownerIds, newestFirst: read.newest, limit: CANDIDATES, said: '' };
  if (read.number !== undefined) query.number = read.number;
  if (read.organisation) query.organisation = read.organisation;
  if (read.createdFrom !== undefined) query.createdFrom = read.createdFrom;
  if (read.createdBefore !== undefined) query.createdBefore = read.createdBefore;
  if (ownerName) query.ownerName = ownerName;
  query.said = describe(source, query);
  return query;
}

// --- finding ---

/** The records that fit: the actor's own first when the description names nobody, then everyone's. */
async function search<R>(source: RecordSource<R>, query: Query, context: ResolveContext): Promise<R[]> {
  const fits = async (q: RecordQuery) => (await source.find(q, context.actor)).filter((r) => matchesQuery(source.facts(r), q));
  if (query.ownerIds.length || query.number !== undefined || !source.supports.owner) return fits(query);
  const own = await fits({ ...query, ownerIds: [context.actor.id] });
  if (own.length) return own;
  // Nothing but "the latest": that means the actor's own latest, not anyone's.
  if (!query.words.length && !query.organisation && query.createdFrom === undefined) return own;
  return fits(query);
}

/** The answer to a question that listed options: one by position, or the options this answer fits. */
async function answerToQuestion<R>(
  source: RecordSource<R>,
  answer: string,
  query: Query,
  context: ResolveContext,
  verb: string,
): Promise<Resolution<R> | undefined> {
  const choices = context.choices!;
  const position = pickByPosition(answer, choices.length);
  if (position !== undefined) {
    const record = await source.get(choices[position]!.value);
    return record ? { record } : { none: `${choices[position]!.label} is no longer there to ${verb}.` };
  }
  const options = (await Promise.all(choices.slice(0, MAX_CHOICES).map((c) => source.get(c.value)))).filter((r): r is Awaited<R> & R => r !== undefined);
  const fit = options.filter((r) => matchesQuery(source.facts(r), query));
  if (fit.length === 1) return { record: fit[0]! };
  // Fits several (all, even): the same question, down to those.
  if (fit.length > 1) return ask(source, fit, query, context, verb);
  // Fits none of them: a description of its own ("no, the invoice one").
  return undefined;
}

function newestOf<R>(source: RecordSource<R>, records: R[]): R {
  return records.reduce((a, b) => (source.facts(b).createdAt > source.facts(a).createdAt ? b : a));
}

// --- saying ---

function ask<R>(source: RecordSource<R>, records: R[], query: Query, context: ResolveContext, verb: string): Resolution<R> {
  const shown = records.slice(0, MAX_CHOICES);
  const choices = shown.map((r) => ({ label: source.label(r, context), value: source.facts(r).key }));
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
  const more = records.length > shown.length ? `\n…and more: add a word or two to narrow it down.` : '';
  const matching = query.said ? ` ${query.said}` : '';
  return {
    question: `${shown.length === records.length ? capitalise(numberWord(records.length)) : 'Several'} ${source.plural}${matching} — which one should I ${verb}?\n${lines}${more}\nAnswer with its number (1–${shown.length}) or a word only it has.`,
    choices,
  };
}

/** Nothing matched: what does exist, for the owner named (if the actor may see theirs) or the actor. */
async function whatExists<R>(source: RecordSource<R>, query: Query, context: ResolveContext): Promise<string> {
  const missing = query.number !== undefined ? `There is no ${source.noun} ${query.said}.` : `I can't find ${withArticle(source.noun)}${query.said ? ` ${query.said}` : ''}.`;
  if (!source.supports.owner) return missing;
  const othersOnly = query.ownerIds.length > 0 && !query.ownerIds.includes(context.actor.id);
  if (othersOnly && context.seesOthers === false) return missing;
  const ownerIds = othersOnly ? query.ownerIds : [context.actor.id];
  const who = othersOnly ? (query.ownerName ?? 'They') : 'You';
  const existing = await source.find({ words: [], ownerIds, newestFirst: true, limit: EXISTING + 1 }, context.actor);
  if (!existing.length) return `${missing} ${who} ${who === 'You' ? 'have' : 'has'} no ${source.plural}.`;
  const shown = existing.slice(0, EXISTING).map((r) => `• ${source.label(r, context)}`);
  const count = existing.length > EXISTING ? `more than ${EXISTING}` : String(existing.length);
  const newest = existing.length > EXISTING ? ', the newest' : '';
  return `${missing} ${who} ${who === 'You' ? 'have' : 'has'} ${count} ${existing.length === 1 ? source.noun : source.plural}${newest}:\n${shown.join('\n')}`;
}

/** "of Bob's about \"calling acme\" at cyberdyne from then": the parts the description had. */
function describe<R>(source: RecordSource<R>, query: RecordQuery & { ownerName?: string }): string {
  const parts: string[] = [];
  if (query.number !== undefined) parts.push(`#${query.number}`);
  if (query.ownerName) parts.push(query.ownerName === 'you' ? 'of yours' : `of ${query.ownerName}'s`);
  if (query.words.length) parts.push(`${source.supports.owner ? 'about' : 'matching'} "${query.words.join(' ')}"`);
  if (query.organisation) parts.push(`at ${capitalise(query.organisation)}`);
  if (query.createdFrom !== undefined) parts.push('from then');
  return parts.join(' ');
}

/** "a task", "an open task". */
function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function capitalise(text: string): string {
  return text.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, letter: string) => `${space}${letter.toUpperCase()}`);
}

function numberWord(n: number): string {
  return ['no', 'one', 'two', 'three', 'four', 'five'][n] ?? String(n);
}
