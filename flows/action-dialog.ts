import { and, assign, not, or, setup } from 'xstate';
import type { IntentId, SlotName, Slots } from '../intents/index.js';
import { looksLikeConfirmation, matchesPhrase, mentionsPhrase } from './confirmation-phrase.js';

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
  | 'lost'
  /** A message during the wait that is a new request, not an attempt: the graph starts it (which supersedes this one). */
  | 'new_request';

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
  /**
   * The numbered options of the tool's question ("1. #12 Call Acme …"), kept after the answer so the
   * tool can read "2" or "the one for Sarah" against them. Absent in snapshots older than this field.
   */
  choices?: DialogChoice[] | null;
  confirmation: PendingConfirmation | null;
  wrongAttempts: number;
  /** The result or the reason it ended. */
  outcome: string | null;
  note: DialogNote | null;
  /** The action a new request replaced, for "I dropped your …". */
  superseded: string | null;
}

/** One option of a tool's question: the line shown and the value that names it for certain (tools/tool-action.ts `Choice`). */
export interface DialogChoice {
  label: string;
  value: string;
}

export interface Sender {
  id: string;
  role: string;
}

export type DialogEvent =
  | { type: 'REQUEST'; action: string; intent: IntentId | null; requesterId: string; slots: Slots; required: SlotName[] }
  | { type: 'SLOTS'; slots: Slots }
  | { type: 'NEED'; slot: SlotName; question: string; choices?: DialogChoice[] }
  | { type: 'REFUSE'; reason: string }
  | { type: 'READY_SAFE' }
  | { type: 'READY_RISKY'; confirmation: PendingConfirmation }
  /**
   * A message while a confirmation is pending. `trusted` is false for voice, edited, forwarded and bot
   * messages. `meansCancel` and `meansNewRequest` are what understanding made of it; the machine decides
   * whether they count (a message that is an attempt at the phrase is never taken as either).
   */
  | { type: 'REPLY'; text: string; now: number; sender: Sender; trusted: boolean; meansCancel?: boolean; meansNewRequest?: boolean }
  | { type: 'RECORDED' }
  | { type: 'LOST'; reason: string }
  | { type: 'EXECUTED'; summary: string }
  | { type: 'FAILED'; reason: string }
  | { type: 'CANCEL' };

/** Wrong attempts at a phrase after which the pending confirmation is cancelled: the only place this number lives. */
export const MAX_WRONG_ATTEMPTS = 3;

/** Tag of the states in which a dialog is under way (a new request replaces it; cancel ends it). */
export const UNDER_WAY = 'underWay';

