import type { Slots } from '../../intents/index.js';
import type { Task, TaskRepo } from '../../store/index.js';
import { recordFromSlot, type PeopleDirectory } from '../resolve/index.js';
import type { Prepared, ToolContext } from '../tool-action.js';
import { taskSource } from './task-source.js';

/** What the actions on one task need to find it: the tasks, the people named in descriptions, who may see whose. */
export interface FindTaskDeps {
  tasks: TaskRepo;
  people: PeopleDirectory;
  /** Whether the actor's role may see other people's tasks (tools/policy.ts `maySeeOthersTasks`); default yes. */
  seesOthers?: (ctx: ToolContext) => boolean;
}

/**
 * The open task an action is about, from its `title` slot read as a description ("12", "#12",
 * "bob's task about calling acme", "my latest task", "the one from yesterday"): the tool's question
 * when none is named, a numbered question when several match (answered with "2" or a word), a
 * refusal saying what exists when none does. For `prepare()` of the actions on one task.
 */
export async function taskFromSlots(
  deps: FindTaskDeps,
  slots: Slots,
  ctx: ToolContext,
  ask: { question: string; verb: string },
): Promise<{ task: Task } | Exclude<Prepared<never>, { ok: true }>> {
  const found = await recordFromSlot(
    taskSource(deps.tasks),
    description(slots, ctx),
    'title',
    ctx,
    { people: deps.people, ...(deps.seesOthers ? { seesOthers: deps.seesOthers(ctx) } : {}) },
    ask,
  );
  return 'record' in found ? { task: found.record } : found;
}

/**
 * The description to resolve: the title slot, with the assignee an understander read apart
 * (Claude gives "calling acme" and "Bob") said back as "for Bob". An answer to a question is read
 * alone: the assignee belonged to the question's description.
 */
function description(slots: Slots, ctx: ToolContext): string | undefined {
  const { title, assignee } = slots;
  if (!title || !assignee || ctx.choices?.length) return title;
  if (SELF.test(assignee)) return /\bmy\b/i.test(title) ? title : `my ${title}`;
  return title.toLowerCase().includes(assignee.toLowerCase()) ? title : `${title} for ${assignee}`;
}

const SELF = /^(?:me|myself|i|mine)$/i;
