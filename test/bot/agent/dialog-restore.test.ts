import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../core/logger.js';
import type { Person } from '../../../store/index.js';
import type { RolePolicy, ToolExecutor } from '../../../tools/index.js';

// Every restore of a checkpointed dialog, by any step, goes through this one spied function.
vi.mock('../../../flows/index.js', async (importOriginal) => {
  const flows = await importOriginal<typeof import('../../../flows/index.js')>();
  return { ...flows, restoreDialog: vi.fn(flows.restoreDialog) };
});
const flows = await import('../../../flows/index.js');
const { ActStep } = await import('../../../bot/agent/act-step.js');
const { DialogStep } = await import('../../../bot/agent/dialog/index.js');
type DialogStepDeps = import('../../../bot/agent/dialog/index.js').DialogStepDeps;
type AgentStateValue = import('../../../bot/agent/agent-state.js').AgentStateValue;

const PHRASE = 'CONFIRM DELETE TASK 12';
const person = (id: string, role: Person['role']): Person => ({ id, role, displayName: id, timezone: null }) as Person;
const ana = person('ana', 'developer');
const boss = person('boss', 'admin');

/** A policy whose `mayConfirm` lets only the boss confirm (the machine's default denies everyone). */
const policy = {
  mayConfirm: vi.fn(({ confirmer }: { confirmer: { id: string } }) => confirmer.id === 'boss'),
  confirmRule: () => ({ requesterMayConfirm: false, confirmers: ['admin'] }),
  mayStart: () => true,
} as unknown as RolePolicy;

function pendingDialog(): import('../../../flows/index.js').PersistedDialog {
  const live = flows.startDialog('task.delete', policy);
  live.send({ type: 'REQUEST', action: 'task.delete', intent: 'task.delete', requesterId: 'ana', slots: { title: '12' }, required: ['title'] });
  live.send({ type: 'READY_RISKY', confirmation: { id: 'c1', phrase: PHRASE, expiresAt: Date.now() + 60_000, risk: 'risky', plan: 'Delete task 12' } });
  return JSON.parse(JSON.stringify(live.persist()));
}

function state(over: Partial<AgentStateValue>): AgentStateValue {
  return {
    turn: {
      inboundId: 'm1',
      text: PHRASE,
      now: Date.now(),
      conversationId: 'conv',
      channel: 'webchat',
      externalUserId: 'ana',
      person: ana,
      timezone: 'UTC',
      untrusted: null,
      voice: null,
    },
    halted: false,
    understanding: { intent: 'out_of_scope', confidence: 0.9, slots: {}, source: 'offline', alternatives: [] },
    command: null,
    replies: [],
    execution: null,
    directActions: [],
    activeDialog: null,
    undoable: null,
    followUps: null,
    ...over,
  };
}

describe('the dialog step and the act step restore the same machine', () => {
  it('both restore through restoreDialog with the role policy, so the provided guard decides in both', async () => {
    const audit = { append: vi.fn(async () => ({})) };
    const dialog = new DialogStep({ policy, audit, apps: [] } as unknown as DialogStepDeps);
    const executor = { execute: vi.fn(async () => ({ summary: 'Deleted task #12.' })) } as unknown as ToolExecutor;
    const act = new ActStep({ executor, logger: silentLogger(), policy });
    const restore = vi.mocked(flows.restoreDialog);
    restore.mockClear();

    // The dialog step: ana (the requester, not allowed by this policy) types the exact phrase: denied.
    const afterDialog = await dialog.run(state({ activeDialog: pendingDialog() }));
    expect(afterDialog.replies!.map((r) => r.text)).toEqual(['Only an admin can confirm this.']);
    expect(afterDialog.execution).toBeNull();
    expect(policy.mayConfirm).toHaveBeenCalledWith(expect.objectContaining({ confirmer: { id: 'ana', role: 'developer' } }));

    // The act step, given the same checkpointed dialog: it restores it the same way.
    await act.run(state({ activeDialog: pendingDialog(), execution: { action: 'task.delete', params: {}, idempotencyKey: 'k' } }));

    expect(restore).toHaveBeenCalledTimes(2);
    for (const [, given] of restore.mock.calls) expect(given).toBe(policy);
    // Each machine restored carries the provided guard: it denies ana and lets the boss confirm.
    for (const { value } of restore.mock.results) {
      const live = value as import('../../../flows/index.js').LiveDialog;
      expect(live.state).toBe('awaitingConfirmation');
      live.send({ type: 'REPLY', text: PHRASE, now: Date.now(), sender: { id: 'ana', role: 'developer' }, trusted: true });
      expect(live.context.note).toBe('not_allowed');
      live.send({ type: 'REPLY', text: PHRASE, now: Date.now(), sender: { id: 'boss', role: boss.role }, trusted: true });
      expect(live.state).toBe('confirming');
    }
  });

  it('ends the dialog in the act step by the machine: a dialog that was executing is not kept', async () => {
    const live = flows.startDialog('task.delete', policy);
    live.send({ type: 'REQUEST', action: 'task.delete', intent: 'task.delete', requesterId: 'ana', slots: { title: '12' }, required: ['title'] });
    live.send({ type: 'READY_SAFE' });
    const executor = { execute: vi.fn(async () => ({ summary: 'Deleted task #12.' })) } as unknown as ToolExecutor;
    const act = new ActStep({ executor, logger: silentLogger(), policy });
    const after = await act.run(state({ activeDialog: live.persist(), execution: { action: 'task.delete', params: {}, idempotencyKey: 'k' } }));
    expect(after.activeDialog).toBeNull();
    expect(after.replies!.map((r) => r.text)).toEqual(['Deleted task #12.']);
  });
});
