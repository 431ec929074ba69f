import { createActor, type SnapshotFrom } from 'xstate';
import type { ReplyDraft } from '../../channels/index.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import {
  buildPhrase,
  dialogFor,
  looksLikeConfirmation,
  matchesPhrase,
  mentionsPhrase,
  oneTimeCode,
  type ActionDialog,
  type DialogContext,
  type DialogEvent,
} from '../../flows/index.js';
import { extractSlots } from '../../intents/slots/index.js';
import {
  intentDefinition,
  splitSpeech,
  type IntentId,
  type SlotName,
  type Slots,
  type TaskExtractionContext,
  type TaskExtractor,
  type Understander,
  type Understanding,
} from '../../intents/index.js';
import type { AuditLog, ConfirmationRepo, PeopleRepo } from '../../store/index.js';
import { hashParams, type RolePolicy, type ToolAction, type ToolContext, type ToolRegistry } from '../../tools/index.js';
import type { PairingService } from '../pairing.js';
import type { AgentStateUpdate, AgentStateValue, ExecutionPlan, PersistedDialog, TurnInput } from './agent-state.js';
import * as say from './wording.js';

export interface DialogStepDeps {
  actions: ToolRegistry;
  policy: RolePolicy;
  confirmations: ConfirmationRepo;
  audit: AuditLog;
  pairing: PairingService;
  clock: Clock;
  logger: Logger;
  apps: readonly string[];
  /** How long a confirmation phrase stays valid. */
  confirmTtlMs: number;
  /** Several tasks in one breath ("call John tomorrow and send Acme the proposal by Friday"). */
  taskExtractor: TaskExtractor;
  /** For what a voice note says besides its tasks. */
  understander: Understander;
  people: PeopleRepo;
}

/** Intents a stranger may use; anything else gets a pairing code. */
const STRANGER_INTENTS = new Set<IntentId>(['greeting', 'help', 'cancel', 'out_of_scope']);
const CONVERSATIONAL = new Set<IntentId>(['greeting', 'help', 'cancel', 'out_of_scope']);
/** Below this, an utterance during a dialog is not taken as a new request. */
const NEW_REQUEST_CONFIDENCE = 0.6;
/** Above this, even an answer-shaped message during slot filling is a new request. */
const STRONG_NEW_REQUEST_CONFIDENCE = 0.85;
const CANCEL_WORDS = /^\s*(cancel|never\s*mind|nevermind|nvm|stop|abort|forget\s+(it|that)|no,?\s+cancel|cancel\s+(it|that))\s*[.!]*\s*$/i;
const FREE_TEXT_SLOTS = new Set<SlotName>(['title', 'name', 'company', 'note', 'query', 'assignee']);
const TERMINAL_STATES = new Set(['idle', 'done', 'failed', 'cancelled', 'expired']);
const UNDO = /^\s*undo\s*[.!]*\s*$/i;

type Snapshot = SnapshotFrom<ActionDialog>;

/** A dialog machine restored for this turn, with the role policy provided as its `mayConfirm` guard. */
class LiveDialog {
  private readonly actor;

  constructor(
    readonly action: string,
    policy: RolePolicy,
    snapshot?: unknown,
  ) {
    const machine = dialogFor(action).provide({
      guards: {
        mayConfirm: ({ context, event }) =>
          event.type === 'REPLY' &&
          context.confirmation !== null &&
          context.requesterId !== null &&
          policy.mayConfirm({
            action: context.action ?? action,
            risk: context.confirmation.risk,
            confirmer: { id: event.sender.id, role: event.sender.role as never },
            requesterId: context.requesterId,
          }),
      },
    });
    this.actor = createActor(machine, snapshot ? { snapshot: snapshot as Snapshot } : undefined);
    this.actor.start();
  }

  send(event: DialogEvent): void {
    this.actor.send(event);
  }

  get state(): string {
    return String(this.actor.getSnapshot().value);
  }

  get context(): DialogContext {
    return this.actor.getSnapshot().context;
  }

  persist(): PersistedDialog | null {
    if (TERMINAL_STATES.has(this.state)) return null;
    return { action: this.context.action ?? this.action, snapshot: this.actor.getPersistedSnapshot() };
  }
}

