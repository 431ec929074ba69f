import { splitSpeech, type TaskExtractionContext, type Understanding } from '../../../intents/index.js';
import type { ExecutionPlan, TurnInput } from '../agent-state.js';
import type { DialogStepDeps } from './dialog-deps.js';

/**
 * Several tasks in one message, or a voice note with tasks in it: created at once as one safe
 * `task.create.many` direct action (with an undo), outside any dialog. What else the message asks
 * for is understood as a request of its own.
 */
export class DirectActions {
  constructor(private readonly deps: Pick<DialogStepDeps, 'policy' | 'people' | 'taskExtractor' | 'understander' | 'apps'>) {}

  /**
   * Takes the tasks out of the message when it holds several (or is a voice note holding any).
   * `rest` is what is left to handle as a request: the message's own understanding when no tasks
   * were taken, the rest of it understood afresh, or null when nothing is left.
   */
  async take(turn: TurnInput, understanding: Understanding): Promise<{ plans: ExecutionPlan[]; rest: Understanding | null }> {
    const applies = (Boolean(turn.voice) || understanding.intent === 'task.create') && this.deps.policy.mayStart(turn.person.role, 'task.create');
    const tasks = applies ? await this.manyTasks(turn) : undefined;
    if (!tasks) return { plans: [], rest: understanding };
    if (!tasks.rest) return { plans: [tasks.plan], rest: null };
    const rest = await this.deps.understander.understand(tasks.rest, { now: turn.now, timezone: turn.timezone, apps: this.deps.apps });
    return { plans: [tasks.plan], rest: rest.intent === 'task.create' || rest.intent === 'out_of_scope' ? null : rest };
  }

  /** The tasks of a message when it holds several (or is a voice note holding any); undefined otherwise. */
  private async manyTasks(turn: TurnInput): Promise<{ plan: ExecutionPlan; rest: string } | undefined> {
    // A typed request for one task is the dialog's: no need to look for staff named in it (a query per turn).
    if (!turn.voice && this.deps.taskExtractor.mayHoldSeveral?.(turn.text, turn) === false) return undefined;
    const staff = (await this.deps.people.staffNamedIn(turn.text)).filter((p) => p.displayName);
    const context: TaskExtractionContext = {
      now: turn.now,
      timezone: turn.timezone,
      apps: this.deps.apps,
      people: staff.map((p) => ({ id: p.id, name: p.displayName! })),
    };
    const drafts = await this.deps.taskExtractor.extract(turn.text, context);
    if (drafts.length === 0 || (drafts.length === 1 && !turn.voice)) return undefined;
    const plan: ExecutionPlan = {
      action: 'task.create.many',
      params: {
        tasks: drafts.map((draft) => ({
          title: draft.title,
          dueAt: draft.due ? Date.parse(draft.due) : null,
          assigneeId: draft.assignee?.personId ?? turn.person.id,
          assigneeName: draft.assignee?.name ?? turn.person.displayName,
        })),
      },
      idempotencyKey: `message:${turn.inboundId}:task.create.many`,
    };
    return { plan, rest: splitSpeech(turn.text, context).other.join('. ') };
  }
}
