import type { ReplyDraft } from '../../channels/index.js';
import { DEFERRED_CHECKPOINT } from '../../store/index.js';
import type { Turn, TurnHandler } from '../turn.js';
import type { AgentGraph } from './agent-graph.js';
import type { TurnInput } from './agent-state.js';

/**
 * Runs one turn of the agent graph on the conversation's thread. The graph writes one checkpoint
 * per turn (`durability: 'exit'`), kept back in `turn.withAnswer` when the pipeline gives it so that
 * it is stored with the turn's answer: a turn that crashes midway is replayed from the previous one,
 * and the tools' idempotency keys keep the replay from acting twice.
 */
export class AgentHandler implements TurnHandler {
  constructor(
    private readonly graph: AgentGraph,
    private readonly options: { defaultTimezone: string },
  ) {}

  async handle(turn: Turn): Promise<ReplyDraft[]> {
    const { message, person, conversation, inbound } = turn;
    const input: TurnInput = {
      inboundId: inbound.id,
      text: message.text,
      now: message.receivedAt,
      conversationId: conversation.id,
      channel: message.channel,
      externalUserId: message.user.id,
      person,
      timezone: person.timezone ?? this.options.defaultTimezone,
      untrusted: message.user.isBot
        ? 'bot'
        : message.voice
          ? 'voice'
          : message.viaButton
            ? 'button'
            : message.forwarded
              ? 'forwarded'
              : message.edited
                ? 'edited'
                : null,
      voice: message.voice ?? null,
    };
    const result = await this.graph.invoke(
      { turn: input, halted: false, understanding: null, command: null, replies: [], execution: null, directActions: [] },
      { configurable: { thread_id: conversation.id, ...(turn.withAnswer ? { [DEFERRED_CHECKPOINT]: turn.withAnswer } : {}) }, durability: 'exit' },
    );
    return result.replies;
  }
}