/**
 * The dialog step of the agent graph: decides what this message means for the conversation
 * (an answer, a correction, a confirmation attempt, a cancel, a new request), moves the dialog
 * machine, and does the I/O the machine asks for (the tool's read-only preparation, the durable
 * confirmation record, the audit trail). It never executes a tool: that is the act step's job.
 */
export class DialogStep {
  constructor(private readonly deps: DialogStepDeps) {}

  async run(state: AgentStateValue): Promise<AgentStateUpdate> {
    const turn = state.turn;
    const replies = new Replies(state.replies);
    let live = state.activeDialog ? new LiveDialog(state.activeDialog.action, this.deps.policy, state.activeDialog.snapshot) : undefined;
    if (live && TERMINAL_STATES.has(live.state)) live = undefined;
    let execution: ExecutionPlan | null = null;

    const directActions: ExecutionPlan[] = [];
    const finish = (): AgentStateUpdate => ({ replies: replies.drafts, execution, directActions, activeDialog: live?.persist() ?? null });

    if (!state.command && UNDO.test(turn.text)) {
      const undoable = state.undoable;
      if (undoable && undoable.by === turn.person.id && turn.now < undoable.until) {
        directActions.push({
          action: 'task.undo',
          params: { taskIds: undoable.taskIds, requesterId: turn.person.id },
          idempotencyKey: `message:${turn.inboundId}:task.undo`,
        });
        return { ...finish(), undoable: null };
      }
      replies.push('There is nothing to undo: "undo" takes back the tasks I created from a voice note, for 5 minutes.');
      return { replies: replies.drafts, execution: null, directActions, activeDialog: state.activeDialog };
    }

    if (state.command) {
      if (!['owner', 'admin'].includes(turn.person.role)) {
        replies.push(say.NOT_ALLOWED);
        return { replies: replies.drafts, execution: null, activeDialog: state.activeDialog };
      }
      live = await this.startRequest(live, { action: this.deps.actions.get(state.command.action), intent: null, slots: {} }, turn, replies);
      execution = await this.advance(live, turn, replies, state.command.args);
      return finish();
    }

    const understanding = state.understanding!;
    if (turn.person.role === 'unknown' && !STRANGER_INTENTS.has(understanding.intent)) {
      replies.push(await this.pairingReply(turn));
      return { replies: replies.drafts, execution: null, activeDialog: state.activeDialog };
    }

    if (live?.state === 'awaitingConfirmation') {
      const handled = await this.whileAwaiting(live, understanding, turn, replies);
      if (handled.execution) execution = handled.execution;
      if (!handled.newRequest) return finish();
    } else if (live?.state === 'collecting') {
      const handled = await this.whileCollecting(live, understanding, turn, replies);
      if (handled.execution !== undefined) execution = handled.execution;
      if (!handled.newRequest) return finish();
    }

    // Several tasks in one message, or a voice note with tasks in it: created at once, with an undo.
    let request = understanding;
    if ((turn.voice || understanding.intent === 'task.create') && this.deps.policy.mayStart(turn.person.role, 'task.create')) {
      const tasks = await this.manyTasks(turn);
      if (tasks) {
        directActions.push(tasks.plan);
        if (!tasks.rest) return finish();
        // What else the note asked for goes through normal understanding.
        request = await this.deps.understander.understand(tasks.rest, { now: turn.now, timezone: turn.timezone, apps: this.deps.apps });
        if (request.intent === 'task.create' || request.intent === 'out_of_scope') return finish();
      }
    }
    // A fresh request (or one that replaced the dialog under way).
    if (CONVERSATIONAL.has(request.intent)) {
      replies.push(await this.conversational(request.intent, turn, live));
      return finish();
    }
    if (!this.deps.policy.mayStart(turn.person.role, request.intent)) {
      replies.push(say.NOT_ALLOWED);
      return finish();
    }
    const action = this.deps.actions.forIntent(request.intent);
    if (!action) {
      replies.push(say.notConnected(request));
      return finish();
    }
    live = await this.startRequest(live, { action, intent: request.intent, slots: request.slots }, turn, replies);
    execution = await this.advance(live, turn, replies);
    return finish();
  }

