import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { PhraseParts } from '../flows/confirmation-phrase.js';
import type { IntentId, SlotName, Slots } from '../intents/index.js';
import { canonicalJson, type Person } from '../store/index.js';

/** How dangerous one execution is, computed from its parameters (see "The confirmation gate"). */
export type Risk = 'safe' | 'risky' | 'critical';

/** What an action knows about who asks and where, when it prepares and when it runs. */
export interface ToolContext {
  actor: Person;
  conversationId: string;
  /** Now, from the clock port. */
  now: number;
  /** The actor's time zone, for dates in replies. */
  timezone: string;
  /** The message text that led here, for filters the slots do not carry ("overdue", "this week"). */
  text: string;
  /** The arguments of the slash command that started this action (`/approve K7PX2M9Q admin`), if one did. */
  args?: string[];
  /** The numbered options of the tool's last question, when this message answers it ("2", "the one for Sarah"). */
  choices?: Choice[];
}

/** One numbered option of a question: the line shown, and the value that names it for certain (a record's key). */
export interface Choice {
  label: string;
  value: string;
}

/** The outcome of turning understood slots into concrete parameters. */
export type Prepared<P> =
  | { ok: true; params: P }
  /**
   * Something is missing or ambiguous: ask `question`, and read the answer as `slot`. A question that
   * lists options gives them as `choices`: the dialog keeps them and hands them back in `ToolContext`.
   */
  | { ok: false; question: string; slot: SlotName; choices?: Choice[] }
  /** The request cannot go ahead (nothing matches, not allowed): say why. */
  | { ok: false; refusal: string };

export interface ToolResult {
  /** One or more sentences for the person. */
  summary: string;
  data?: Record<string, unknown>;
}

/**
 * One tool action. `prepare` may read (resolve "the invoice task" to task 12) but never writes;
 * `execute` is the only place that acts, and the executor calls it only after every check.
 *
 * @example
 * export const deleteTask: ToolAction<DeleteTaskParams> = {
 *   name: 'task.delete', intent: 'task.delete', input: DeleteTaskParamsSchema,
 *   prepare: async (slots, ctx) => …, risk: (p) => (p.createdBy === p.requesterId ? 'safe' : 'risky'),
 *   plan: (p) => `Delete task ${p.number} "${p.title}", created by ${p.createdByName}.`,
 *   phrase: (p) => ({ verb: 'delete', target: 'task', qualifier: String(p.number) }),
 *   execute: async (p, ctx) => …,
 * };
 */
export interface ToolAction<P extends Record<string, unknown> = Record<string, unknown>> {
  /** Stable name, e.g. `task.delete`; confirmation rules and audit records use it. */
  readonly name: string;
  /** The intent that starts it, when one does (commands such as /approve have none). */
  readonly intent?: IntentId;
  readonly input: z.ZodType<P>;
  prepare(slots: Slots, context: ToolContext): Promise<Prepared<P>>;
  risk(params: P): Risk;
  /** The exact restatement shown before confirmation: what will happen, to what. */
  plan(params: P): string;
  /** The words of the confirmation phrase. */
  phrase(params: P): PhraseParts;
  execute(params: P, context: ExecutionContext): Promise<ToolResult>;
}

export interface ExecutionContext extends Omit<ToolContext, 'text'> {
  /** Unique per intended effect: a retried execution with the same key must not act twice. */
  idempotencyKey: string;
}

/** The hash stored with a confirmation: what was confirmed is exactly what runs. */
export function hashParams(action: string, params: Record<string, unknown>): string {
  return createHash('sha256').update(`${action}\n${canonicalJson(params)}`).digest('hex');
}
