import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { isRole, type Role } from '../core/roles.js';
import { UNDER_WAY, type ActionDialog, type DialogContext, type DialogEvent } from './action-dialog.js';
import { dialogFor } from './dialogs.js';

/**
 * Who may confirm a risky action: the port the dialog's `mayConfirm` guard needs. The bot provides
 * the role policy (tools/policy.ts `RolePolicy` satisfies it as it is).
 */
export interface ConfirmPolicy {
  mayConfirm(input: { action: string; risk: 'risky' | 'critical'; confirmer: { id: string; role: Role }; requesterId: string }): boolean;
}

/** A dialog as the agent's checkpoint holds it: which action's machine, and its persisted snapshot. */
export interface PersistedDialog {
  action: string;
  snapshot: unknown;
}

/**
 * The provided machines, per policy and action. xstate's `provide` builds a whole new machine (every
 * state node and transition formatted again): done per turn it was 1.8% of a Telegram turn's CPU in
 * the service's profile (issue 13), for a result that only depends on the policy and the action.
 * Bounded: one entry per action id per policy, and a policy's entries go with it.
 */
const provided = new WeakMap<ConfirmPolicy, Map<string, ActionDialog>>();

/** The machine for an action with the policy provided as its `mayConfirm` guard (made once per policy and action). */
export function dialogWithPolicy(action: string, policy: ConfirmPolicy): ActionDialog {
  let byAction = provided.get(policy);
  if (!byAction) {
    byAction = new Map();
    provided.set(policy, byAction);
  }
  let machine = byAction.get(action);
  if (!machine) {
    machine = provideGuard(action, policy);
    byAction.set(action, machine);
  }
  return machine;
}

function provideGuard(action: string, policy: ConfirmPolicy): ActionDialog {
  return dialogFor(action).provide({
    guards: {
      mayConfirm: ({ context, event }) =>
        event.type === 'REPLY' &&
        context.confirmation !== null &&
        context.requesterId !== null &&
        // A role the policy does not know confirms nothing.
        isRole(event.sender.role) &&
        policy.mayConfirm({
          action: context.action ?? action,
          risk: context.confirmation.risk,
          confirmer: { id: event.sender.id, role: event.sender.role },
          requesterId: context.requesterId,
        }),
    },
  });
}

/**
 * A running dialog machine for one turn. Every step of the agent that touches a dialog gets it from
 * `startDialog` or `restoreDialog`, so the machine always runs with the same guards, and whether a
 * dialog is still under way is the machine's answer (its `underWay` tag, its final states), never a
 * list of state names kept elsewhere.
 */
export class LiveDialog {
  private readonly actor: Actor<ActionDialog>;

  private constructor(
    readonly action: string,
    policy: ConfirmPolicy,
    snapshot?: SnapshotFrom<ActionDialog>,
  ) {
    this.actor = createActor(dialogWithPolicy(action, policy), snapshot ? { snapshot } : undefined);
    this.actor.start();
  }

  /** A fresh machine for `action`, in `idle`. */
  static start(action: string, policy: ConfirmPolicy): LiveDialog {
    return new LiveDialog(action, policy);
  }

  /** The checkpoint's dialog, or undefined when there is none or it is no longer under way. */
  static restore(persisted: PersistedDialog | null | undefined, policy: ConfirmPolicy): LiveDialog | undefined {
    if (!persisted) return undefined;
    const live = new LiveDialog(persisted.action, policy, persisted.snapshot as SnapshotFrom<ActionDialog>);
    return live.underWay ? live : undefined;
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

  /** Whether the dialog is under way: a new request replaces it, cancel ends it, the checkpoint keeps it. */
  get underWay(): boolean {
    const snapshot = this.actor.getSnapshot();
    return snapshot.status === 'active' && snapshot.hasTag(UNDER_WAY);
  }

  /** Whether it reached one of its final states (done, failed, cancelled, expired). */
  get ended(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  /** What the checkpoint keeps: the snapshot while under way, nothing once it ended. */
  persist(): PersistedDialog | null {
    if (!this.underWay) return null;
    return { action: this.context.action ?? this.action, snapshot: this.actor.getPersistedSnapshot() };
  }
}

/** The one way to bring a checkpointed dialog back (see `LiveDialog.restore`). */
export const restoreDialog = LiveDialog.restore;
/** The one way to start a dialog (see `LiveDialog.start`). */
export const startDialog = LiveDialog.start;
