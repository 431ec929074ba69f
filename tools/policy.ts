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
    /** kind of record (`tasks`) → roles that may see everyone's, not only their own */
    seeOthers: z.record(z.string(), RoleListSchema).optional(),
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
  // Erasing a contact (critical: phrase and one-time code): sales own the CRM and handle erasure
  // requests, so the requester may confirm it themselves; admins and owners too.
  'crm.contact.delete': { requesterMayConfirm: true, confirmers: ['owner', 'admin'] },
};

/**
 * Who may start an intent when the catalog's roles are not the policy (intents/catalog keeps the
 * understanding; the policy decides). CRM: sales, admins and owners own it; developers may read
 * contacts and add notes (they talk to clients' technical people), never move deals or erase.
 */
const DEFAULT_START: Partial<Record<IntentId, Role[]>> = {
  'crm.contact.find': ['owner', 'admin', 'sales', 'developer'],
  'crm.note.add': ['owner', 'admin', 'sales', 'developer'],
  'crm.lead.create': ['owner', 'admin', 'sales', 'client'],
  'crm.deal.update': ['owner', 'admin', 'sales'],
  'crm.contact.delete': ['owner', 'admin', 'sales'],
};

/** Actions a slash command starts (no intent reaches them), and who may start them by default. */
const DEFAULT_COMMANDS: Record<string, Role[]> = {
  // Pairing someone: admins and owners (DESIGN.md, "Roles"); granting admin or owner also needs the phrase.
  'people.approve': ['owner', 'admin'],
  // Giving a handed-off client conversation back to the bot (`/handback`, bot/client): anyone on the team.
  'handoff.handback': ['owner', 'admin', 'developer', 'sales'],
  // Folding one contact into another (`/merge 12 7`, tools/crm): the CRM's owners.
  'crm.contact.merge': ['owner', 'admin', 'sales'],
};

/**
 * The most a client may ever start, whatever the policy file says (DESIGN.md, "Roles"): knowledge
 * questions, their own details as a lead, and conversation. Asking for a call, a person, their project's
 * status or their erasure is read by bot/client before understanding, never as a staff intent.
 */
export const CLIENT_INTENTS: ReadonlySet<IntentId> = new Set<IntentId>(['knowledge.ask', 'crm.lead.create', 'help', 'greeting', 'cancel', 'out_of_scope']);
/** What someone the bot does not know yet may start: conversation only (anything else gets pairing). */
const STRANGER_INTENTS: ReadonlySet<IntentId> = new Set<IntentId>(['help', 'greeting', 'cancel', 'out_of_scope']);
/** The only tool actions a client's turn may run (bot/client registers them; the executor refuses the rest). */
export const CLIENT_ACTIONS: ReadonlySet<string> = new Set(['client.lead.capture']);

/** Roles outside the team: their ceiling is fixed in code, so neither a prompt nor a policy file widens it. */
export function isOutsider(role: Role): role is 'client' | 'unknown' {
  return role === 'client' || role === 'unknown';
}

/**
 * Whose records a role may see besides its own, by kind. Tasks: owners and admins see anyone's list
 * ("what's on bob's list?", "show the team's tasks"); developers and sales see their own, and still
 * find someone else's task by description to complete or delete it (deleting it needs the phrase).
 */
const DEFAULT_SEE_OTHERS: Record<string, Role[]> = {
  tasks: ['owner', 'admin'],
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
    if (role === 'client' && !CLIENT_INTENTS.has(intent)) return false;
    if (role === 'unknown' && !STRANGER_INTENTS.has(intent)) return false;
    const roles = this.overrides.start[intent] ?? DEFAULT_START[intent] ?? intentDefinition(intent).roles;
    return roles.includes(role);
  }

  /** Whether a role may run the action a slash command names (`/approve` → `people.approve`); unknown commands: nobody. */
  mayRunCommand(role: Role, action: string): boolean {
    if (isOutsider(role)) return false;
    const overrides = this.overrides.commands ?? {};
    const roles = Object.hasOwn(overrides, action) ? overrides[action]! : Object.hasOwn(DEFAULT_COMMANDS, action) ? DEFAULT_COMMANDS[action]! : [];
    return roles.includes(role);
  }

  /** Whether a role may see other people's records of a kind (`tasks`); unknown kinds: nobody. */
  maySeeOthers(role: Role, kind: string): boolean {
    if (isOutsider(role)) return false;
    const overrides = this.overrides.seeOthers ?? {};
    const roles = Object.hasOwn(overrides, kind) ? overrides[kind]! : Object.hasOwn(DEFAULT_SEE_OTHERS, kind) ? DEFAULT_SEE_OTHERS[kind]! : [];
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

  /**
   * Whether a role may run a tool action at all: the executor asks before anything else. Clients run
   * only the client actions and strangers none, whatever the dialog or the model asked for.
   */
  mayExecute(role: Role, action: string): boolean {
    if (role === 'unknown') return false;
    return role !== 'client' || CLIENT_ACTIONS.has(action);
  }

  mayConfirm(input: { action: string; risk: Exclude<Risk, 'safe'>; confirmer: { id: string; role: Role }; requesterId: string }): boolean {
    // A phrase typed by a client or a stranger never confirms anything.
    if (isOutsider(input.confirmer.role)) return false;
    const rule = this.confirmRule(input.action, input.risk);
    if (rule.confirmers.includes(input.confirmer.role)) return true;
    return rule.requesterMayConfirm && input.confirmer.id === input.requesterId;
  }
}
