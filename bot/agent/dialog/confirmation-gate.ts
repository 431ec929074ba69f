import { attemptsLeft, buildPhrase, oneTimeCode, type LiveDialog } from '../../../flows/index.js';
import type { Understanding } from '../../../intents/index.js';
import { hashParams, type Risk, type ToolAction } from '../../../tools/index.js';
import type { ExecutionPlan, TurnInput } from '../agent-state.js';
import * as say from '../wording.js';
import type { DialogStepDeps } from './dialog-deps.js';
import { meansCancel, meansNewRequest, NEW_REQUEST_CONFIDENCE } from './message-meaning.js';
import type { Replies } from './replies.js';

/** What a message did to a pending confirmation. */
export type GateOutcome = { newRequest: true } | { newRequest: false; execution?: ExecutionPlan };

/**
 * The dialog's side of the confirmation gate, as I/O around the machine: it issues the durable
 * confirmation record, feeds each message of the wait to the machine as one REPLY event, and then does
 * what the machine's resulting state says (record the confirmation, close the record, write the
 * audit trail, word the reply). It decides nothing itself: phrase, sender, expiry and attempts are the
 * machine's guards, with the policy provided (flows/live-dialog.ts). The executor checks again, on its own.
 */
export class ConfirmationGate {
  constructor(private readonly deps: Pick<DialogStepDeps, 'confirmations' | 'audit' | 'policy' | 'confirmTtlMs'>) {}

  /** A risky action is ready: store its confirmation record, move the machine to the wait, restate it and give the phrase. */
  async issue(live: LiveDialog, action: ToolAction, params: Record<string, unknown>, risk: Exclude<Risk, 'safe'>, turn: TurnInput, replies: Replies): Promise<void> {
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
    // Wording only ("you or an admin can confirm"): whether a reply confirms is the machine's guard.
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
  }

  /** A message while the confirmation is pending. */
  async reply(live: LiveDialog, understanding: Understanding, turn: TurnInput, replies: Replies): Promise<GateOutcome> {
    const pending = live.context.confirmation!;
    live.send({
      type: 'REPLY',
      text: turn.text,
      now: turn.now,
      sender: { id: turn.person.id, role: turn.person.role },
      trusted: turn.untrusted === null,
      meansCancel: meansCancel(understanding, turn.text),
      meansNewRequest: meansNewRequest(understanding, NEW_REQUEST_CONFIDENCE),
    });
    const { context } = live;
    const audit = (action: string, data: Record<string, unknown>) =>
      this.deps.audit.append({ actor: turn.person.id, action, conversationId: turn.conversationId, data: { confirmationId: pending.id, ...data } });

    if (live.state === 'confirming') {
      const record = await this.deps.confirmations.confirm(pending.id, turn.person.id, turn.inboundId);
      if (!record) {
        live.send({ type: 'LOST', reason: 'the confirmation had expired or was already used' });
        replies.push(say.CONFIRMATION_LOST);
        return { newRequest: false };
      }
      await audit('confirmation.confirmed', { by: turn.person.id, role: turn.person.role, action: record.action });
      live.send({ type: 'RECORDED' });
      // The stored parameters run, never a re-reading of later text.
      return { newRequest: false, execution: { action: record.action, params: record.params, confirmationId: record.id, idempotencyKey: `confirmation:${record.id}` } };
    }

    // Every REPLY transition of the wait sets the note: it says what the machine made of this message.
    switch (context.note) {
      case 'new_request':
        return { newRequest: true };
      case 'cancelled':
        await this.close(pending.id, 'cancelled', 'cancelled by the user', turn);
        replies.push(say.cancelledAction(context.action));
        break;
      case 'expired':
        await this.close(pending.id, 'expired', 'the phrase came after it expired', turn);
        replies.push(say.confirmationExpired(context.action));
        break;
      case 'too_many_attempts':
        // The machine counted this attempt (it holds the limit); the record mirrors the count before it closes.
        await this.deps.confirmations.recordWrongAttempt(pending.id);
        await audit('confirmation.wrong', { by: turn.person.id, attempt: context.wrongAttempts });
        await this.close(pending.id, 'cancelled', say.TOO_MANY_ATTEMPTS_REASON, turn);
        replies.push(say.TOO_MANY_ATTEMPTS);
        break;
      case 'wrong_phrase':
        await this.deps.confirmations.recordWrongAttempt(pending.id);
        await audit('confirmation.wrong', { by: turn.person.id, attempt: context.wrongAttempts });
        replies.push(say.wrongPhrase(pending.phrase, attemptsLeft(context)));
        break;
      case 'untrusted':
        await audit('confirmation.refused', { by: turn.person.id, reason: turn.untrusted });
        replies.push(say.untrustedConfirmation(turn.untrusted ?? 'voice', pending.phrase));
        break;
      case 'not_allowed':
        await audit('confirmation.refused', { by: turn.person.id, role: turn.person.role, reason: 'not allowed to confirm' });
        replies.push(say.onlyConfirmers(say.confirmers(this.deps.policy.confirmRule(context.action ?? '', pending.risk))));
        break;
      default:
        // 'reminder': neither an attempt nor a request.
        replies.push(say.waitingForConfirmation(pending.phrase));
    }
    return { newRequest: false };
  }

  /** A new request replaces the pending confirmation: its record is closed and the person told. */
  async supersede(previous: LiveDialog, turn: TurnInput, replies: Replies): Promise<void> {
    const pending = previous.context.confirmation!;
    await this.close(pending.id, 'superseded', 'a new request replaced it', turn);
    replies.push(say.supersededConfirmation(previous.context.action, pending.phrase));
  }

  private async close(id: string, status: 'cancelled' | 'expired' | 'superseded', reason: string, turn: TurnInput): Promise<void> {
    if (await this.deps.confirmations.close(id, status, reason)) {
      await this.deps.audit.append({
        actor: turn.person.id,
        action: `confirmation.${status}`,
        conversationId: turn.conversationId,
        data: { confirmationId: id, reason },
      });
    }
  }
}
