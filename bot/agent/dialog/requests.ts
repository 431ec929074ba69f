import { startDialog, type LiveDialog } from '../../../flows/index.js';
import { intentDefinition, type IntentId, type Slots } from '../../../intents/index.js';
import type { ToolAction, ToolContext } from '../../../tools/index.js';
import type { ExecutionPlan, TurnInput } from '../agent-state.js';
import * as say from '../wording.js';
import type { ConfirmationGate } from './confirmation-gate.js';
import type { DialogStepDeps } from './dialog-deps.js';
import type { Replies } from './replies.js';
import { questionFor } from './slot-filling.js';

export interface NewRequest {
  action: ToolAction;
  intent: IntentId | null;
  slots: Slots;
}

/** Starting a request (a fresh machine, replacing the one under way) and moving it as far as it goes this turn. */
export class Requests {
  constructor(
    private readonly deps: Pick<DialogStepDeps, 'actions' | 'audit' | 'policy' | 'apps'>,
    private readonly gate: ConfirmationGate,
  ) {}

  async start(live: LiveDialog | undefined, request: NewRequest, turn: TurnInput, replies: Replies): Promise<LiveDialog> {
    if (live?.underWay) {
      if (live.state === 'awaitingConfirmation') await this.gate.supersede(live, turn, replies);
      else replies.push(say.droppedUnfinished(live.context.action));
    }
    const required = request.intent ? intentDefinition(request.intent).required : [];
    const allowed = request.intent ? new Set(Object.keys(intentDefinition(request.intent).slots.shape)) : new Set<string>();
    const slots = Object.fromEntries(Object.entries(request.slots).filter(([k]) => allowed.has(k))) as Slots;
    await this.deps.audit.append({
      actor: turn.person.id,
      action: 'action.requested',
      conversationId: turn.conversationId,
      data: { action: request.action.name, intent: request.intent, slots },
    });
    const next = startDialog(request.action.name, this.deps.policy);
    next.send({ type: 'REQUEST', action: request.action.name, intent: request.intent, requesterId: turn.person.id, slots, required });
    return next;
  }

  /** Moves the dialog as far as it can go this turn: ask, prepare, issue a confirmation, or plan the execution. */
  async advance(live: LiveDialog, turn: TurnInput, replies: Replies, args?: string[]): Promise<ExecutionPlan | null> {
    if (live.state === 'collecting') {
      replies.push(questionFor(live, this.deps.apps));
      return null;
    }
    if (live.state !== 'preparing') return null;
    const action = this.deps.actions.get(live.context.action!);
    const context: ToolContext = {
      actor: turn.person,
      conversationId: turn.conversationId,
      now: turn.now,
      timezone: turn.timezone,
      text: turn.text,
      ...(args ? { args } : {}),
    };
    const prepared = await action.prepare(live.context.slots, context);
    if (!prepared.ok) {
      if ('question' in prepared) {
        live.send({ type: 'NEED', slot: prepared.slot, question: prepared.question });
        replies.push(prepared.question);
      } else {
        live.send({ type: 'REFUSE', reason: prepared.refusal });
        replies.push(prepared.refusal);
      }
      return null;
    }
    const params = prepared.params;
    const risk = action.risk(params);
    if (risk === 'safe') {
      live.send({ type: 'READY_SAFE' });
      return { action: action.name, params, idempotencyKey: `message:${turn.inboundId}:${action.name}` };
    }
    await this.gate.issue(live, action, params, risk, turn, replies);
    return null;
  }
}
