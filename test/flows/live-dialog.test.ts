import { describe, expect, it, vi } from 'vitest';
import { dialogWithPolicy, startDialog, type ConfirmPolicy } from '../../flows/index.js';

const PHRASE = 'CONFIRM DELETE TASK 12';

function policyAllowing(confirmerId: string): ConfirmPolicy & { mayConfirm: ReturnType<typeof vi.fn> } {
  return { mayConfirm: vi.fn(({ confirmer }: { confirmer: { id: string } }) => confirmer.id === confirmerId) };
}

/** A task deletion waiting for its phrase, typed by `who`: the state it ends in. */
function confirmAs(policy: ConfirmPolicy, who: string, action = 'task.delete'): string {
  const live = startDialog(action, policy);
  live.send({ type: 'REQUEST', action, intent: 'task.delete', requesterId: 'ana', slots: { title: '12' }, required: ['title'] });
  live.send({ type: 'READY_RISKY', confirmation: { id: 'c1', phrase: PHRASE, expiresAt: Date.now() + 60_000, risk: 'risky', plan: 'Delete task 12' } });
  live.send({ type: 'REPLY', text: PHRASE, now: Date.now(), trusted: true, sender: { id: who, role: 'admin' } } as never);
  return live.state;
}

describe('dialog machines with a policy', () => {
  it('are made once per policy and action, and each asks its own policy', () => {
    const boss = policyAllowing('boss');
    const other = policyAllowing('someone-else');
    expect(dialogWithPolicy('task.delete', boss)).toBe(dialogWithPolicy('task.delete', boss));
    expect(dialogWithPolicy('task.delete', boss)).not.toBe(dialogWithPolicy('task.delete', other));
    expect(dialogWithPolicy('task.delete', boss)).not.toBe(dialogWithPolicy('task.create', boss));

    const confirmedByBoss = confirmAs(boss, 'boss');
    const refusedByOther = confirmAs(other, 'boss');
    expect(confirmedByBoss).not.toBe(refusedByOther);
    expect(boss.mayConfirm).toHaveBeenCalledWith(expect.objectContaining({ action: 'task.delete', confirmer: { id: 'boss', role: 'admin' } }));
    expect(other.mayConfirm).toHaveBeenCalledWith(expect.objectContaining({ action: 'task.delete', confirmer: { id: 'boss', role: 'admin' } }));
  });
});
