import type { Understanding } from '../understander.js';

/** When the hybrid understander asks Claude: `config.nlu`. */
export interface ClaudePolicy {
  /** Ask when the offline classifier's confidence is below this (0–1). */
  claudeBelowConfidence: number;
  /** Ask when the text is longer than this many characters. */
  claudeAboveChars: number;
}

/** Why Claude is asked. */
export type AskClaudeReason = 'low_confidence' | 'long_text' | 'multi_intent';

/**
 * Whether a message should go to Claude after the offline classifier has read it, and why.
 * Pure: the same text, understanding and policy give the same answer.
 *
 * - `low_confidence`: the offline classifier is unsure;
 * - `long_text`: long messages mix requests, context and chatter, which a bag-of-words model reads badly;
 * - `multi_intent`: the text looks like several requests (see `looksMultiIntent`).
 *
 * Blank text is never sent.
 *
 * @example
 * const policy = { claudeBelowConfidence: 0.7, claudeAboveChars: 160 };
 * askClaudeReason('deploy soarix-web to prod', sureOffline, policy) // → undefined (sureOffline.confidence: 0.95)
 * askClaudeReason('build acme-shop and then deploy it to staging', sureOffline, policy) // → 'multi_intent'
 */
export function askClaudeReason(text: string, offline: Understanding, policy: ClaudePolicy): AskClaudeReason | undefined {
  if (text.trim() === '') return undefined;
  if (!(offline.confidence >= policy.claudeBelowConfidence)) return 'low_confidence';
  if (text.length > policy.claudeAboveChars) return 'long_text';
  if (looksMultiIntent(text)) return 'multi_intent';
  return undefined;
}

/** `askClaudeReason` as a yes/no. */
export function shouldAskClaude(text: string, offline: Understanding, policy: ClaudePolicy): boolean {
  return askClaudeReason(text, offline, policy) !== undefined;
}

// --- the multi-intent heuristic ---

/**
 * Verbs that start a request to this bot. Deliberately short and English-only: the heuristic only
 * decides whether a second opinion is worth a request, so a miss costs nothing but that opinion.
 */
const ACTION_VERBS = new Set([
  'add', 'book', 'build', 'buy', 'call', 'cancel', 'check', 'close', 'complete', 'create', 'delete', 'deploy',
  'email', 'find', 'finish', 'list', 'log', 'look', 'make', 'map', 'move', 'note', 'notify', 'point', 'publish',
  'push', 'rebuild', 'redeploy', 'register', 'release', 'remind', 'remove', 'revert', 'roll', 'rollback',
  'schedule', 'send', 'set', 'ship', 'show', 'subscribe', 'tell', 'update', 'verify',
]);

/** Sentence ends, semicolons, line breaks, and the connectives that join requests. */
const CLAUSE_BREAK = /[.!?]+\s+|;|\n+|,?\s+(?:and\s+then|and\s+also|then|also|plus|and)\s+/iu;

/**
 * True when at least two clauses each carry an action verb: "remind me to call John and send Acme the
 * proposal", "build acme-shop; deploy it to staging". A clause is a sentence or a part joined by
 * "and", "then", "also", "plus" or ";". "Deploy to staging and production" is one request: its second
 * clause has no verb.
 */
export function looksMultiIntent(text: string): boolean {
  let clausesWithVerb = 0;
  for (const clause of text.split(CLAUSE_BREAK)) {
    const words = clause.toLowerCase().match(/[a-z]+/g) ?? [];
    if (words.some((word) => ACTION_VERBS.has(word)) && ++clausesWithVerb >= 2) return true;
  }
  return false;
}
