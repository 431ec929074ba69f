import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROLES, type Role } from '../core/roles.js';
import { INTENT_CATALOG, intentDefinition, type IntentId } from '../intents/index.js';
import type { Risk } from './tool-action.js';

/** Who may confirm one risky action: its requester (if allowed) and people in `confirmers`. */
export interface ConfirmRule {
  requesterMayConfirm: boolean;
  confirmers: Role[];
}

const RoleListSchema = z.array(z.enum(ROLES));
const ConfirmRuleSchema = z.object({ requesterMayConfirm: z.boolean(), confirmers: RoleListSchema });

/** A policy file (`ROLE_POLICY_FILE`): any entry overrides the default for that intent or action. */
export const PolicyFileSchema = z
  .object({
    /** intent id → roles that may start it */
    start: z.record(z.string(), RoleListSchema).default({}),
    /** action name, or `action:risk` → who may confirm it */
    confirm: z.record(z.string(), ConfirmRuleSchema).default({}),
    /** action reached by a slash command rather than an intent (`people.approve` for `/approve`) → roles that may run it */
    commands: z.record(z.string(), RoleListSchema).optional(),
  })
  .strict();
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

/**
 * The default confirmation rules. Without an entry, a risky action may be confirmed by its
 * requester or an admin/owner, and a critical one (money, irreversible) by an admin/owner only.
 */
const DEFAULT_CONFIRM: Record<string, ConfirmRule> = {
  risky: { requesterMayConfirm: true, confirmers: ['owner', 'admin'] },
  critical: { requesterMayConfirm: false, confirmers: ['owner', 'admin'] },
  // Deleting someone else's task: the requester, deliberately, or an admin.
  'task.delete': { requesterMayConfirm: true, confirmers: ['owner', 'admin'] },
  // Production deploys: only admins and owners, even when a developer asked (DESIGN.md, "Roles").
  'deploy.create': { requesterMayConfirm: false, confirmers: ['owner', 'admin'] },
  'deploy.rollback': { requesterMayConfirm: false, confirmers: ['owner', 'admin'] },
  // Stopping someone else's build, deploy or rollback (which frees the deploy lock it holds): an admin's
  // decision, with the phrase. Stopping your own run is safe and needs none.
  'run.cancel': { requesterMayConfirm: false, confirmers: ['owner', 'admin'] },
  // Making someone an admin: an admin or owner; making someone an owner: an owner.
  'people.approve:risky': { requesterMayConfirm: true, confirmers: ['owner', 'admin'] },
  'people.approve:critical': { requesterMayConfirm: false, confirmers: ['owner'] },
};

/** Actions a slash command starts (no intent reaches them), and who may start them by default. */
const DEFAULT_COMMANDS: Record<string, Role[]> = {
  // Pairing someone: admins and owners (DESIGN.md, "Roles"); granting admin or owner also needs the phrase.
  'people.approve': ['owner', 'admin'],
};

/**
 * The role policy: which roles may start which intents (defaults: the catalog's `roles`), and who
 * may confirm which risky actions. Both sides of the confirmation gate consult it.
 */
export class RolePolicy {
  constructor(private readonly overrides: PolicyFile = { start: {}, confirm: {} }) {}

  static fromFile(path: string | undefined): RolePolicy {
    if (!path) return new RolePolicy();
    return new RolePolicy(PolicyFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))));
  }

  mayStart(role: Role, intent: IntentId): boolean {
    const roles = this.overrides.start[intent] ?? intentDefinition(intent).roles;
    return roles.includes(role);
  }

  /** Whether a role may run the action a slash command names (`/approve` → `people.approve`); unknown commands: nobody. */
  mayRunCommand(role: Role, action: string): boolean {
    const overrides = this.overrides.commands ?? {};
    const roles = Object.hasOwn(overrides, action) ? overrides[action]! : Object.hasOwn(DEFAULT_COMMANDS, action) ? DEFAULT_COMMANDS[action]! : [];
    return roles.includes(role);
  }

  /** The intents a role may start, in catalog order. */
  intentsFor(role: Role): IntentId[] {
    return INTENT_CATALOG.map((d) => d.id).filter((id) => this.mayStart(role, id));
  }

  confirmRule(action: string, risk: Exclude<Risk, 'safe'>): ConfirmRule {
    const key = `${action}:${risk}`;
    return (
      this.overrides.confirm[key] ??
      this.overrides.confirm[action] ??
      DEFAULT_CONFIRM[key] ??
      DEFAULT_CONFIRM[action] ??
      DEFAULT_CONFIRM[risk]!
    );
  }

  mayConfirm(input: { action: string; risk: Exclude<Risk, 'safe'>; confirmer: { id: string; role: Role }; requesterId: string }): boolean {
    const rule = this.confirmRule(input.action, input.risk);
    if (rule.confirmers.includes(input.confirmer.role)) return true;
    return rule.requesterMayConfirm && input.confirmer.id === input.requesterId && input.confirmer.role !== 'unknown';
  }
}
