import type { InboundMessage, ReplyDraft } from '../channels/index.js';
import type { CheckpointSink, Conversation, Person, StoredMessage } from '../store/index.js';

/** One inbound message, with who sent it and where, as the turn handler sees it. */
export interface Turn {
  message: InboundMessage;
  person: Person;
  conversation: Conversation;
  /** The stored row of `message`. */
  inbound: StoredMessage;
  /**
   * Given by the pipeline: what the handler keeps here (the agent graph's checkpoint) is stored in the
   * statement that stores the turn's answer, so the conversation's state never runs ahead of it.
   * Absent, the handler stores its own state as it goes.
   */
  withAnswer?: CheckpointSink;
}

/**
 * Decides what the bot says to one message. The pipeline around it has already de-duplicated,
 * identified, locked and persisted; the handler only thinks and acts.
 */
export interface TurnHandler {
  handle(turn: Turn): Promise<ReplyDraft[]>;
}
