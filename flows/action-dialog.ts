import { and, assign, not, setup } from 'xstate';
import type { IntentId, SlotName, Slots } from '../intents/index.js';
import { looksLikeConfirmation, matchesPhrase } from './confirmation-phrase.js';

/** A risky action's pending confirmation, as the dialog knows it (the durable record is the authority). */
export interface PendingConfirmation {
  id: string;
  phrase: string;
  expiresAt: number;
  risk: 'risky' | 'critical';
  plan: string;
}

/** What happened on the last event, for the reply (the graph's respond step words it). */
export type DialogNote =
  | 'superseded'
  | 'cancelled'
  | 'nothing_to_cancel'
  | 'expired'
  | 'wrong_phrase'
  | 'too_many_attempts'
  | 'untrusted'
  | 'not_allowed'
  | 'reminder'
  | 'refused'
  | 'lost';

export interface DialogContext {
  /** The tool action being prepared, e.g. `task.delete`. */
  action: string | null;
  intent: IntentId | null;
  requesterId: string | null;
  slots: Slots;
  /** Slots the action needs, in asking order. */
  required: SlotName[];
  /** The slot the last question asked for. */
  asking: SlotName | null;
  /** A question set by the tool (an ambiguity), asked instead of the generic one. */
  question: string | null;
  confirmation: PendingConfirmation | null;
  wrongAttempts: number;
  /** The result or the reason it ended. */
  outcome: string | null;
  note: DialogNote | null;
  /** The action a new request replaced, for "I dropped your …". */
  superseded: string | null;
}

export interface Sender {
  id: string;
  role: string;
}

export type DialogEvent =
  | { type: 'REQUEST'; action: string; intent: IntentId | null; requesterId: string; slots: Slots; required: SlotName[] }
  | { type: 'SLOTS'; slots: Slots }
  | { type: 'NEED'; slot: SlotName; question: string }
  | { type: 'REFUSE'; reason: string }
  | { type: 'READY_SAFE' }
  | { type: 'READY_RISKY'; confirmation: PendingConfirmation }
  /** A message while a confirmation is pending. `trusted` is false for voice, edited, forwarded and bot messages. */
  | { type: 'REPLY'; text: string; now: number; sender: Sender; trusted: boolean }
  | { type: 'RECORDED' }
  | { type: 'LOST'; reason: string }
  | { type: 'EXECUTED'; summary: string }
  | { type: 'FAILED'; reason: string }
  | { type: 'CANCEL' };

export const MAX_WRONG_ATTEMPTS = 3;

const EMPTY: DialogContext = {
  action: null,
  intent: null,
  requesterId: null,
  slots: {},
  required: [],
  asking: null,
  question: null,
  confirmation: null,
  wrongAttempts: 0,
  outcome: null,
  note: null,
  superseded: null,
};

export function missingSlots(context: Pick<DialogContext, 'required' | 'slots'>): SlotName[] {
  return context.required.filter((slot) => {
    const value = context.slots[slot];
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  });
}

const replyText = (event: DialogEvent) => (event.type === 'REPLY' ? event.text : '');

/**
 * The dialog of one tool action, from the first request to its end. A pure definition: it performs
 * no I/O. The agent graph sends it events (slots understood, the tool's preparation, a reply while a
 * confirmation is pending, the execution's result) and acts on the state it reaches.
 *
 * Its half of the confirmation gate: a pending confirmation moves on only for a whole-message,
 * exact phrase (flows/confirmation-phrase.ts), typed (not voice, edited, forwarded or from a bot),
 * before it expires, by someone the `mayConfirm` guard accepts. `mayConfirm` refuses everyone until
 * the bot provides the role policy with `.provide({ guards: { mayConfirm } })`.
 */
