import type { Person } from '../../store/index.js';

/**
 * What a description ("bob's task about calling acme", "sarah from cyberdyne") asks for, read once by
 * the resolver (`read-description.ts`) and handed to a `RecordSource` to query.
 */
export interface RecordQuery {
  /** Content words of the description, lower case, as typed ("calling", "acme"): the source matches them by stem, all of them. */
  words: string[];
  /** People the records belong to (assignee, owner: the source says which). Empty: anyone's. */
  ownerIds: string[];
  /** The number typed for the record ("task 12", "#12"), when the source has numbers. */
  number?: number;
  /** The organisation ("from cyberdyne", "at acme"), lower case, when the source has one; otherwise its words are in `words`. */
  organisation?: string;
  /** Created at or after this instant (ms): "the one from yesterday", "this week". */
  createdFrom?: number;
  /** Created before this instant (ms). */
  createdBefore?: number;
  /** Newest first ("my latest task", "the last one"); otherwise the source's usual order. */
  newestFirst: boolean;
  /** At most this many records: every query is bounded. */
  limit: number;
}

/** What the resolver needs to know of one record, to match it against a description in memory and to name it. */
export interface RecordFacts {
  /** Stable and unique (the primary key): the value of a choice in a question. */
  key: string;
  /** The words a description may use for it: a task's title, a contact's name, a deal's title. */
  text: string;
  /** Whom it belongs to (same meaning as `RecordQuery.ownerIds`). */
  ownerIds: string[];
  /** The owner's name, for "Bob has 3 open tasks". */
  ownerName?: string | null;
  organisation?: string | null;
  number?: number;
  createdAt: number;
}

/**
 * A kind of record people find by description. A tool implements it over its repository (tasks now;
 * contacts and deals the same way) and hands it to `resolveRecord` in `prepare`.
 *
 * @example
 * const tasks: RecordSource<Task> = {
 *   noun: 'task', plural: 'tasks', nounWords: ['task', 'todo', 'reminder'],
 *   supports: { owner: true, number: true, organisation: false },
 *   find: (query, actor) => repo.findOpen(query),   // one indexed, LIMITed query
 *   get: (key) => repo.findOpenById(key),
 *   facts: (t) => ({ key: t.id, text: t.title, ownerIds: [t.assigneeId ?? t.createdBy], ownerName: t.assigneeName, number: t.number, createdAt: t.createdAt }),
 *   label: (t) => `#${t.number} ${t.title}`,
 * };
 */
export interface RecordSource<R> {
  /** What one record is called in a sentence: "task", "contact", "deal". */
  readonly noun: string;
  readonly plural: string;
  /** Words that name the kind of record, never part of its text: "task", "todo", "deal", "contact". */
  readonly nounWords: readonly string[];
  /** What the source can filter on; a description's organisation is read as words when it cannot. */
  readonly supports: { owner: boolean; number: boolean; organisation: boolean };
  /**
   * Records that may match `query`: ONE bounded, indexed query (never every record), at most
   * `query.limit`. Matching every word is the source's job (by stem, e.g. PostgreSQL's `english`
   * text search); the resolver checks again in memory with the same rules it uses for answers.
   */
  find(query: RecordQuery, actor: Person): Promise<R[]>;
  /** One record by its key, if it may still be acted on (the answer to a question picks it). */
  get(key: string): Promise<R | undefined>;
  facts(record: R): RecordFacts;
  /** One short line naming it in a question or a list: `#12 Call Acme — Bob, due Fri 5 Dec`. */
  label(record: R, context: { timezone: string; now: number }): string;
}

/** Finds staff by name for "bob's", "for bob", "assigned to bob" (`PeopleRepo` is one). */
export interface PeopleDirectory {
  /** People whose name is `name` or starts with it as a first name; bounded (a few). */
  findByName(name: string): Promise<Pick<Person, 'id' | 'displayName'>[]>;
}
