import type { Slots } from '../../intents/index.js';
import type { Person, Task, TaskRepo } from '../../store/index.js';
import type { Prepared } from '../tool-action.js';

export type FoundTask = { task: Task } | { question: string } | { refusal: string };

const NUMBER = /^(?:(?:task|todo|item)\s*)?(?:number\s*|no\.?\s*)?#?\s*(\d{1,7})$/i;

/**
 * Resolves what a person said ("12", "#12", "task 12", "the Acme proposal") to one open task:
 * by number, else by title words among their own tasks first, then everyone's.
 */
export async function findTask(tasks: TaskRepo, reference: string, actor: Person, verb: string): Promise<FoundTask> {
  const text = reference.trim();
  const byNumber = NUMBER.exec(text);
  if (byNumber) {
    const task = await tasks.findByNumber(Number(byNumber[1]));
    if (!task || task.status !== 'open') return { refusal: `There is no open task #${byNumber[1]}. Say "list my tasks" to see them.` };
    return { task };
  }
  const matches = (await tasks.searchOpen(actor.id, text)).length ? await tasks.searchOpen(actor.id, text) : await tasks.searchOpen(undefined, text);
  if (matches.length === 1) return { task: matches[0]! };
  if (matches.length === 0) return { refusal: `I can't find an open task matching "${text}". Say "list my tasks" to see them.` };
  const options = matches.slice(0, 5).map((t) => `#${t.number} ${t.title}`).join('; ');
  return { question: `Several open tasks match "${text}": ${options}. Which number do you want to ${verb}?` };
}

/**
 * The task an action is about, from its `title` slot: asks which one when none is named or several
 * match, refuses when none does. For `prepare()` of the actions on one task.
 */
export async function taskFromSlots(
  tasks: TaskRepo,
  slots: Slots,
  actor: Person,
  ask: { question: string; verb: string },
): Promise<{ task: Task } | Exclude<Prepared<never>, { ok: true }>> {
  if (!slots.title) return { ok: false, question: ask.question, slot: 'title' };
  const found = await findTask(tasks, slots.title, actor, ask.verb);
  if ('question' in found) return { ok: false, question: found.question, slot: 'title' };
  if ('refusal' in found) return { ok: false, refusal: found.refusal };
  return found;
}
