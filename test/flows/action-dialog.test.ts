import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createActionDialog, type DialogEvent } from '../../flows/action-dialog.js';

const PHRASE = 'CONFIRM DELETE TASK 12';
const NOW = 1_000_000;

function dialog(options: { allow?: (sender: { id: string; role: string }) => boolean } = {}) {
  const machine = createActionDialog('task').provide({
    guards: {
      mayConfirm: ({ event }) => event.type === 'REPLY' && (options.allow ?? ((s) => s.id === 'req'))(event.sender),
    },
  });
  const actor = createActor(machine).start();
  const send = (event: DialogEvent) => {
    actor.send(event);
    return actor.getSnapshot();
  };
  return { actor, send };
}

const request = (slots = {}): DialogEvent => ({ type: 'REQUEST', action: 'task.delete', intent: 'task.delete', requesterId: 'req', slots, required: ['title'] });
const risky = (expiresAt = NOW + 300_000): DialogEvent => ({ type: 'READY_RISKY', confirmation: { id: 'c1', phrase: PHRASE, expiresAt, risk: 'risky', plan: 'Delete task 12' } });
const reply = (text: string, extra: Partial<Extract<DialogEvent, { type: 'REPLY' }>> = {}): DialogEvent => ({
  type: 'REPLY',
  text,
  now: NOW,
  sender: { id: 'req', role: 'developer' },
  trusted: true,
  ...extra,
});

describe('action dialog', () => {
  it('asks for what is missing, one slot at a time, and accepts answers and corrections', () => {
    const { send } = dialog();
    let s = send({ type: 'REQUEST', action: 'deploy.create', intent: 'deploy.create', requesterId: 'req', slots: {}, required: ['app', 'env'] });
    expect(s.value).toBe('collecting');
    expect(s.context.asking).toBe('app');
    s = send({ type: 'SLOTS', slots: { env: 'production' } }); // answered out of order
    expect(s.context.asking).toBe('app');
    s = send({ type: 'SLOTS', slots: { env: 'staging' } }); // "no, staging"
    expect(s.context.slots.env).toBe('staging');
    s = send({ type: 'SLOTS', slots: { app: 'soarix-web' } });
    expect(s.value).toBe('preparing');
    expect(s.context.slots).toEqual({ env: 'staging', app: 'soarix-web' });
  });

  it('goes straight to preparing when the request has everything, and asks again when the tool needs it', () => {
    const { send } = dialog();
    expect(send(request({ title: 'invoice' })).value).toBe('preparing');
    const s = send({ type: 'NEED', slot: 'title', question: 'Several tasks match: which number?' });
    expect(s.value).toBe('collecting');
    expect(s.context.asking).toBe('title');
    expect(s.context.question).toMatch(/which number/);
    expect(send({ type: 'SLOTS', slots: { title: '12' } }).value).toBe('preparing');
  });

  it('runs a safe action without a confirmation, and ends done', () => {
    const { send } = dialog();
    send(request({ title: 'x' }));
    expect(send({ type: 'READY_SAFE' }).value).toBe('executing');
    const s = send({ type: 'EXECUTED', summary: 'Deleted.' });
    expect(s.value).toBe('done');
    expect(s.context.outcome).toBe('Deleted.');
  });

  it('moves on only for the exact phrase, typed, in time, by someone allowed', () => {
    const { send } = dialog();
    send(request({ title: '12' }));
    expect(send(risky()).value).toBe('awaitingConfirmation');
    expect(send(reply('yes do it')).context.note).toBe('reminder');
    expect(send(reply(PHRASE, { trusted: false })).context.note).toBe('untrusted');
    expect(send(reply(PHRASE, { sender: { id: 'intruder', role: 'developer' } })).context.note).toBe('not_allowed');
    expect(send(reply(`please ${PHRASE}`)).context.note).toBe('reminder');
    const s = send(reply('confirm delete task 12'));
    expect(s.value).toBe('confirming');
    expect(send({ type: 'RECORDED' }).value).toBe('executing');
  });

  it('counts near misses and cancels on the third', () => {
    const { send } = dialog();
    send(request({ title: '12' }));
    send(risky());
    expect(send(reply('CONFIRM DELETE TASK 13')).context.wrongAttempts).toBe(1);
    expect(send(reply('CONFIRM DELETE TASK I2')).context.wrongAttempts).toBe(2);
    const s = send(reply('C0NFIRM DELETE TASK 12'));
    expect(s.value).toBe('cancelled');
    expect(s.context.note).toBe('too_many_attempts');
  });

  it('expires: the right phrase after the deadline does not confirm', () => {
    const { send } = dialog();
    send(request({ title: '12' }));
    send(risky(NOW + 10));
    const s = send(reply(PHRASE, { now: NOW + 10 }));
    expect(s.value).toBe('expired');
  });

  it('refuses everyone when no policy was provided', () => {
    const actor = createActor(createActionDialog('task')).start();
    actor.send(request({ title: '12' }));
    actor.send(risky());
    actor.send(reply(PHRASE));
    expect(actor.getSnapshot().value).toBe('awaitingConfirmation');
    expect(actor.getSnapshot().context.note).toBe('not_allowed');
  });

  it('cancels from every active state, and says when there is nothing to cancel', () => {
    for (const steps of [[request({})], [request({ title: '1' })], [request({ title: '1' }), risky()]] as DialogEvent[][]) {
      const { send } = dialog();
      for (const step of steps) send(step);
      const s = send({ type: 'CANCEL' });
      expect(s.value).toBe('cancelled');
      expect(s.context.note).toBe('cancelled');
    }
    const { send } = dialog();
    expect(send({ type: 'CANCEL' }).context.note).toBe('nothing_to_cancel');
  });

  it('replaces a pending request with a new one and says which it replaced', () => {
    const { send } = dialog();
    send(request({ title: '12' }));
    send(risky());
    const s = send({ type: 'REQUEST', action: 'task.create', intent: 'task.create', requesterId: 'req', slots: {}, required: ['title'] });
    expect(s.value).toBe('collecting');
    expect(s.context.note).toBe('superseded');
    expect(s.context.superseded).toBe('task.delete');
    expect(s.context.confirmation).toBeNull();
  });

  it('survives a round trip through its persisted snapshot mid-confirmation', () => {
    const machine = createActionDialog('task').provide({ guards: { mayConfirm: () => true } });
    const first = createActor(machine).start();
    first.send(request({ title: '12' }));
    first.send(risky());
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    const restored = createActor(machine, { snapshot: persisted }).start();
    expect(restored.getSnapshot().value).toBe('awaitingConfirmation');
    restored.send(reply(PHRASE));
    expect(restored.getSnapshot().value).toBe('confirming');
  });
});