export function createActionDialog(family: string) {
  return setup({
    types: { context: {} as DialogContext, events: {} as DialogEvent },
    guards: {
      hasMissingSlots: ({ context }) => missingSlots(context).length > 0,
      isExpired: ({ context, event }) => event.type === 'REPLY' && context.confirmation !== null && event.now >= context.confirmation.expiresAt,
      isPhrase: ({ context, event }) => context.confirmation !== null && matchesPhrase(replyText(event), context.confirmation.phrase),
      isTrusted: ({ event }) => event.type === 'REPLY' && event.trusted,
      looksLikeAttempt: ({ event }) => looksLikeConfirmation(replyText(event)),
      isLastAttempt: ({ context }) => context.wrongAttempts + 1 >= MAX_WRONG_ATTEMPTS,
      // Denied by default: the bot supplies the policy.
      mayConfirm: (_args) => false,
    },
    actions: {
      startRequest: assign(({ context, event }) => {
        if (event.type !== 'REQUEST') return {};
        return {
          ...EMPTY,
          action: event.action,
          intent: event.intent,
          requesterId: event.requesterId,
          slots: event.slots,
          required: event.required,
          superseded: context.action,
          note: 'superseded' as const,
        };
      }),
      startFresh: assign(({ event }) => {
        if (event.type !== 'REQUEST') return {};
        return { ...EMPTY, action: event.action, intent: event.intent, requesterId: event.requesterId, slots: event.slots, required: event.required };
      }),
      askNext: assign(({ context }) => ({ asking: context.question ? context.asking : (missingSlots(context)[0] ?? null) })),
      mergeSlots: assign(({ context, event }) => (event.type === 'SLOTS' ? { slots: { ...context.slots, ...event.slots }, question: null, note: null } : {})),
      needSlot: assign(({ context, event }) => {
        if (event.type !== 'NEED') return {};
        const { [event.slot]: _dropped, ...rest } = context.slots;
        return { slots: rest, asking: event.slot, question: event.question, required: context.required.includes(event.slot) ? context.required : [...context.required, event.slot] };
      }),
      refuse: assign(({ event }) => (event.type === 'REFUSE' ? { outcome: event.reason, note: 'refused' as const } : {})),
      awaitConfirmation: assign(({ event }) => (event.type === 'READY_RISKY' ? { confirmation: event.confirmation, wrongAttempts: 0, note: null } : {})),
      noteWrongAttempt: assign(({ context }) => ({ wrongAttempts: context.wrongAttempts + 1, note: 'wrong_phrase' as const })),
      note: assign((_, params: { note: DialogNote }) => ({ note: params.note })),
      clearNote: assign({ note: null }),
      setOutcome: assign(({ event }) =>
        event.type === 'EXECUTED' ? { outcome: event.summary, note: null } : event.type === 'FAILED' || event.type === 'LOST' ? { outcome: event.reason } : {},
      ),
    },
  }).createMachine({
    id: `${family}-dialog`,
    context: EMPTY,
    initial: 'idle',
    on: {
      // A new request while one is under way replaces it (the graph says so and closes its record).
      REQUEST: { target: '.collecting', actions: 'startFresh' },
    },
    states: {
      idle: {
        on: { CANCEL: { actions: { type: 'note', params: { note: 'nothing_to_cancel' } } } },
      },
      collecting: {
        entry: 'askNext',
        always: { guard: not('hasMissingSlots'), target: 'preparing' },
        on: {
          SLOTS: { target: 'collecting', reenter: true, actions: 'mergeSlots' },
          REQUEST: { target: 'collecting', reenter: true, actions: 'startRequest' },
          CANCEL: { target: 'cancelled', actions: { type: 'note', params: { note: 'cancelled' } } },
        },
      },
      preparing: {
        on: {
          NEED: { target: 'collecting', actions: 'needSlot' },
          REFUSE: { target: 'failed', actions: 'refuse' },
          READY_SAFE: { target: 'executing', actions: 'clearNote' },
          READY_RISKY: { target: 'awaitingConfirmation', actions: 'awaitConfirmation' },
          REQUEST: { target: 'collecting', actions: 'startRequest' },
          CANCEL: { target: 'cancelled', actions: { type: 'note', params: { note: 'cancelled' } } },
        },
      },
      awaitingConfirmation: {
        on: {
          REPLY: [
            { guard: 'isExpired', target: 'expired', actions: { type: 'note', params: { note: 'expired' } } },
            { guard: and(['isPhrase', 'isTrusted', 'mayConfirm']), target: 'confirming', actions: 'clearNote' },
            { guard: and(['isPhrase', not('isTrusted')]), actions: { type: 'note', params: { note: 'untrusted' } } },
            { guard: 'isPhrase', actions: { type: 'note', params: { note: 'not_allowed' } } },
            { guard: and(['looksLikeAttempt', 'isLastAttempt']), target: 'cancelled', actions: { type: 'note', params: { note: 'too_many_attempts' } } },
            { guard: 'looksLikeAttempt', actions: 'noteWrongAttempt' },
            { actions: { type: 'note', params: { note: 'reminder' } } },
          ],
          REQUEST: { target: 'collecting', actions: 'startRequest' },
          CANCEL: { target: 'cancelled', actions: { type: 'note', params: { note: 'cancelled' } } },
        },
      },
      confirming: {
        on: {
          RECORDED: { target: 'executing' },
          LOST: { target: 'failed', actions: ['setOutcome', { type: 'note', params: { note: 'lost' } }] },
        },
      },
      executing: {
        on: {
          EXECUTED: { target: 'done', actions: 'setOutcome' },
          FAILED: { target: 'failed', actions: 'setOutcome' },
        },
      },
      done: { on: { CANCEL: { actions: { type: 'note', params: { note: 'nothing_to_cancel' } } } } },
      failed: { on: { CANCEL: { actions: { type: 'note', params: { note: 'nothing_to_cancel' } } } } },
      cancelled: { on: { CANCEL: { actions: { type: 'note', params: { note: 'nothing_to_cancel' } } } } },
      expired: { on: { CANCEL: { actions: { type: 'note', params: { note: 'nothing_to_cancel' } } } } },
    },
  });
}

export type ActionDialog = ReturnType<typeof createActionDialog>;

/** States in which a dialog is under way (a new request replaces it; cancel ends it). */
export const ACTIVE_STATES = ['collecting', 'preparing', 'awaitingConfirmation', 'confirming', 'executing'] as const;
