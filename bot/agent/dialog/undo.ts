import type { AgentStateValue, ExecutionPlan } from '../agent-state.js';

const UNDO = /^\s*undo\s*[.!]*\s*$/i;

/** "undo": takes back the tasks a voice note (or one message) just created, for their creator, for a while. */
export function isUndo(state: AgentStateValue): boolean {
  return !state.command && UNDO.test(state.turn.text);
}

/** The undo to run, or undefined when there is nothing this person may undo now. */
export function undoPlan(state: AgentStateValue): ExecutionPlan | undefined {
  const { turn, undoable } = state;
  if (!undoable || undoable.by !== turn.person.id || turn.now >= undoable.until) return undefined;
  return {
    action: 'task.undo',
    params: { taskIds: undoable.taskIds, requesterId: turn.person.id },
    idempotencyKey: `message:${turn.inboundId}:task.undo`,
  };
}
