import { toSwitchboardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { restoreDialog, type ConfirmPolicy } from '../../flows/index.js';
import type { ReplyDraft } from '../../channels/index.js';
import { UNDO_WINDOW_MS, type ToolExecutor } from '../../tools/index.js';
import type { AgentStateUpdate, AgentStateValue, ExecutionPlan, Undoable } from './agent-state.js';
import * as say from './wording.js';

/**
 * The act step: runs the planned execution through the executor (which checks the confirmation
 * again, on its own) and tells the dialog machine how it went.
 */
export class ActStep {
  constructor(private readonly deps: { executor: ToolExecutor; logger: Logger; policy: ConfirmPolicy }) {}

  async run(state: AgentStateValue): Promise<AgentStateUpdate> {
    const replies: ReplyDraft[] = [...state.replies];
    let undoable = state.undoable;
    for (const direct of state.directActions) {
      const outcome = await this.execute(state, direct);
      if (!outcome.ok) {
        replies.push({ text: say.didNotWork(outcome.reason) });
        continue;
      }
      if (direct.action === 'task.create.many') {
        const taskIds = (outcome.data?.taskIds as string[] | undefined) ?? [];
        undoable = { taskIds, until: state.turn.now + UNDO_WINDOW_MS, by: state.turn.person.id } satisfies Undoable;
        replies.push({ text: outcome.summary, buttons: [{ id: 'undo', label: 'Undo' }] });
      } else {
        replies.push({ text: outcome.summary });
      }
    }
    const plan = state.execution;
    if (!plan) return { replies, undoable, directActions: [] };
    const result = await this.execute(state, plan);
    const event: { type: 'EXECUTED'; summary: string } | { type: 'FAILED'; reason: string } = result.ok
      ? { type: 'EXECUTED', summary: result.summary }
      : { type: 'FAILED', reason: result.reason };
    // The same restore as the dialog step's (same guards); the machine says whether the dialog ended.
    const live = restoreDialog(state.activeDialog, this.deps.policy);
    live?.send(event);
    replies.push({ text: event.type === 'EXECUTED' ? event.summary : say.didNotWork(event.reason) });
    return { replies, execution: null, directActions: [], activeDialog: live?.persist() ?? null, undoable };
  }

  private async execute(
    state: AgentStateValue,
    plan: ExecutionPlan,
  ): Promise<{ ok: true; summary: string; data?: Record<string, unknown> } | { ok: false; reason: string }> {
    const turn = state.turn;
    try {
      const result = await this.deps.executor.execute({
        action: plan.action,
        params: plan.params,
        actor: turn.person,
        conversationId: turn.conversationId,
        timezone: turn.timezone,
        idempotencyKey: plan.idempotencyKey,
        ...(plan.confirmationId ? { confirmationId: plan.confirmationId } : {}),
      });
      return { ok: true, summary: result.summary, ...(result.data ? { data: result.data } : {}) };
    } catch (error) {
      const normalised = toSwitchboardError(error);
      this.deps.logger.warn({ err: normalised, action: plan.action }, 'tool action failed');
      return { ok: false, reason: normalised.message };
    }
  }
}
