import type { IntentId, Understanding } from '../../../intents/index.js';

/**
 * What understanding made of a message, as far as a dialog under way cares: is it a cancel, is it a
 * new request. Whether it is an attempt at a confirmation phrase is not decided here: the dialog
 * machine decides that (flows/action-dialog.ts).
 */

/** Intents answered by small talk rather than a tool. */
export const CONVERSATIONAL = new Set<IntentId>(['greeting', 'help', 'cancel', 'out_of_scope']);
/** Below this, an utterance during a dialog is not taken as a new request. */
export const NEW_REQUEST_CONFIDENCE = 0.6;
/** Above this, even an answer-shaped message during slot filling is a new request. */
export const STRONG_NEW_REQUEST_CONFIDENCE = 0.85;
const CANCEL_WORDS = /^\s*(cancel|never\s*mind|nevermind|nvm|stop|abort|forget\s+(it|that)|no,?\s+cancel|cancel\s+(it|that))\s*[.!]*\s*$/i;

export function meansCancel(understanding: Understanding, text: string): boolean {
  return CANCEL_WORDS.test(text) || (understanding.intent === 'cancel' && understanding.confidence >= 0.5);
}

export function meansNewRequest(understanding: Understanding, threshold: number): boolean {
  return !CONVERSATIONAL.has(understanding.intent) && understanding.confidence >= threshold;
}
