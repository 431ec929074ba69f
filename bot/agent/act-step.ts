import { createActor, type SnapshotFrom } from 'xstate';
import { toSwitchboardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { dialogFor, type ActionDialog } from '../../flows/index.js';
import type { ToolExecutor } from '../../tools/index.js';
import type { AgentStateUpdate, AgentStateValue } from './agent-state.js';

/**
 * The act step: runs the planned execution through the executor (which checks the confirmation
 * again, on its own) and tells the dialog machine how it went.
 */
export class ActStep {
  constructor(private readonly deps: { executor: ToolExecutor; logger: Logger }) {}

  async run(state: AgentStateValue): Promise<AgentStateUpdate> {
    const plan = state.execution;
    if (!plan) return {};
    const turn = state.turn;
    let event: { type: 'EXECUTED'; summary: string } | { type: 'FAILED'; reason: string };
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
      event = { type: 'EXECUTED', summary: result.summary };
    } catch (error) {
      const normalised = toSwitchboardError(error);
      this.deps.logger.warn({ err: normalised, action: plan.action }, 'tool action failed');
      event = { type: 'FAILED', reason: normalised.message };
    }
    let dialog = state.activeDialog;
    if (dialog) {
      const actor = createActor(dialogFor(dialog.action), { snapshot: dialog.snapshot as SnapshotFrom<ActionDialog> }).start();
      actor.send(event);
      dialog = ['done', 'failed'].includes(String(actor.getSnapshot().value)) ? null : { action: dialog.action, snapshot: actor.getPersistedSnapshot() };
      actor.stop();
    }
    const reply = event.type === 'EXECUTED' ? event.summary : `That didn't work: ${event.reason}`;
    return { replies: [...state.replies, { text: reply }], execution: null, activeDialog: dialog };
  }
}
