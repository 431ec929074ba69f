import { z } from 'zod';
import { DueSchema, TitleSchema } from '../catalog/index.js';
import type { UnderstandContext } from '../understander.js';

/**
 * The task-extraction port: free speech ("remind me to call John tomorrow at five and send Acme the
 * proposal by Friday") in, one draft per task out. Implementations: `OfflineTaskExtractor` (rules, no
 * network; the default), `ClaudeTaskExtractor` (when an Anthropic key is configured) and
 * `FallbackTaskExtractor` (Claude first, the offline result when Claude fails).
 *
 * A draft is advice, like an understanding: the caller shows the drafts and creates the tasks.
 */
export interface TaskExtractor {
  /** Never rejects for odd text; only `ClaudeTaskExtractor` rejects, with a typed error, when Claude fails. */
  extract(text: string, context: TaskExtractionContext): Promise<TaskDraft[]>;
  /**
   * A cheap upper bound, asked before the caller gathers the people and contacts `extract` needs:
   * false when `text` certainly holds at most one task, whoever it names. Left out (or true) when the
   * extractor cannot tell without extracting (a model may read one clause as two tasks).
   */
  mayHoldSeveral?(text: string, context: Pick<TaskExtractionContext, 'now' | 'timezone'>): boolean;
}

// --- what the extractor is told ---

/** A team member tasks may be assigned to. */
export const KnownPersonSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
});
export type KnownPerson = z.infer<typeof KnownPersonSchema>;

/** A CRM contact a task may link to. */
export const KnownContactSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().min(1).max(200).optional(),
});
export type KnownContact = z.infer<typeof KnownContactSchema>;

export type TaskExtractionContext = UnderstandContext & {
  /** Known team members: the only people a task is assigned to. */
  people: readonly KnownPerson[];
  /** CRM contacts; may be empty (or missing) while there is no CRM. */
  contacts?: readonly KnownContact[];
};

/**
 * People and contacts beyond these many are not read: a directory that large needs search, and the
 * cap keeps every extraction's work bounded.
 */
export const MAX_KNOWN_PEOPLE = 2_000;
export const MAX_KNOWN_CONTACTS = 10_000;

/** The people of a context that are well-formed (a store row with an empty name is skipped, not fatal). */
export function knownPeople(context: Pick<TaskExtractionContext, 'people'>): KnownPerson[] {
  return validEntries(context.people, KnownPersonSchema, MAX_KNOWN_PEOPLE);
}

export function knownContacts(context: Pick<TaskExtractionContext, 'contacts'>): KnownContact[] {
  return validEntries(context.contacts, KnownContactSchema, MAX_KNOWN_CONTACTS);
}

function validEntries<T>(entries: unknown, schema: z.ZodType<T>, max: number): T[] {
  if (!Array.isArray(entries)) return [];
  const valid: T[] = [];
  for (const entry of entries.slice(0, max)) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) valid.push(parsed.data);
  }
  return valid;
}

// --- what it gives back ---

export const TaskDraftSchema = z
  .object({
    /** What to do, without the request words and the date: "call John". */
    title: TitleSchema,
    /** ISO 8601 with the offset of `context.timezone` on that date: "2026-11-19T17:00:00+00:00". */
    due: DueSchema.optional(),
    /** Only a known team member. No assignee: the caller assigns the task to the sender. */
    assignee: z.object({ personId: z.string().min(1), name: z.string().min(1) }).strict().optional(),
    /** Known CRM contacts the task is about. */
    contactIds: z.array(z.string().min(1)).min(1).optional(),
    /** The part of the message the task came from, as said. */
    sourceText: z.string().min(1).max(2_000),
  })
  .strict();
export type TaskDraft = z.infer<typeof TaskDraftSchema>;