  /** The tasks of a message when it holds several (or is a voice note holding any); undefined otherwise. */
  private async manyTasks(turn: TurnInput): Promise<{ plan: ExecutionPlan; rest: string } | undefined> {
    const staff = (await this.deps.people.list()).filter((p) => p.displayName && p.role !== 'unknown' && p.role !== 'client');
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


  // --- while a confirmation is pending ---

  private async whileAwaiting(
    live: LiveDialog,
    understanding: Understanding,
    turn: TurnInput,
    replies: Replies,
  ): Promise<{ newRequest: boolean; execution?: ExecutionPlan }> {
    const pending = live.context.confirmation!;
    const attempt = matchesPhrase(turn.text, pending.phrase) || looksLikeConfirmation(turn.text) || mentionsPhrase(turn.text, pending.phrase);
    if (!attempt && this.isCancel(understanding, turn.text)) {
      live.send({ type: 'CANCEL' });
      await this.closeConfirmation(pending.id, 'cancelled', 'cancelled by the user', turn);
      replies.push(`Cancelled: ${say.actionLabel(live.context.action)}. Nothing was changed.`);
      return { newRequest: false };
    }
    if (!attempt && this.isNewRequest(understanding, NEW_REQUEST_CONFIDENCE)) return { newRequest: true };

    live.send({
      type: 'REPLY',
      text: turn.text,
      now: turn.now,
      sender: { id: turn.person.id, role: turn.person.role },
      trusted: turn.untrusted === null,
    });
    const { context } = live;
    const audit = (action: string, data: Record<string, unknown>) =>
      this.deps.audit.append({ actor: turn.person.id, action, conversationId: turn.conversationId, data: { confirmationId: pending.id, ...data } });

    switch (live.state) {
      case 'confirming': {
        const record = await this.deps.confirmations.confirm(pending.id, turn.person.id, turn.inboundId);
        if (!record) {
          live.send({ type: 'LOST', reason: 'the confirmation had expired or was already used' });
          replies.push('That confirmation is no longer valid (it expired or was already used). Ask again if you still want it.');
          return { newRequest: false };
        }
        await audit('confirmation.confirmed', { by: turn.person.id, role: turn.person.role, action: record.action });
        live.send({ type: 'RECORDED' });
        // The stored parameters run, never a re-reading of later text.
        return { newRequest: false, execution: { action: record.action, params: record.params, confirmationId: record.id, idempotencyKey: `confirmation:${record.id}` } };
      }
      case 'expired':
        await this.closeConfirmation(pending.id, 'expired', 'the phrase came after it expired', turn);
        replies.push(`That confirmation expired, so I did not ${say.actionLabel(context.action)}. Ask again if you still want it.`);
        return { newRequest: false };
      case 'cancelled':
        await audit('confirmation.wrong', { by: turn.person.id, attempt: context.wrongAttempts + 1 });
        await this.closeConfirmation(pending.id, 'cancelled', 'three wrong attempts', turn);
        replies.push(`That phrase doesn't match either. After three wrong attempts I cancelled it: nothing was changed.`);
        return { newRequest: false };
    }
    switch (context.note) {
      case 'untrusted':
        await audit('confirmation.refused', { by: turn.person.id, reason: turn.untrusted });
        replies.push(say.untrustedConfirmation(turn.untrusted ?? 'voice', pending.phrase));
        break;
      case 'not_allowed': {
        await audit('confirmation.refused', { by: turn.person.id, role: turn.person.role, reason: 'not allowed to confirm' });
        replies.push(`Only ${this.confirmersText(context)} can confirm this.`);
        break;
      }
      case 'wrong_phrase': {
        const attempts = await this.deps.confirmations.recordWrongAttempt(pending.id);
        await audit('confirmation.wrong', { by: turn.person.id, attempt: attempts });
        const left = 3 - context.wrongAttempts;
        replies.push(`That doesn't match. Type exactly: ${pending.phrase} (${left} attempt${left === 1 ? '' : 's'} left, or say "cancel").`);
        break;
      }
      default:
        replies.push(`I'm waiting for the confirmation. To go ahead, type exactly: ${pending.phrase} — or say "cancel".`);
    }
    return { newRequest: false };
  }

  // --- while asking for a slot ---

  private async whileCollecting(
    live: LiveDialog,
    understanding: Understanding,
    turn: TurnInput,
    replies: Replies,
  ): Promise<{ newRequest: boolean; execution?: ExecutionPlan | null }> {
    if (this.isCancel(understanding, turn.text)) {
      live.send({ type: 'CANCEL' });
      await this.deps.audit.append({ actor: turn.person.id, action: 'action.cancelled', conversationId: turn.conversationId, data: { action: live.context.action } });
      replies.push(`Cancelled: ${say.actionLabel(live.context.action)}. Nothing was changed.`);
      return { newRequest: false };
    }
    const answers = this.answersFor(live.context, turn);
    const differentIntent = understanding.intent !== live.context.intent;
    if (differentIntent && this.isNewRequest(understanding, Object.keys(answers).length ? STRONG_NEW_REQUEST_CONFIDENCE : NEW_REQUEST_CONFIDENCE)) {
      return { newRequest: true };
    }
    if (Object.keys(answers).length === 0) {
      if (understanding.intent === 'help' || understanding.intent === 'greeting') replies.push(await this.conversational(understanding.intent, turn, live));
      replies.push(this.questionFor(live));
      return { newRequest: false };
    }
    live.send({ type: 'SLOTS', slots: answers });
    return { newRequest: false, execution: await this.advance(live, turn, replies) };
  }

  /** Slot values in this message for the dialog's intent; a free-text slot being asked takes the whole message. */
  private answersFor(context: DialogContext, turn: TurnInput): Slots {
    const intent = context.intent;
    const found: Slots = intent ? extractSlots(turn.text, intent, { now: turn.now, timezone: turn.timezone, apps: this.deps.apps }) : {};
    const allowed = intent ? new Set(Object.keys(intentDefinition(intent).slots.shape)) : new Set<string>();
    const answers = Object.fromEntries(Object.entries(found).filter(([k, v]) => allowed.has(k) && v !== undefined)) as Slots;
    const asking = context.asking;
    if (asking && answers[asking] === undefined && FREE_TEXT_SLOTS.has(asking)) {
      const text = turn.text.trim().replace(/^(it'?s|its|the|call it|title:?)\s+/i, '');
      if (text) (answers as Record<string, unknown>)[asking] = text;
    }
    return answers;
  }

  // --- starting and advancing ---

  private async startRequest(
    live: LiveDialog | undefined,
    request: { action: ToolAction; intent: IntentId | null; slots: Slots },
    turn: TurnInput,
    replies: Replies,
  ): Promise<LiveDialog> {
    const previous = live && !TERMINAL_STATES.has(live.state) ? live : undefined;
    if (previous) {
      const pending = previous.context.confirmation;
      if (pending && previous.state === 'awaitingConfirmation') {
        await this.closeConfirmation(pending.id, 'superseded', 'a new request replaced it', turn);
        replies.push(`I cancelled the pending ${say.actionLabel(previous.context.action)} (${pending.phrase.replace(/^CONFIRM /, '').toLowerCase()}): a new request replaces it.`);
      } else {
        replies.push(`I dropped the unfinished ${say.actionLabel(previous.context.action)} to handle this instead.`);
      }
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
    const next = new LiveDialog(request.action.name, this.deps.policy);
    next.send({ type: 'REQUEST', action: request.action.name, intent: request.intent, requesterId: turn.person.id, slots, required });
    return next;
  }

  /** Moves the dialog as far as it can go this turn: ask, prepare, issue a confirmation, or plan the execution. */
  private async advance(live: LiveDialog, turn: TurnInput, replies: Replies, args?: string[]): Promise<ExecutionPlan | null> {
    if (live.state === 'collecting') {
      replies.push(this.questionFor(live));
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
    const phrase = buildPhrase(action.phrase(params), risk === 'critical' ? oneTimeCode() : undefined);
    const plan = action.plan(params);
    const record = await this.deps.confirmations.create({
      conversationId: turn.conversationId,
      requesterId: turn.person.id,
      action: action.name,
      params,
      paramsHash: hashParams(action.name, params),
      risk,
      phrase,
      ttlMs: this.deps.confirmTtlMs,
    });
    await this.deps.audit.append({
      actor: turn.person.id,
      action: 'confirmation.issued',
      conversationId: turn.conversationId,
      data: { confirmationId: record.id, action: action.name, risk, plan, phrase, params, expiresAt: new Date(record.expiresAt).toISOString() },
    });
    live.send({ type: 'READY_RISKY', confirmation: { id: record.id, phrase, expiresAt: record.expiresAt, risk, plan } });
    const rule = this.deps.policy.confirmRule(action.name, risk);
    const requesterMayConfirm = this.deps.policy.mayConfirm({ action: action.name, risk, confirmer: turn.person, requesterId: turn.person.id });
    replies.push(
      say.confirmationPrompt({
        plan: risk === 'critical' ? `${plan} This is a critical action.` : plan,
        phrase,
        ttlMs: this.deps.confirmTtlMs,
        confirmers: say.describeRoles(rule.confirmers),
        requesterMayConfirm,
      }),
      // A button may cancel; it can never confirm (the gate refuses button clicks).
      [{ id: 'cancel', label: 'Cancel' }],
    );
    return null;
  }

  // --- helpers ---

  private questionFor(live: LiveDialog): string {
    const { question, asking, action } = live.context;
    return question ?? say.question(asking ?? 'title', this.deps.apps, action);
  }

  private isCancel(understanding: Understanding, text: string): boolean {
    return CANCEL_WORDS.test(text) || (understanding.intent === 'cancel' && understanding.confidence >= 0.5);
  }

  private isNewRequest(understanding: Understanding, threshold: number): boolean {
    return !CONVERSATIONAL.has(understanding.intent) && understanding.confidence >= threshold;
  }

  private confirmersText(context: DialogContext): string {
    const risk = context.confirmation?.risk ?? 'risky';
    const rule = this.deps.policy.confirmRule(context.action ?? '', risk);
    return rule.requesterMayConfirm ? `the person who asked or ${say.describeRoles(rule.confirmers)}` : say.describeRoles(rule.confirmers);
  }

  private async closeConfirmation(id: string, status: 'cancelled' | 'expired' | 'superseded', reason: string, turn: TurnInput): Promise<void> {
    if (await this.deps.confirmations.close(id, status, reason)) {
      await this.deps.audit.append({
        actor: turn.person.id,
        action: `confirmation.${status}`,
        conversationId: turn.conversationId,
        data: { confirmationId: id, reason },
      });
    }
  }

  private async conversational(intent: IntentId, turn: TurnInput, live: LiveDialog | undefined): Promise<string> {
    switch (intent) {
      case 'greeting':
        return say.greeting(turn.person.displayName);
      case 'help':
        if (turn.person.role === 'unknown') return this.pairingReply(turn);
        return say.help(turn.person.role, this.deps.policy, this.deps.actions);
      case 'cancel':
        return live && !TERMINAL_STATES.has(live.state) ? 'Cancelled.' : say.NOTHING_TO_CANCEL;
      default:
        return say.OUT_OF_SCOPE;
    }
  }

  private async pairingReply(turn: TurnInput): Promise<string> {
    const outcome = await this.deps.pairing.codeFor(turn.person, turn.channel, turn.externalUserId);
    return 'busy' in outcome ? say.PAIRING_BUSY : say.pairingNeeded(outcome.code);
  }
}

/** The replies of one turn, in order. */
class Replies {
  readonly drafts: ReplyDraft[];
  /** Starts from the replies earlier steps of the turn added ("I heard: …"). */
  constructor(earlier: readonly ReplyDraft[] = []) {
    this.drafts = [...earlier];
  }
  push(text: string, buttons?: ReplyDraft['buttons']): void {
    this.drafts.push(buttons ? { text, buttons } : { text });
  }
}
