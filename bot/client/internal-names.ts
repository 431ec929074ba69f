import { SETTINGS } from '../../config/index.js';
import { INTENT_IDS, SLOT_NAMES } from '../../intents/index.js';

/** Intent ids that are also plain words a reply may use ("help", "cancel", "greeting"). */
const PLAIN_WORDS = new Set(['help', 'cancel', 'greeting']);

/**
 * The names a client must never see, from their sources (not a hand-kept list): intent ids, tool
 * action names, slot names written as code (recordType), every setting, and the staff dialog's
 * "not connected". Used by the client desk's last check and by the tests.
 */
export function internalNames(actionNames: readonly string[]): string[] {
  const intents = INTENT_IDS.filter((id) => !PLAIN_WORDS.has(id));
  const codeSlots = SLOT_NAMES.filter((slot) => /[A-Z]/.test(slot));
  return [...new Set([...intents, ...actionNames, ...codeSlots, ...Object.keys(SETTINGS), 'not connected'])];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A test for text that names any of `names` as a whole word (case-insensitive for phrases, exact for ids). */
export function leakDetector(names: readonly string[]): (text: string) => boolean {
  const pattern = new RegExp(`(?<![\\w.])(?:${[...names].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\w])`);
  return (text) => pattern.test(text);
}
