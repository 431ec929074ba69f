import type { InboundMessage, ReplyDraft } from '../channels/index.js';
import type { Conversation, Person, StoredMessage } from '../store/index.js';

/** One inbound message, with who sent it and where, as the turn handler sees it. */
export interface Turn {
  message: InboundMessage;
  person: Person;
  conversation: Conversation;
  /** The stored row of `message`. */
  inbound: StoredMessage;
}

/**
 * Decides what the bot says to one message. The pipeline around it has already de-duplicated,
 * identified, locked and persisted; the handler only thinks and acts.
 */
export interface TurnHandler {
  handle(turn: Turn): Promise<ReplyDraft[]>;
}
