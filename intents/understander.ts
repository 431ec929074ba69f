import type { IntentId, Slots } from './ids.js';

/** What the bot knows about the moment a message is understood in. */
export interface UnderstandContext {
  /** Now, from the clock port (ms since epoch). Relative dates resolve against it. */
  now: number;
  /** The sender's IANA time zone. */
  timezone: string;
  /** App names configured for this agency, for fuzzy matching ("marketing site" → "marketing-site"). */
  apps: readonly string[];
}

export interface IntentScore {
  intent: IntentId;
  confidence: number;
}

export interface Understanding {
  intent: IntentId;
  /** Calibrated probability that `intent` is right, between 0 and 1. */
  confidence: number;
  slots: Slots;
  /** Which understander produced this. */
  source: 'offline' | 'claude';
  /** The next best intents, best first (may be empty). */
  alternatives: IntentScore[];
}

/**
 * The understanding port. Implementations: the offline classifier (default), Claude, and the
 * hybrid policy that chooses between them. An understanding is advice: it can start a dialog,
 * never confirm a risky action.
 */
export interface Understander {
  understand(text: string, context: UnderstandContext): Promise<Understanding>;
}
