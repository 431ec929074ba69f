import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { attemptsLeft, createActionDialog, MAX_WRONG_ATTEMPTS, restoreDialog, startDialog, UNDER_WAY, type ConfirmPolicy, type DialogEvent, type PersistedDialog } from '../../flows/index.js';

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

describe('the gate decided in the machine', () => {
  it('locks out exactly at MAX_WRONG_ATTEMPTS, counting the last attempt too', () => {
    const { send } = dialog();
    send(request({ title: '12' }));
    send(risky());
    for (let attempt = 1; attempt < MAX_WRONG_ATTEMPTS; attempt++) {
      const s = send(reply(`CONFIRM DELETE TASK ${100 + attempt}`));
      expect(s.value).toBe('awaitingConfirmation');
      expect(s.context.wrongAttempts).toBe(attempt);
      expect(attemptsLeft(s.context)).toBe(MAX_WRONG_ATTEMPTS - attempt);
    }
    const s = send(reply('CONFIRM DELETE TASK 999'));
    expect(s.value).toBe('cancelled');
    expect(s.context.note).toBe('too_many_attempts');
    expect(s.context.wrongAttempts).toBe(MAX_WRONG_ATTEMPTS);
    expect(attemptsLeft(s.context)).toBe(0);
    expect(s.status).toBe('done');
  });

  it('takes a message that is not an attempt as a cancel or a new request, and an attempt never as either', () => {
    let { send } = dialog();
    send(request({ title: '12' }));
    send(risky());
    // "confirm cancel"-like attempts stay attempts even when understanding called them a cancel.
    expect(send(reply('CONFIRM DELETE TASK 13', { meansCancel: true })).context.note).toBe('wrong_phrase');
    expect(send(reply(`ok ${PHRASE}`, { meansNewRequest: true })).context.note).toBe('reminder');
    expect(send(reply(PHRASE, { meansCancel: true })).value).toBe('confirming');

    ({ send } = dialog());
    send(request({ title: '12' }));
    send(risky());
    const waiting = send(reply('remind me to water the plants', { meansNewRequest: true }));
    expect(waiting.value).toBe('awaitingConfirmation');
    expect(waiting.context.note).toBe('new_request');
    expect(waiting.context.wrongAttempts).toBe(0);
    const cancelled = send(reply('stop', { meansCancel: true }));
    expect(cancelled.value).toBe('cancelled');
    expect(cancelled.context.note).toBe('cancelled');
  });

  it('lets a cancel through after the expiry, but not the phrase', () => {
    let { send } = dialog();
    send(request({ title: '12' }));
    send(risky(NOW));
    expect(send(reply('never mind', { meansCancel: true })).context.note).toBe('cancelled');
    ({ send } = dialog());
    send(request({ title: '12' }));
    send(risky(NOW));
    expect(send(reply(PHRASE)).value).toBe('expired');
  });

  it('says whether a dialog is under way by its tag, and ends in final states', () => {
    const { actor, send } = dialog();
    expect(actor.getSnapshot().hasTag(UNDER_WAY)).toBe(false); // idle
    for (const event of [request({}), { type: 'SLOTS', slots: { title: '12' } } as DialogEvent, risky()]) {
      expect(send(event).hasTag(UNDER_WAY)).toBe(true);
    }
    const s = send({ type: 'CANCEL' });
    expect(s.hasTag(UNDER_WAY)).toBe(false);
    expect(s.status).toBe('done');
  });
});

describe('restoreDialog', () => {
  const policy = (allowed: string[]): ConfirmPolicy => ({ mayConfirm: ({ confirmer }) => allowed.includes(confirmer.id) });

  function pending(p: ConfirmPolicy) {
    const live = startDialog('task.delete', p);
    live.send(request({ title: '12' }));
    live.send(risky());
    return JSON.parse(JSON.stringify(live.persist())) as PersistedDialog;
  }

  it('brings a checkpointed dialog back with the policy as its guard', () => {
    const allowBoss = policy(['boss']);
    const refused = restoreDialog(pending(allowBoss), allowBoss)!;
    refused.send(reply(PHRASE, { sender: { id: 'req', role: 'developer' } }));
    expect(refused.context.note).toBe('not_allowed');
    const accepted = restoreDialog(pending(allowBoss), allowBoss)!;
    accepted.send(reply(PHRASE, { sender: { id: 'boss', role: 'admin' } }));
    expect(accepted.state).toBe('confirming');
  });

  it('denies a sender whose role the policy does not know, whatever the policy says', () => {
    const everyone: ConfirmPolicy = { mayConfirm: () => true };
    const live = restoreDialog(pending(everyone), everyone)!;
    live.send(reply(PHRASE, { sender: { id: 'req', role: 'emperor' } }));
    expect(live.context.note).toBe('not_allowed');
  });

  it('gives nothing back for a dialog that ended or never started, and persists nothing once it ends', () => {
    const p = policy(['req']);
    expect(restoreDialog(null, p)).toBeUndefined();
    const idle = createActor(createActionDialog('task')).start().getPersistedSnapshot();
    expect(restoreDialog({ action: 'task.delete', snapshot: idle }, p)).toBeUndefined();
    expect(startDialog('task.delete', p).persist()).toBeNull();
    const live = restoreDialog(pending(p), p)!;
    live.send({ type: 'CANCEL' });
    expect(live.ended).toBe(true);
    expect(live.persist()).toBeNull();
  });
});