const EMPTY: DialogContext = {
  action: null,
  intent: null,
  requesterId: null,
  slots: {},
  required: [],
  asking: null,
  question: null,
  choices: null,
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

/** Attempts left before the pending confirmation is cancelled. */
export function attemptsLeft(context: Pick<DialogContext, 'wrongAttempts'>): number {
  return Math.max(0, MAX_WRONG_ATTEMPTS - context.wrongAttempts);
}

/**
 * The dialog of one tool action, from the first request to its end. A pure definition: it performs
 * no I/O. The agent graph sends it events (slots understood, the tool's preparation, a reply while a
 * confirmation is pending, the execution's result) and acts on the state it reaches.
 *
 * Its half of the confirmation gate, decided here and nowhere else in the dialog: a pending
 * confirmation moves on only for a whole-message, exact phrase (flows/confirmation-phrase.ts), typed
 * (not voice, edited, forwarded or from a bot), before it expires, by someone the `mayConfirm` guard
 * accepts; near misses are counted and the `MAX_WRONG_ATTEMPTS`th cancels it. `mayConfirm` refuses
 * everyone until the bot provides the role policy (`restoreDialog` in live-dialog.ts does, everywhere).
 *
 * Ends: `done`, `failed`, `cancelled` and `expired` are final states (`snapshot.status === 'done'`);
 * the states of a dialog under way carry the `underWay` tag; `idle` is neither.
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
      // "ok CONFIRM DELETE TASK 1" falls short of the phrase, but it is an attempt, not a new request.
      mentionsPhrase: ({ context, event }) => context.confirmation !== null && mentionsPhrase(replyText(event), context.confirmation.phrase),
      meansCancel: ({ event }) => event.type === 'REPLY' && event.meansCancel === true,
      meansNewRequest: ({ event }) => event.type === 'REPLY' && event.meansNewRequest === true,
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
        return { slots: rest, asking: event.slot, question: event.question, choices: event.choices ?? null, required: context.required.includes(event.slot) ? context.required : [...context.required, event.slot] };
      }),
      refuse: assign(({ event }) => (event.type === 'REFUSE' ? { outcome: event.reason, note: 'refused' as const } : {})),
      awaitConfirmation: assign(({ event }) => (event.type === 'READY_RISKY' ? { confirmation: event.confirmation, wrongAttempts: 0, note: null } : {})),
      noteWrongAttempt: assign(({ context }) => ({ wrongAttempts: context.wrongAttempts + 1, note: 'wrong_phrase' as const })),
      // The attempt that reaches the limit is counted too: the context then says exactly MAX_WRONG_ATTEMPTS.
      lockOut: assign(({ context }) => ({ wrongAttempts: context.wrongAttempts + 1, note: 'too_many_attempts' as const })),
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
        tags: [UNDER_WAY],
        entry: 'askNext',
        always: { guard: not('hasMissingSlots'), target: 'preparing' },
        on: {
          SLOTS: { target: 'collecting', reenter: true, actions: 'mergeSlots' },
          REQUEST: { target: 'collecting', reenter: true, actions: 'startRequest' },
          CANCEL: { target: 'cancelled', actions: { type: 'note', params: { note: 'cancelled' } } },
        },
      },
      preparing: {
        tags: [UNDER_WAY],
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
        tags: [UNDER_WAY],
        on: {
          REPLY: [
            // What is not an attempt at the phrase may be a cancel or a new request (understanding said so).
            {
              guard: and([not(or(['isPhrase', 'looksLikeAttempt', 'mentionsPhrase'])), 'meansCancel']),
              target: 'cancelled',
              actions: { type: 'note', params: { note: 'cancelled' } },
            },
            {
              guard: and([not(or(['isPhrase', 'looksLikeAttempt', 'mentionsPhrase'])), 'meansNewRequest']),
              actions: { type: 'note', params: { note: 'new_request' } },
            },
            { guard: 'isExpired', target: 'expired', actions: { type: 'note', params: { note: 'expired' } } },
            { guard: and(['isPhrase', 'isTrusted', 'mayConfirm']), target: 'confirming', actions: 'clearNote' },
            { guard: and(['isPhrase', not('isTrusted')]), actions: { type: 'note', params: { note: 'untrusted' } } },
            { guard: 'isPhrase', actions: { type: 'note', params: { note: 'not_allowed' } } },
            { guard: and(['looksLikeAttempt', 'isLastAttempt']), target: 'cancelled', actions: 'lockOut' },
            { guard: 'looksLikeAttempt', actions: 'noteWrongAttempt' },
            { actions: { type: 'note', params: { note: 'reminder' } } },
          ],
          REQUEST: { target: 'collecting', actions: 'startRequest' },
          CANCEL: { target: 'cancelled', actions: { type: 'note', params: { note: 'cancelled' } } },
        },
      },
      confirming: {
        tags: [UNDER_WAY],
        on: {
          RECORDED: { target: 'executing' },
          LOST: { target: 'failed', actions: ['setOutcome', { type: 'note', params: { note: 'lost' } }] },
        },
      },
      executing: {
        tags: [UNDER_WAY],
        on: {
          EXECUTED: { target: 'done', actions: 'setOutcome' },
          FAILED: { target: 'failed', actions: 'setOutcome' },
        },
      },
      // Final: a dialog that ended is never restored (a new request starts a new machine).
      done: { type: 'final' },
      failed: { type: 'final' },
      cancelled: { type: 'final' },
      expired: { type: 'final' },
    },
  });
}

export type ActionDialog = ReturnType<typeof createActionDialog>;
