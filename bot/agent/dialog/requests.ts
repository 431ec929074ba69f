import { startDialog, type LiveDialog } from '../../../flows/index.js';
import { intentDefinition, type IntentId, type Slots } from '../../../intents/index.js';
import type { ToolAction, ToolContext } from '../../../tools/index.js';
import type { ExecutionPlan, TurnInput } from '../agent-state.js';
import * as say from '../wording.js';
import type { ConfirmationGate } from './confirmation-gate.js';
import type { DialogStepDeps } from './dialog-deps.js';
import type { FollowUpFill, FollowUps } from './follow-up.js';
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

  /**
   * `followUps` (this conversation's subjects): a request that leaves out its app or environment takes
   * them from the person's last one, and says so before anything else (bot/agent/dialog/follow-up.ts).
   */
  async start(live: LiveDialog | undefined, original: NewRequest, turn: TurnInput, replies: Replies, followUps?: FollowUps): Promise<LiveDialog> {
    if (live?.underWay) {
      if (live.state === 'awaitingConfirmation') await this.gate.supersede(live, turn, replies);
      else replies.push(say.droppedUnfinished(live.context.action));
    }
    const { request, carried } = this.followUp(original, turn, followUps);
    if (carried && request.slots.app) replies.push(say.carriedOver(request.slots.app, carried));
    const required = request.intent ? intentDefinition(request.intent).required : [];
    const allowed = request.intent ? new Set(Object.keys(intentDefinition(request.intent).slots.shape)) : new Set<string>();
    const slots = Object.fromEntries(Object.entries(request.slots).filter(([k]) => allowed.has(k))) as Slots;
    await this.deps.audit.append({
      actor: turn.person.id,
      action: 'action.requested',
      conversationId: turn.conversationId,
      data: { action: request.action.name, intent: request.intent, slots, ...(carried ? { carriedOver: carried } : {}) },
    });
    const next = startDialog(request.action.name, this.deps.policy);
    next.send({ type: 'REQUEST', action: request.action.name, intent: request.intent, requesterId: turn.person.id, slots, required });
    return next;
  }

  /** The request with what it took from the person's last one (another intent when the follow-up means one), if anything. */
  private followUp(request: NewRequest, turn: TurnInput, followUps: FollowUps | undefined): { request: NewRequest; carried?: FollowUpFill['carried'] } {
    if (!followUps || !request.intent) return { request };
    const mayBecome = (intent: IntentId) => this.deps.policy.mayStart(turn.person.role, intent) && Boolean(this.deps.actions.forIntent(intent));
    const fill = followUps.fill(request.intent, request.slots, turn.text, mayBecome);
    if (!fill.carried.app && !fill.carried.env) return { request };
    const action = fill.intent === request.intent ? request.action : this.deps.actions.forIntent(fill.intent)!;
    return { request: { action, intent: fill.intent, slots: fill.slots }, carried: fill.carried };
  }

  /** Moves the dialog as far as it can go this turn: ask, prepare, issue a confirmation, or plan the execution. */
  async advance(live: LiveDialog, turn: TurnInput, replies: Replies, args?: string[], followUps?: FollowUps): Promise<ExecutionPlan | null> {
    if (live.state === 'collecting') {
      replies.push(questionFor(live, this.deps.apps, turn.text));
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
      ...(live.context.choices ? { choices: live.context.choices } : {}),
    };
    const prepared = await action.prepare(live.context.slots, context);
    if (!prepared.ok) {
      if ('question' in prepared) {
        live.send({ type: 'NEED', slot: prepared.slot, question: prepared.question, ...(prepared.choices ? { choices: prepared.choices } : {}) });
        replies.push(prepared.question);
      } else {
        live.send({ type: 'REFUSE', reason: prepared.refusal });
        replies.push(prepared.refusal);
      }
      return null;
    }
    const params = prepared.params;
    // What this request is about, from the tool's own reading (the catalog name, not the alias typed).
    followUps?.note(action.name, params);
    const risk = action.risk(params);
    if (risk === 'safe') {
      live.send({ type: 'READY_SAFE' });
      return { action: action.name, params, idempotencyKey: `message:${turn.inboundId}:${action.name}` };
    }
    await this.gate.issue(live, action, params, risk, turn, replies);
    return null;
  }
}
