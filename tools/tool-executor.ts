import type { Clock } from '../core/clock.js';
import { toSwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AuditLog, ConfirmationRepo, Database, PeopleRepo, Person, ToolRunRepo } from '../store/index.js';
import type { RolePolicy } from './policy.js';
import { hashParams, type Risk, type ToolResult } from './tool-action.js';
import { ActionNotAllowedError, ConfirmationRequiredError, ExecutionInDoubtError, ToolFailedError, ToolInputError } from './tool-errors.js';
import type { ToolRegistry } from './tool-registry.js';

export interface ExecutionRequest {
  action: string;
  params: Record<string, unknown>;
  actor: Person;
  conversationId: string;
  timezone: string;
  /** For a safe action: unique per intended effect (e.g. the inbound message id). Risky actions use their confirmation. */
  idempotencyKey: string;
  confirmationId?: string;
}

export interface ToolExecutorOptions {
  db: Database;
  actions: ToolRegistry;
  confirmations: ConfirmationRepo;
  runs: ToolRunRepo;
  people: PeopleRepo;
  audit: AuditLog;
  policy: RolePolicy;
  clock: Clock;
  logger: Logger;
}

/**
 * Runs tool actions. It is the second side of the confirmation gate and trusts nothing the dialog
 * says: for a risky action it loads the durable confirmation record and checks, itself, that it is
 * for this action with exactly these parameters, in this conversation, confirmed in time by a
 * person the policy allows, and unused; it consumes the record in the same transaction that claims
 * the idempotency key. A retried execution returns the first outcome and acts no second time.
 */
export class ToolExecutor {
  constructor(private readonly options: ToolExecutorOptions) {}

  async execute(request: ExecutionRequest): Promise<ToolResult> {
    const { actions, audit, policy } = this.options;
    // The choke point for who runs what: a client's turn runs client actions only, whatever was asked.
    if (!policy.mayExecute(request.actor.role, request.action)) {
      await audit.append({
        actor: request.actor.id,
        action: 'execution.refused',
        conversationId: request.conversationId,
        data: { action: request.action, role: request.actor.role, reason: 'the role may not run this action' },
      });
      throw new ActionNotAllowedError(request.action);
    }
    const action = actions.get(request.action);
    const parsed = action.input.safeParse(request.params);
    if (!parsed.success) throw new ToolInputError(`Invalid parameters for ${action.name}: ${parsed.error.issues[0]?.message}`);
    const params = parsed.data;
    const risk = action.risk(params);
    const key = risk === 'safe' ? request.idempotencyKey : `confirmation:${request.confirmationId ?? ''}`;

    const claim = risk === 'safe' ? await this.claimSafe(request, key) : await this.claimConfirmed(request, risk, key);
    if (claim.replay) return claim.replay;

    await audit.append({
      actor: request.actor.id,
      action: 'action.executing',
      conversationId: request.conversationId,
      data: { action: action.name, risk, params, confirmationId: request.confirmationId ?? null, idempotencyKey: key },
    });
    try {
      const result = await action.execute(params, {
        actor: request.actor,
        conversationId: request.conversationId,
        now: this.options.clock.now(),
        timezone: request.timezone,
        idempotencyKey: key,
      });
      await this.options.runs.succeed(key, { summary: result.summary, ...(result.data ? { data: result.data } : {}) });
      await audit.append({
        actor: request.actor.id,
        action: 'action.succeeded',
        conversationId: request.conversationId,
        data: { action: action.name, idempotencyKey: key, summary: result.summary },
      });
      return result;
    } catch (error) {
      const normalised = toSwitchboardError(error);
      await this.options.runs.fail(key, normalised.message);
      await audit.append({
        actor: request.actor.id,
        action: 'action.failed',
        conversationId: request.conversationId,
        data: { action: action.name, idempotencyKey: key, error: normalised.message, code: normalised.code },
      });
      throw new ToolFailedError(normalised.message, { cause: error });
    }
  }

  private async claimSafe(request: ExecutionRequest, key: string): Promise<{ replay?: ToolResult }> {
    const { created, run } = await this.options.runs.begin({
      idempotencyKey: key,
      action: request.action,
      params: request.params,
      actorId: request.actor.id,
      conversationId: request.conversationId,
      confirmationId: null,
    });
    return created ? {} : { replay: replayOf(run) };
  }

  private async claimConfirmed(request: ExecutionRequest, risk: Exclude<Risk, 'safe'>, key: string): Promise<{ replay?: ToolResult }> {
    const { confirmations, runs, db, people, policy, audit } = this.options;
    const refuse = async (reason: string): Promise<never> => {
      await audit.append({
        actor: request.actor.id,
        action: 'execution.refused',
        conversationId: request.conversationId,
        data: { action: request.action, risk, reason, confirmationId: request.confirmationId ?? null },
      });
      throw new ConfirmationRequiredError(request.action, reason);
    };
    if (!request.confirmationId) return refuse('no confirmation was given');
    const record = await confirmations.findById(request.confirmationId);
    if (!record) return refuse('the confirmation does not exist');
    if (record.action !== request.action) return refuse('the confirmation is for another action');
    if (record.conversationId !== request.conversationId) return refuse('the confirmation belongs to another conversation');
    if (record.paramsHash !== hashParams(request.action, request.params)) return refuse('the parameters differ from the confirmed ones');
    if (record.status === 'consumed') {
      const previous = await runs.find(key);
      if (previous) return { replay: replayOf(previous) };
      return refuse('the confirmation was already used');
    }
    if (record.status !== 'confirmed' || !record.confirmedBy || record.confirmedAt === null) return refuse(`the confirmation is ${record.status}`);
    if (record.confirmedAt >= record.expiresAt) return refuse('the confirmation came after it expired');
    const confirmer = await people.findById(record.confirmedBy);
    if (!confirmer || !policy.mayConfirm({ action: request.action, risk, confirmer, requesterId: record.requesterId })) {
      return refuse('the person who confirmed may not confirm this action');
    }
    // Single use: consuming the record and claiming the idempotency key commit together or not at all.
    const claimed = await db.transaction(async (tx) => {
      const consumed = await confirmations.consume(record.id, tx);
      if (!consumed) return false;
      await runs.begin(
        {
          idempotencyKey: key,
          action: request.action,
          params: request.params,
          actorId: request.actor.id,
          conversationId: request.conversationId,
          confirmationId: record.id,
        },
        tx,
      );
      return true;
    });
    if (!claimed) return refuse('the confirmation was already used');
    return {};
  }
}

function replayOf(run: { status: string; result: Record<string, unknown> | null; error: string | null }): ToolResult {
  if (run.status === 'succeeded' && run.result) {
    const { summary, data } = run.result as { summary: string; data?: Record<string, unknown> };
    return { summary, ...(data ? { data } : {}) };
  }
  if (run.status === 'failed') throw new ToolFailedError(run.error ?? 'the action failed');
  throw new ExecutionInDoubtError('This action was started before and its outcome is not known yet; check its result before trying again.');
}
