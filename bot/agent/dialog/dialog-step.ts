import { restoreDialog, type LiveDialog } from '../../../flows/index.js';
import type { AgentStateUpdate, AgentStateValue, ExecutionPlan } from '../agent-state.js';
import * as say from '../wording.js';
import { AdminCommands } from './admin-commands.js';
import { ConfirmationGate } from './confirmation-gate.js';
import type { DialogStepDeps } from './dialog-deps.js';
import { DirectActions } from './direct-actions.js';
import { FollowUps } from './follow-up.js';
import { CONVERSATIONAL } from './message-meaning.js';
import { Replies } from './replies.js';
import { Requests } from './requests.js';
import { SlotFilling } from './slot-filling.js';
import { SmallTalk } from './small-talk.js';
import { Strangers } from './strangers.js';
import { isUndo, undoPlan } from './undo.js';

/**
 * The dialog step of the agent graph: routes the message to what it means for the conversation
 * (an undo, an admin command, a stranger's first words, a message while a confirmation is pending or
 * a slot is being asked, several tasks at once, small talk, a new request). Each concern has its own
 * file in this folder; the confirmation gate's decision is the dialog machine's (flows/). It never
 * executes a tool: that is the act step's job.
 *
 * The wait for a phrase is the machine's `awaitingConfirmation` state in the checkpoint, not a LangGraph
 * `interrupt()`: a resumed interrupt re-runs its node from the top, so the I/O before it (the
 * confirmation record, the audit) would have to be made replay-safe, and every message of the
 * conversation (not only replies to the prompt) would have to be routed to `Command({ resume })` first.
 */
export class DialogStep {
  private readonly strangers: Strangers;
  private readonly smallTalk: SmallTalk;
  private readonly gate: ConfirmationGate;
  private readonly slotFilling: SlotFilling;
  private readonly requests: Requests;
  private readonly commands: AdminCommands;
  private readonly directActions: DirectActions;

  constructor(private readonly deps: DialogStepDeps) {
    this.strangers = new Strangers(deps);
    this.smallTalk = new SmallTalk(deps, this.strangers);
    this.gate = new ConfirmationGate(deps);
    this.slotFilling = new SlotFilling(deps, this.smallTalk);
    this.requests = new Requests(deps, this.gate);
    this.commands = new AdminCommands(deps, this.requests);
    this.directActions = new DirectActions(deps);
  }

  /** The action that stops a run (tools/build cancel-run), when the bot has one. */
  private runCancel() {
    try {
      return this.deps.actions.get('run.cancel');
    } catch {
      return undefined;
    }
  }

  async run(state: AgentStateValue): Promise<AgentStateUpdate> {
    const turn = state.turn;
    const replies = new Replies(state.replies);
    let live: LiveDialog | undefined = restoreDialog(state.activeDialog, this.deps.policy);
    let execution: ExecutionPlan | null = null;
    const directActions: ExecutionPlan[] = [];
    // What this person's actions here were about, for follow-ups ("deploy it to staging"): see follow-up.ts.
    const followUps = new FollowUps(state.followUps, turn);
    const finish = (): AgentStateUpdate => {
      followUps.noteExecution(execution);
      return { replies: replies.drafts, execution, directActions, activeDialog: live?.persist() ?? null, ...followUps.update() };
    };
    // Nothing happened to the dialog: the checkpoint keeps it as it was.
    const unchanged = (): AgentStateUpdate => ({ replies: replies.drafts, execution: null, directActions, activeDialog: state.activeDialog });

    // --- undo ---
    if (isUndo(state)) {
      const plan = undoPlan(state);
      if (!plan) {
        replies.push(say.NOTHING_TO_UNDO);
        return unchanged();
      }
      directActions.push(plan);
      return { ...finish(), undoable: null };
    }

    // --- admin commands ---
    if (state.command) return this.commands.run(state.command, live, state, replies);

    // --- strangers ---
    const understanding = state.understanding!;
    if (this.strangers.mustPair(turn, understanding.intent)) {
      replies.push(await this.strangers.pairingReply(turn));
      return unchanged();
    }

    // --- a dialog under way: the gate, or slot filling ---
    if (live?.state === 'awaitingConfirmation') {
      const outcome = await this.gate.reply(live, understanding, turn, replies);
      if (!outcome.newRequest) {
        execution = outcome.execution ?? null;
        return finish();
      }
    } else if (live?.state === 'collecting') {
      const outcome = await this.slotFilling.reply(live, understanding, turn, replies, followUps);
      if (outcome === 'answered') execution = await this.requests.advance(live, turn, replies, undefined, followUps);
      if (outcome !== 'new_request') return finish();
    }

    // --- several tasks at once ---
    const { plans, rest: request } = await this.directActions.take(turn, understanding);
    directActions.push(...plans);
    if (!request) return finish();

    // --- "cancel the build": nothing pending here, so a running build, deploy or rollback is what to stop ---
    const cancelRun = request.intent === 'cancel' && !live?.underWay ? this.runCancel() : undefined;
    if (cancelRun) {
      live = await this.requests.start(live, { action: cancelRun, intent: null, slots: request.slots }, turn, replies);
      execution = await this.requests.advance(live, turn, replies);
      return finish();
    }

    // --- small talk ---
    if (CONVERSATIONAL.has(request.intent)) {
      replies.push(await this.smallTalk.reply(request.intent, turn, live));
      return finish();
    }

    // --- a new request (replacing the dialog under way, if any) ---
    if (!this.deps.policy.mayStart(turn.person.role, request.intent)) {
      replies.push(say.notAllowed(turn.person.role));
      return finish();
    }
    const action = this.deps.actions.forIntent(request.intent);
    if (!action) {
      replies.push(say.notConnected(request, turn.person.role));
      return finish();
    }
    live = await this.requests.start(live, { action, intent: request.intent, slots: request.slots }, turn, replies, followUps);
    execution = await this.requests.advance(live, turn, replies, undefined, followUps);
    return finish();
  }
}
